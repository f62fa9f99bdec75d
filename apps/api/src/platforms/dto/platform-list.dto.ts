// What `GET /api/platforms` answers: the platforms the engine has cases of, with their policy and case counts.

import { ApiProperty } from '@nestjs/swagger';

export class PlatformOverviewDto {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ description: 'The policy version new cases of the platform follow (1: the default rules).', example: 2 })
  policyVersion!: number;

  @ApiProperty({ description: 'Whether an admin changed the policy from the default rules.' })
  policyChanged!: boolean;

  @ApiProperty({ description: 'Cases in triage, active or paused.', example: 12 })
  openCases!: number;

  @ApiProperty({ description: 'All cases, closed ones included.', example: 40 })
  totalCases!: number;
}

export class PlatformListDto {
  @ApiProperty({ type: () => [PlatformOverviewDto], description: 'By name.' })
  items!: PlatformOverviewDto[];
}
