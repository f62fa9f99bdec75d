// What the policy routes answer: a version of a platform's escalation policy, its rules table spelled out
// (severity → clock → ladder step → deadline rule), so that a client reads every cell by name.

import { ApiProperty } from '@nestjs/swagger';
import { GERMAN_STATES, POLICY_SCOPES } from '@engine/domain';
import type { ClockKind, GermanState, LadderStep, PolicyScope, Severity, StepRule, TimeBasis } from '@engine/domain';

export const TIME_BASES = ['calendar', 'business'] as const satisfies readonly TimeBasis[];

export class StepRuleDto implements StepRule {
  @ApiProperty({ description: 'ISO 8601 duration of weeks, days, hours, minutes or seconds.', example: 'PT24H' })
  duration!: string;

  @ApiProperty({ enum: TIME_BASES, description: 'Business time skips weekends and public holidays.' })
  basis!: TimeBasis;
}

const stepRule = (step: string) => ApiProperty({ type: () => StepRuleDto, description: `How long the ${step} step waits for the platform.` });

/** One clock's ladder: a rule per step, in ladder order. */
export class LadderRulesDto implements Record<LadderStep, StepRuleDto> {
  @stepRule('standard-contact') 'standard-contact'!: StepRuleDto;
  @stepRule('reminder') reminder!: StepRuleDto;
  @stepRule('high-level-contact') 'high-level-contact'!: StepRuleDto;
  @stepRule('app-store-pressure') 'app-store-pressure'!: StepRuleDto;
}

export class ClockRulesDto implements Record<ClockKind, LadderRulesDto> {
  @ApiProperty({ type: () => LadderRulesDto }) deletion!: LadderRulesDto;
  @ApiProperty({ type: () => LadderRulesDto }) 'subscriber-data'!: LadderRulesDto;
}

// Implementing the domain's key types: a new severity, clock or ladder step fails to compile until documented.
export class PolicyRulesDto implements Record<Severity, ClockRulesDto> {
  @ApiProperty({ type: () => ClockRulesDto, description: 'Threat to life or limb.' }) critical!: ClockRulesDto;
  @ApiProperty({ type: () => ClockRulesDto, description: 'Manifestly unlawful content.' }) high!: ClockRulesDto;
  @ApiProperty({ type: () => ClockRulesDto, description: 'Other unlawful content.' }) standard!: ClockRulesDto;
}


export class EscalationPolicyDto {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ description: 'Increases by one with every change an admin makes; 1 is the defaults.', example: 1 })
  version!: number;

  @ApiProperty({ type: () => PolicyRulesDto })
  rules!: PolicyRulesDto;

  @ApiProperty({ required: false, enum: GERMAN_STATES, description: "Business time also skips this state's holidays." })
  holidayState?: GermanState;
}

export const POLICY_VERSION_SCOPES = ['default', ...POLICY_SCOPES] as const;

export class PolicyVersionDto {
  @ApiProperty({ type: () => EscalationPolicyDto })
  policy!: EscalationPolicyDto;

  @ApiProperty({ enum: POLICY_VERSION_SCOPES, description: 'default: the built-in version 1; otherwise whom the change was for.' })
  appliesTo!: PolicyScope | 'default';

  @ApiProperty({ example: 'ada' })
  changedBy!: string;

  @ApiProperty({ format: 'date-time' })
  changedAt!: string;

  @ApiProperty({ example: 'Faster answers for threats to life' })
  reason!: string;
}

export class PolicyChangeResultDto extends PolicyVersionDto {
  @ApiProperty({ description: 'How many running cases were told of the new version (0 for new cases only).', example: 3 })
  runningCasesNotified!: number;
}
