import { defaultEscalationPolicy, LADDER_STEPS, nextStep, policyProblems, stepDeadline } from './escalation-policy';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const monday = Date.parse('2026-03-02T09:00:00Z');

describe('the default escalation policy', () => {
  const policy = defaultEscalationPolicy('telegram');

  it('is version 1 of the platform and valid', () => {
    expect(policy).toMatchObject({ platform: 'telegram', version: 1 });
    expect(policyProblems(policy)).toEqual([]);
  });

  it.each([
    ['critical', HOUR],
    ['high', DAY],
    ['standard', 7 * DAY],
  ] as const)('gives %s reports their first deadline', (severity, ms) => {
    expect(stepDeadline(policy, severity, 'deletion', 'standard-contact', monday)).toBe(monday + ms);
    expect(stepDeadline(policy, severity, 'subscriber-data', 'standard-contact', monday)).toBe(monday + ms);
  });

  it('gives the high-level contact 48 hours on a manifestly unlawful report', () =>
    expect(stepDeadline(policy, 'high', 'deletion', 'high-level-contact', monday)).toBe(monday + 2 * DAY));
});

describe('the ladder', () => {
  it('runs standard contact → reminder → high-level contact → app-store pressure, then ends', () => {
    expect(LADDER_STEPS.map(nextStep)).toEqual(['reminder', 'high-level-contact', 'app-store-pressure', undefined]);
  });
});

describe('business-time steps', () => {
  it('skip the weekend', () => {
    const policy = defaultEscalationPolicy('telegram');
    policy.rules.high.deletion['standard-contact'] = { duration: 'PT24H', basis: 'business' };
    const friday = Date.parse('2026-03-06T11:00:00Z');
    expect(new Date(stepDeadline(policy, 'high', 'deletion', 'standard-contact', friday)).toISOString()).toBe('2026-03-09T11:00:00.000Z');
  });
});

describe('policyProblems', () => {
  it('names every problem an admin has to fix', () => {
    const policy = defaultEscalationPolicy('telegram') as unknown as Record<string, unknown>;
    const rules = JSON.parse(JSON.stringify(policy.rules));
    rules.critical.deletion.reminder = { duration: 'soon', basis: 'calendar' };
    rules.high['subscriber-data']['app-store-pressure'] = { duration: 'PT1H', basis: 'lunar' };
    delete rules.standard.deletion['high-level-contact'];
    expect(policyProblems({ ...policy, version: 0, holidayState: 'XX', rules })).toEqual([
      'version must be a whole number from 1',
      'holidayState must be one of BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH, TH',
      'rules.critical.deletion.reminder.duration: "soon" is not an ISO 8601 duration such as PT1H, PT30S, P7D or P2W',
      'rules.high.subscriber-data.app-store-pressure.basis must be "calendar" or "business"',
      'rules.standard.deletion.high-level-contact is missing',
    ]);
  });

  it('refuses something that is not a policy', () => expect(policyProblems(null)).toEqual(['a policy must be an object']));
});
