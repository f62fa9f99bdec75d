// What `GET /api/platforms` answers, and what an admin sends to register a platform.

import { ApiProperty } from '@nestjs/swagger';
import { PlatformProperty, TextProperty } from '../../common/validation';

export class PlatformOverviewDto {
  @ApiProperty({
    description: 'The name its cases, policy and dossier go by, in lower case (a platform with cases from before the registry keeps their spelling). Any case of it names it in routes and filters.',
    example: 'telegram',
  })
  platform!: string;

  @ApiProperty({ description: 'How the admin spelled it when registering it; the stored name otherwise.', example: 'Telegram' })
  displayName!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Who registered it; null for a platform known from its cases from before the registry.', example: 'ada' })
  registeredBy!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was registered; null as for registeredBy.' })
  registeredAt!: string | null;

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

/** An admin registers a platform; the actor comes from the token. */
export class PlatformRegistrationDto {
  @PlatformProperty({ description: 'The platform\'s name, compared regardless of case: stored in lower case.' })
  name!: string;

  @TextProperty({ optional: true, maxLength: 100, description: 'How the platform is shown; default: the name as given.' })
  displayName?: string;

  @TextProperty({ optional: true, description: 'Why it is registered; stored with the registration.' })
  reason?: string;
}

/** An example body, published in the OpenAPI document (a spec checks it against the schema). */
export const PLATFORM_REGISTRATION_EXAMPLE = {
  name: 'VK',
  displayName: 'VKontakte',
  reason: 'Reports of threats against local politicians arrive from VK channels',
} satisfies PlatformRegistrationDto;
