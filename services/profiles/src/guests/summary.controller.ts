import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@loyalty/auth';
import { StayRecordingRepository } from '../stays/stay-recording.repository';

/** Counts only, no personal data: any role may read it, without an access reason. */
@ApiTags('guests')
@ApiBearerAuth()
@Controller('guests')
export class GuestSummaryController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: StayRecordingRepository,
  ) {}

  @Get(':guestId/summary')
  @Roles('chain-admin', 'property-manager', 'front-desk', 'analyst', 'service')
  async summary(
    @Param('guestId', ParseUUIDPipe) guestId: string,
  ): Promise<{ guestId: string; stays: number; pointsBalance: number | null }> {
    const summary = await this.repository.summary(this.dataSource.manager, guestId);
    if (!summary) throw new NotFoundException({ code: 'GUEST_NOT_FOUND', message: `no guest ${guestId}` });
    return { guestId, ...summary };
  }
}
