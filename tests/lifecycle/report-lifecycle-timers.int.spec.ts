// Deadlines on the embedded Temporal server: pausing and resuming moves them, a policy change reaches running
// cases, and a worker restart mid-case loses nothing.
import { CLOCK_KINDS, defaultEscalationPolicy, LADDER_STEPS, ReportState, SEVERITIES } from '@engine/domain';
import { eventually, LifecycleStack, startLifecycleStack, takeWarnings } from './lifecycle-stack';

const staff = { username: 'analyst.meyer', role: 'staff' as const };
const admin = { username: 'admin.kurz', role: 'admin' as const };
type Active = Extract<ReportState, { status: 'active' | 'paused' }>;

function uniformRules(duration: string) {
  const rules = defaultEscalationPolicy('telegram').rules;
  for (const s of SEVERITIES) for (const c of CLOCK_KINDS) for (const step of LADDER_STEPS) rules[s][c][step] = { duration, basis: 'calendar' };
  return rules;
}

const filing = (reportId: string, platform = 'telegram') => ({
  reportId,
  platform,
  channel: 'citizen-portal' as const,
  contentLocations: [{ channel: 'examplegroup', messageIds: ['17'] }],
  excerpt: 'Threat against a doctor',
  evidenceHash: 'sha256:abcd',
  seenAt: '2026-03-01T20:15:00.000Z',
  reporterReference: 'portal-77',
});
const triage = { decision: 'actionable', category: 'threat', severity: 'standard', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false } };

async function requested(stack: LifecycleStack, reportId: string, platform = 'telegram'): Promise<Active> {
  await stack.reports.file(filing(reportId, platform), staff);
  await stack.reports.act(reportId, 'TriageReport', triage, staff);
  return (await stack.reports.act(reportId, 'RequestDeletion', {}, staff)) as Active;
}

describe('deadlines of a report on Temporal', () => {
  let stack: LifecycleStack;
  let worker: { stop(): Promise<void> };

  beforeAll(async () => {
    stack = await startLifecycleStack();
    worker = await stack.startWorker();
  }, 60_000);
  afterAll(() => stack?.stop(), 30_000);
  afterEach(() => expect(takeWarnings()).toEqual([]));

  it('stops the clocks while paused and extends the deadline by the paused span', async () => {
    await stack.policies.change('paused-platform', { rules: uniformRules('PT3S'), appliesTo: 'new-cases', reason: 'Drill' }, admin);
    const before = await requested(stack, 'pause-1', 'paused-platform');
    const deadline = Date.parse(before.clocks.deletion!.deadline);
    await stack.reports.act('pause-1', 'PauseCase', { reason: 'awaiting-prosecutor' }, staff);
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // past the original deadline
    const paused = (await stack.reports.get('pause-1')) as Active;
    expect(paused).toMatchObject({ status: 'paused', clocks: { deletion: { step: 'standard-contact' } } });
    const resumed = (await stack.reports.act('pause-1', 'ResumeCase', {}, staff)) as Active;
    expect(resumed.status).toBe('active');
    expect(Date.parse(resumed.clocks.deletion!.deadline) - deadline).toBeGreaterThanOrEqual(3_900);
    // …and the moved deadline still elapses on its own.
    await eventually(async () => {
      const state = (await stack.reports.get('pause-1')) as Active;
      return state.clocks.deletion?.step === 'reminder' ? state : undefined;
    }, 15_000, 'the moved deadline to elapse');
  }, 60_000);

  it('applies a policy change to running cases: each records the version and its recomputed deadline', async () => {
    const before = await requested(stack, 'policy-1', 'policy-platform');
    expect(before.policy.version).toBe(1);
    const oldDeadline = before.clocks.deletion!.deadline;
    const change = await stack.policies.change('policy-platform', { rules: uniformRules('PT1H'), appliesTo: 'running-cases', reason: 'Faster answers' }, admin);
    expect(change).toMatchObject({ policy: { version: 2 }, rollout: { id: 'policy-rollout-policy-platform-v2' } });
    const after = await eventually(async () => {
      const state = (await stack.reports.get('policy-1')) as Active;
      return state.policy.version === 2 ? state : undefined;
    }, 15_000, 'the case to follow policy version 2');
    const requestedAt = Date.parse(after.clocks.deletion!.stepStartedAt);
    expect(Date.parse(after.clocks.deletion!.deadline)).toBe(requestedAt + 3_600_000);
    const applied = (await stack.reports.events('policy-1')).events.find((e) => e.type === 'PolicyApplied');
    expect(applied?.data).toMatchObject({ previousVersion: 1, reason: 'Faster answers', deadlines: [{ clock: 'deletion', previousDeadline: oldDeadline }] });
  }, 60_000);

  it('resumes after a worker restart mid-case and lets the deadline elapse', async () => {
    await stack.policies.change('restart-platform', { rules: uniformRules('PT4S'), appliesTo: 'new-cases', reason: 'Drill' }, admin);
    await requested(stack, 'restart-1', 'restart-platform');
    await worker.stop(); // as a deploy would: the timer is the server's, the next worker picks the case up
    worker = await stack.startWorker();
    await eventually(async () => {
      const state = (await stack.reports.get('restart-1')) as Active;
      return state.clocks.deletion?.step === 'reminder' ? state : undefined;
    }, 20_000, 'the deadline to elapse after the restart');
    const note = await stack.reports.act('restart-1', 'AddNote', { text: 'Still waiting' }, staff);
    expect(note.version).toBeGreaterThan(4);
  }, 60_000);

});
