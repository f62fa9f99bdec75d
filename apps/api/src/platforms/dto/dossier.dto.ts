// What `GET /api/platforms/:platform/dossier` answers: the platform's app-store dossier.

import { ApiProperty } from '@nestjs/swagger';

export class DossierMemberDto {
  @ApiProperty({ example: 'R-20260201-3f9a1c07' })
  reportId!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Since when it waits in the dossier.' })
  addedAt!: string;

  @ApiProperty({
    description: "Why it is there: its request reached app-store pressure unanswered. `system:timer`: the high-level contact's deadline elapsed; a username: staff escalated it by hand.",
    example: 'system:timer',
  })
  addedBy!: string;
}

export class DossierFilingDto {
  @ApiProperty({ example: 1 })
  dossierNumber!: number;

  @ApiProperty({ type: [String], example: ['R-20260201-3f9a1c07'] })
  reportIds!: string[];

  @ApiProperty({ enum: ['threshold', 'interval', 'admin'], description: 'threshold: enough reports waited; interval: the oldest waited the interval; admin: filed by hand.' })
  trigger!: 'threshold' | 'interval' | 'admin';

  @ApiProperty({ type: String, format: 'date-time' })
  filedAt!: string;

  @ApiProperty({ example: 'system:timer' })
  filedBy!: string;
}

export class DossierRulesDto {
  @ApiProperty({ description: 'This many waiting reports file the dossier at once.', example: 10 })
  threshold!: number;

  @ApiProperty({ description: 'ISO 8601 duration: the oldest waiting report is filed after this long at the latest.', example: 'P7D' })
  interval!: string;
}

export class PlatformDossierDto {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ description: "Whether the dossier's workflow runs (it starts with the platform's first report at app-store pressure)." })
  running!: boolean;

  @ApiProperty({ type: () => DossierRulesDto, nullable: true, description: 'The threshold and interval the running dossier applies; null when none runs.' })
  rules!: DossierRulesDto | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the interval files the waiting reports; null when none wait.' })
  nextFilingDueAt!: string | null;

  @ApiProperty({ type: () => [DossierMemberDto], description: 'The reports waiting to be filed, oldest first.' })
  members!: DossierMemberDto[];

  @ApiProperty({ type: () => [DossierFilingDto], description: 'The filings made, oldest first.' })
  filings!: DossierFilingDto[];
}
