// A long case continues as new before its history grows large: its state, its deadlines and its updates
// carry over to the new run.
import { CLOCK_KINDS, defaultEscalationPolicy, LADDER_STEPS, ReportState, SEVERITIES } from '@engine/domain';
import { reportWorkflowId } from '@engine/contracts';
import { eventually } from './lifecycle-stack';
import { useLifecycleStack } from './use-lifecycle-stack';

const staff = { username: 'analyst.meyer', role: 'staff' as const };
type Active = Extract<ReportState, { status: 'active' }>;

describe('a long case', () => {
  const lifecycle = useLifecycleStack();

  it('continues as new, keeping its state, notes and running deadline', async () => {
    const stack = lifecycle();
    const rules = defaultEscalationPolicy('can').rules;
    for (const s of SEVERITIES) for (const c of CLOCK_KINDS) for (const step of LADDER_STEPS) rules[s][c][step] = { duration: 'PT6S', basis: 'calendar' };
    await stack.policies.change('can', { rules, appliesTo: 'new-cases', reason: 'Drill' }, { username: 'admin', role: 'admin' });
    // Started as the API would, with a low history limit so that a few actions are enough.
    const first = await stack.client.workflow.start('reportLifecycle', { workflowId: reportWorkflowId('long-1'), taskQueue: stack.taskQueue, args: [{ reportId: 'long-1', historyLimit: 40 }] });
    await stack.reports.file({ reportId: 'long-1', platform: 'can', channel: 'other', contentLocations: [{ url: 'https://t.me/c/9' }], excerpt: 'x', evidenceHash: 'sha256:9', seenAt: '2026-03-01T00:00:00.000Z', reporterReference: 'r' }, staff);
    await stack.reports.act('long-1', 'TriageReport', { decision: 'actionable', category: 'insult', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } }, staff);
    await stack.reports.act('long-1', 'RequestDeletion', {}, staff);
    for (let i = 1; i <= 12; i++) await stack.reports.act('long-1', 'AddNote', { text: `note ${i}` }, staff);

    const latest = await stack.client.workflow.getHandle(reportWorkflowId('long-1')).describe();
    expect(latest.runId).not.toBe(first.firstExecutionRunId);
    const state = (await stack.reports.get('long-1')) as Active;
    expect(state.notes.map((n) => n.text)).toEqual(Array.from({ length: 12 }, (_, i) => `note ${i + 1}`));
    expect(state.version).toBe(3 + 12);
    // The deadline set before the continue-as-new still elapses in the new run.
    await eventually(async () => {
      const now = (await stack.reports.get('long-1')) as Active;
      return now.clocks.deletion?.step === 'reminder' ? now : undefined;
    }, 20_000, 'the deadline to elapse in the continued run');
    expect((await stack.reports.events('long-1')).integrity).toEqual({ verified: true });
  }, 60_000);
});
