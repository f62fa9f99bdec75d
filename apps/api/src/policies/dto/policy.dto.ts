import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { GERMAN_STATES, GermanState, POLICY_SCOPES, PolicyScope } from '@engine/domain';
import { defaultEscalationPolicy } from '@engine/domain';
import { EnumProperty, PlatformProperty, PolicyCellsProperty, PolicyRulesProperty, TextProperty } from '../../common/validation';
import { PolicyRulesDto, StepRuleDto } from './policy-version.dto';
import type { ClockKind, LadderStep, Severity } from '@engine/domain';

export class PlatformParams {
  @PlatformProperty()
  platform!: string;
}

export class RolloutParams extends PlatformParams {
  @ApiProperty({ type: Number, minimum: 2, description: 'The policy version rolled out (1 is the defaults, never rolled out).', example: 2 })
  @Type(() => Number)
  @IsInt({ message: '$property must be a whole number' })
  @Min(2)
  @Max(Number.MAX_SAFE_INTEGER)
  version!: number;
}

/** A new version of a platform's policy; the actor comes from the token. */
export class PolicyChangeDto {
  @PolicyRulesProperty({ schema: () => PolicyRulesDto })
  rules!: PolicyRulesDto;

  @EnumProperty(GERMAN_STATES, { optional: true, description: "Business time also skips this state's holidays." })
  holidayState?: GermanState;

  @EnumProperty(POLICY_SCOPES, { description: 'New cases only, or also every running case of the platform.' })
  appliesTo!: PolicyScope;

  @TextProperty({ description: 'Why the policy changes; stored with the version.' })
  reason!: string;
}

/** An example body, published in the OpenAPI document (a spec checks it against the schema). */
export const POLICY_CHANGE_EXAMPLE = {
  rules: (() => {
    const { rules } = defaultEscalationPolicy('telegram');
    rules.critical.deletion['standard-contact'] = { duration: 'PT30M', basis: 'calendar' };
    return rules;
  })(),
  appliesTo: 'running-cases',
  reason: 'Faster answers for threats to life',
} satisfies PolicyChangeDto;

const someStepRule = (step: string) => ApiProperty({ type: () => StepRuleDto, required: false, description: `The ${step} step's new rule.` });

/** One clock's ladder, only the steps to change. */
export class LadderCellsDto implements Partial<Record<LadderStep, StepRuleDto>> {
  @someStepRule('standard-contact') 'standard-contact'?: StepRuleDto;
  @someStepRule('reminder') reminder?: StepRuleDto;
  @someStepRule('high-level-contact') 'high-level-contact'?: StepRuleDto;
  @someStepRule('app-store-pressure') 'app-store-pressure'?: StepRuleDto;
}

export class ClockCellsDto implements Partial<Record<ClockKind, LadderCellsDto>> {
  @ApiProperty({ type: () => LadderCellsDto, required: false }) deletion?: LadderCellsDto;
  @ApiProperty({ type: () => LadderCellsDto, required: false }) 'subscriber-data'?: LadderCellsDto;
}

export class PolicyCellsDto implements Partial<Record<Severity, ClockCellsDto>> {
  @ApiProperty({ type: () => ClockCellsDto, required: false, description: 'Threat to life or limb.' }) critical?: ClockCellsDto;
  @ApiProperty({ type: () => ClockCellsDto, required: false, description: 'Manifestly unlawful content.' }) high?: ClockCellsDto;
  @ApiProperty({ type: () => ClockCellsDto, required: false, description: 'Other unlawful content.' }) standard?: ClockCellsDto;
}

/** A few cells of a platform's policy, merged onto the version in force as a new version; the actor comes from the token. */
export class PolicyCellsChangeDto {
  @PolicyCellsProperty({ schema: () => PolicyCellsDto })
  rules!: PolicyCellsDto;

  @EnumProperty(GERMAN_STATES, { optional: true, description: "Business time also skips this state's holidays; default: the holiday state in force." })
  holidayState?: GermanState;

  @EnumProperty(POLICY_SCOPES, { description: 'New cases only, or also every running case of the platform.' })
  appliesTo!: PolicyScope;

  @TextProperty({ description: 'Why the policy changes; stored with the version.' })
  reason!: string;
}

/** An example body of a merge, published in the OpenAPI document. */
export const POLICY_CELLS_CHANGE_EXAMPLE = {
  rules: { critical: { deletion: { 'standard-contact': { duration: 'PT30M', basis: 'calendar' } } } },
  appliesTo: 'running-cases',
  reason: 'Faster answers for threats to life',
} satisfies PolicyCellsChangeDto;
