// What the policy routes answer: a version of a platform's escalation policy, its rules table spelled out
// (severity → clock → ladder step → deadline rule), so that a client reads every cell by name.

import { ApiProperty } from '@nestjs/swagger';
import { GERMAN_STATES, POLICY_SCOPES } from '@engine/domain';
import type { ClockKind, GermanState, LadderStep, PolicyScope, Severity, StepRule, TimeBasis } from '@engine/domain';
import { ROLLOUT_STATUSES, type RolloutStatus } from '../../../../../workflows/policy-rollout.messages';

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

export class RolloutReferenceDto {
  @ApiProperty({ description: 'The Temporal workflow that tells the running cases.', example: 'policy-rollout-telegram-v2' })
  id!: string;

  @ApiProperty({ enum: ROLLOUT_STATUSES, description: 'running: it has just been started; follow `location` for its progress.', example: 'running' })
  status!: RolloutStatus;

  @ApiProperty({ description: "The rollout's progress route (also the Location header).", example: '/api/policies/telegram/rollouts/2' })
  location!: string;
}

export class PolicyChangeResultDto extends PolicyVersionDto {
  @ApiProperty({
    type: () => RolloutReferenceDto,
    required: false,
    description: 'For a change that applies to running cases: the rollout that tells them, which goes on after the answer.',
  })
  rollout?: RolloutReferenceDto;
}

export class RolloutFailureDto {
  @ApiProperty({ example: 'r-2026-0042' })
  reportId!: string;

  @ApiProperty({ example: 'The case could not be reached: ...' })
  reason!: string;
}

export class PolicyRolloutDto {
  @ApiProperty({ example: 'telegram' })
  platform!: string;

  @ApiProperty({ description: 'The policy version rolled out.', example: 2 })
  version!: number;

  @ApiProperty({
    enum: ROLLOUT_STATUSES,
    description:
      'waiting-for-version: not begun yet; running: telling the cases; completed: every case found was told or counted below; ' +
      'not-for-running-cases: the version stored under this number is for new cases only (another change was stored first).',
  })
  status!: RolloutStatus;

  @ApiProperty({ description: 'Running cases found: those reached so far plus those still to go at the last listing.', example: 12 })
  casesFound!: number;

  @ApiProperty({ description: 'Cases that follow the version now (also those that already did, e.g. told before a restart).', example: 10 })
  notified!: number;

  @ApiProperty({ description: 'Cases closed by the time they were reached: a closed case takes no policy.', example: 1 })
  skippedClosed!: number;

  @ApiProperty({ description: 'Cases whose filing had not completed within a minute: they follow the version their filing read.', example: 0 })
  skippedNotFiled!: number;

  @ApiProperty({ description: 'Cases that refused the version or could not be reached; see failures.', example: 1 })
  failed!: number;

  @ApiProperty({ type: () => RolloutFailureDto, isArray: true, description: 'The first 20 failures with their reasons.' })
  failures!: RolloutFailureDto[];

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time', required: false, description: 'When it completed.' })
  completedAt?: string;
}
