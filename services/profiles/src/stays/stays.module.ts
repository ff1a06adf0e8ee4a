import { Module } from '@nestjs/common';
import { GuestsController } from './guests.controller';
import { StayRecordingRepository } from './stay-recording.repository';
import { StaysConsumer } from './stays.consumer';

@Module({
  controllers: [StaysConsumer, GuestsController],
  providers: [StayRecordingRepository],
})
export class StaysModule {}
