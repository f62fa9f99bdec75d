// The policy service on a real event store (PGlite) with a Temporal client that cannot be reached: a change for
// running cases is refused as unavailable with nothing stored (its rollout could not be started first), while a
// change for new cases needs no Temporal at all.
import type { Client } from '@temporalio/client';
import { defaultEscalationPolicy } from '@engine/domain';
import { createEventStore, SqlEventStore } from '@engine/event-store';
import { EngineUnavailableError } from '../reports/reports.service';
import { EventSourcedPoliciesService } from './event-sourced-policies.service';

const admin = { username: 'ada', role: 'admin' as const };
const unreachable = {
  workflow: { start: () => Promise.reject(new Error('14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233')) },
} as unknown as Client;

describe('policy changes while Temporal cannot be reached', () => {
  let eventStore: SqlEventStore;
  let policies: EventSourcedPoliciesService;
  beforeAll(async () => {
    eventStore = await createEventStore({});
    policies = new EventSourcedPoliciesService({ eventStore, temporal: unreachable, taskQueue: 'reports' });
  });
  afterAll(() => eventStore.close());

  it('refuses a change for running cases with 503 and stores nothing', async () => {
    const change = { rules: defaultEscalationPolicy('telegram').rules, appliesTo: 'running-cases' as const, reason: 'Faster' };
    await expect(policies.change('telegram', change, admin)).rejects.toThrow(EngineUnavailableError);
    expect(await policies.versions('telegram')).toHaveLength(1);
  });

  it('stores a change for new cases without Temporal', async () => {
    const stored = await policies.change('telegram', { rules: defaultEscalationPolicy('telegram').rules, appliesTo: 'new-cases', reason: 'Later' }, admin);
    expect(stored).toMatchObject({ policy: { version: 2 }, appliesTo: 'new-cases', changedBy: 'ada' });
    expect(stored).not.toHaveProperty('rollout');
  });
});
