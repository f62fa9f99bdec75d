import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { GERMAN_STATES, GermanState, POLICY_SCOPES, PolicyScope } from '@engine/domain';
import { defaultEscalationPolicy } from '@engine/domain';
import { EnumProperty, PlatformProperty, PolicyRulesProperty, TextProperty } from '../../common/validation';
import { PolicyRulesDto } from './policy-version.dto';

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
