// What `GET /api/platforms/:platform/dossier` answers: the platform's app-store dossier.

import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { DurationProperty } from '../../common/validation';
import { DOSSIER_RULES_SOURCES, type DossierRulesSource } from '../platforms.service';

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

  @ApiProperty({
    type: () => DossierRulesDto,
    nullable: true,
    description:
      "The threshold and interval the running dossier applies; when none runs, those an admin recorded for the platform, which the next dossier applies; null when none runs and none were recorded (then the worker's DOSSIER_THRESHOLD and DOSSIER_INTERVAL apply).",
  })
  rules!: DossierRulesDto | null;

  @ApiProperty({
    enum: [...DOSSIER_RULES_SOURCES],
    nullable: true,
    description: "Where rules come from: 'running' (the running dossier), 'recorded' (an admin's last change, recorded on the platform's dossier stream); null with rules null.",
  })
  rulesSource!: DossierRulesSource | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the interval files the waiting reports; null when none wait.' })
  nextFilingDueAt!: string | null;

  @ApiProperty({ type: () => [DossierMemberDto], description: 'The reports waiting to be filed, oldest first.' })
  members!: DossierMemberDto[];

  @ApiProperty({ type: () => [DossierFilingDto], description: 'The filings made, oldest first.' })
  filings!: DossierFilingDto[];
}

/** `PUT /api/platforms/:platform/dossier/settings`: both rules, as the running dossier is to apply them. */
export class DossierSettingsDto {
  @ApiProperty({ description: 'File as soon as this many reports wait (1 to 10,000).', example: 5, minimum: 1, maximum: 10_000 })
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(10_000)
  threshold!: number;

  @DurationProperty({ description: 'File at the latest this long after the first waiting report joined (ISO 8601, such as P3D).' })
  interval!: string;
}

export const DOSSIER_SETTINGS_EXAMPLE = { threshold: 5, interval: 'P3D' };

export class DossierFilingRequestDto {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ type: [String], description: 'The reports that go to the app stores with this filing.', example: ['R-20260201-3f9a1c07'] })
  reportIds!: string[];

  @ApiProperty({ example: 'ada' })
  requestedBy!: string;
}

/** Filing needs nothing but the platform; any field sent is refused. */
export class DossierFilingBodyDto {}
