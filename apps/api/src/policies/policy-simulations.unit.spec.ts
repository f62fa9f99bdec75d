// Which policy a simulation tries: the holiday state as the request gives it, the one in force, or none.
import { defaultEscalationPolicy } from '@engine/domain';
import type { PolicyVersion } from './policies.service';
import { CandidatePolicy, runPolicySimulation } from './policy-simulations';

const inForce: PolicyVersion = {
  policy: { ...defaultEscalationPolicy('telegram'), version: 2, holidayState: 'BY' },
  appliesTo: 'new-cases',
  changedBy: 'ada',
  changedAt: '2026-01-01T00:00:00.000Z',
  reason: 'Bavarian holidays',
};

async function candidateFor(candidate: CandidatePolicy) {
  const deps = { versions: async () => [inForce], histories: async () => [], now: () => new Date('2026-03-10T00:00:00.000Z') };
  const report = await runPolicySimulation(deps, 'telegram', { candidate, from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
  return report.candidate;
}

describe('the holiday state of a simulated candidate', () => {
  const rules = defaultEscalationPolicy('telegram').rules;
  it('is the one in force when the request gives none, the one given otherwise', async () => {
    expect((await candidateFor({ rules })).holidayState).toBe('BY');
    expect((await candidateFor({ cells: {} })).holidayState).toBe('BY');
    expect((await candidateFor({ rules, holidayState: 'BE' })).holidayState).toBe('BE');
  });

  it('is none when the request gives null, as a policy saved without one', async () => {
    expect(await candidateFor({ rules, holidayState: null })).not.toHaveProperty('holidayState');
    expect(await candidateFor({ cells: {}, holidayState: null })).not.toHaveProperty('holidayState');
  });
});
