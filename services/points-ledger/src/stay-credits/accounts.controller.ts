import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@loyalty/auth';
import { StayCreditsRepository } from './stay-credits.repository';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: StayCreditsRepository,
  ) {}

  @Get(':guestId')
  @Roles('chain-admin', 'property-manager', 'front-desk', 'analyst', 'service')
  @ApiOkResponse({ description: 'The guest’s points balance.' })
  async balance(
    @Param('guestId', ParseUUIDPipe) guestId: string,
  ): Promise<{ guestId: string; balance: number }> {
    const balance = await this.repository.balance(this.dataSource.manager, guestId);
    if (balance === undefined)
      throw new NotFoundException({ code: 'ACCOUNT_NOT_FOUND', message: `no account for guest ${guestId}` });
    return { guestId, balance };
  }
}
