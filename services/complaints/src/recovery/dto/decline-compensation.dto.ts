import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class DeclineCompensationDto {
  @ApiProperty({
    maxLength: 1000,
    description:
      'Why the offer is declined. Shown on the offer (`declineReason`) and beside its audit line; blanked ' +
      'if the guest is erased.',
  })
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the offer is declined' })
  @MaxLength(1000)
  reason: string;
}
