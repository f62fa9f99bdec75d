import { GERMAN_STATES, GermanState, POLICY_SCOPES, PolicyScope } from '@engine/domain';
import type { EscalationPolicy } from '@engine/domain';
import { EnumProperty, PlatformProperty, PolicyRulesProperty, TextProperty } from '../../common/validation';

export class PlatformParams {
  @PlatformProperty()
  platform!: string;
}

/** A new version of a platform's policy; the actor comes from the token. */
export class PolicyChangeDto {
  @PolicyRulesProperty()
  rules!: EscalationPolicy['rules'];

  @EnumProperty(GERMAN_STATES, { optional: true, description: "Business time also skips this state's holidays." })
  holidayState?: GermanState;

  @EnumProperty(POLICY_SCOPES, { description: 'New cases only, or also every running case of the platform.' })
  appliesTo!: PolicyScope;

  @TextProperty({ description: 'Why the policy changes; stored with the version.' })
  reason!: string;
}
