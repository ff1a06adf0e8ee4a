import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { assertGuestInScope, CurrentPrincipal, Roles, type Principal } from '@loyalty/auth';
import { UUID_PARAM } from '@loyalty/platform';
import { StayRecordingRepository } from '../stays/stay-recording.repository';
import { ProfileReader } from './profile.reader';

/**
 * Counts only, no personal data: any role may read it, without an access reason, of a guest who stayed
 * or booked at one of the token's properties (any guest, for a chain-wide token).
 */
@ApiTags('guests')
@ApiBearerAuth()
@Controller('guests')
export class GuestSummaryController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: StayRecordingRepository,
    private readonly reader: ProfileReader,
  ) {}

  @Get(':guestId/summary')
  @Roles('chain-admin', 'property-manager', 'front-desk', 'analyst', 'service')
  async summary(
    @CurrentPrincipal() principal: Principal,
    @Param('guestId', UUID_PARAM) guestId: string,
  ): Promise<{ guestId: string; stays: number; pointsBalance: number | null }> {
    const manager = this.dataSource.manager;
    // Scope first: a token scoped to properties learns nothing of an id outside them, not even whether a
    // guest has it (an unknown id has no properties either).
    assertGuestInScope(principal, await this.reader.properties(manager, guestId));
    const summary = await this.repository.summary(manager, guestId);
    if (!summary) throw new NotFoundException({ code: 'GUEST_NOT_FOUND', message: `no guest ${guestId}` });
    return { guestId, ...summary };
  }
}
