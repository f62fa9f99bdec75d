// A report's whole lifecycle on the embedded Temporal server with the real SDK worker: escalation by
// deadlines that really elapse (a drill policy of seconds), the app-store dossier, and refused steps.
import { IllegalStepError, defaultEscalationPolicy, LADDER_STEPS, CLOCK_KINDS, SEVERITIES, ReportState } from '@engine/domain';
import { reportWorkflowId } from '@engine/contracts';
import { eventually } from './lifecycle-stack';
import { filing, staff } from './report-filing';
import { useLifecycleStack } from './use-lifecycle-stack';

const admin = { username: 'admin.kurz', role: 'admin' as const };

function drillRules(duration: string) {
  const rules = defaultEscalationPolicy('telegram').rules;
  for (const s of SEVERITIES) for (const c of CLOCK_KINDS) for (const step of LADDER_STEPS) rules[s][c][step] = { duration, basis: 'calendar' };
  return rules;
}

const triage = { decision: 'actionable', category: 'call-to-murder', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true } };

describe('the report lifecycle on Temporal', () => {
  const lifecycle = useLifecycleStack({ dossierRules: { threshold: 1, interval: 'P7D' } });

  it('escalates on its own through the whole ladder, files the app-store dossier, and closes after a verified removal', async () => {
    const stack = lifecycle();
    await stack.policies.change('telegram', { rules: drillRules('PT2S'), appliesTo: 'new-cases', reason: 'Drill' }, admin);
    const { created, report } = await stack.reports.file(filing('drill-1'), staff);
    expect(created).toBe(true);
    expect(report).toMatchObject({ status: 'in-triage', policy: { version: 2 } });
    await stack.reports.act('drill-1', 'TriageReport', triage, staff);
    const requested = await stack.reports.act('drill-1', 'RequestDeletion', {}, staff);
    expect(requested).toMatchObject({ clocks: { deletion: { status: 'running', step: 'standard-contact' } } });

    const atAppStores = await eventually(async () => {
      const state = await stack.reports.get('drill-1');
      return state.status === 'active' && state.clocks.deletion?.step === 'app-store-pressure' ? state : undefined;
    }, 30_000, 'the ladder to reach app-store pressure');
    expect(atAppStores.clocks.deletion?.escalated).toBe(true);

    const messages = await eventually(async () => {
      const sent = await stack.sentMessages.list({ platform: 'telegram' });
      return sent.some((m) => m.recipient === 'google-play') ? sent : undefined;
    }, 20_000, 'the dossier to reach the app stores');
    expect(messages.map((m) => `${m.recipient}:${m.payload.kind ?? 'dossier'}`).reverse()).toEqual([
      'standard-contact:deletion-request',
      'standard-contact:reminder',
      'high-level-contact:high-level-contact',
      'apple-app-store:dossier',
      'google-play:dossier',
    ]);
    expect((await stack.eventStore.readStream('platform-telegram')).map((e) => e.type)).toEqual(['ReportAddedToDossier', 'AppStoreDossierFiled']);

    await stack.reports.act('drill-1', 'RecordPlatformResponse', { clock: 'deletion', response: 'removed' }, staff);
    await stack.reports.act('drill-1', 'VerifyRemoval', { result: 'gone' }, staff);
    const closed = await stack.reports.act('drill-1', 'CloseCase', { outcome: 'removed-after-escalation' }, staff);
    expect(closed).toMatchObject({ status: 'closed', closure: { outcome: 'removed-after-escalation' } });

    const stream = await stack.reports.events('drill-1');
    expect(stream.integrity).toEqual({ verified: true });
    expect(stream.events.map((e) => e.type)).toEqual([
      'ReportFiled', 'ReportTriaged', 'DeletionRequested',
      'DeadlineElapsed', 'RequestEscalated', 'DeadlineElapsed', 'RequestEscalated', 'DeadlineElapsed', 'RequestEscalated',
      'PlatformResponseRecorded', 'RemovalConfirmed', 'ReportClosed',
    ]);
    expect(stream.events.map((e) => e.eventId)).toEqual(stream.events.map((_, i) => `drill-1:${i + 1}`));
    expect(stream.events[3].actor).toBe('system:timer');
  }, 90_000);

  it('refuses an illegal step with the domain reason and writes nothing to history', async () => {
    const stack = lifecycle();
    await stack.reports.file(filing('refused-1'), staff);
    const handle = stack.client.workflow.getHandle(reportWorkflowId('refused-1'));
    const before = (await handle.fetchHistory()).events?.length;
    await expect(stack.reports.act('refused-1', 'RecordPlatformResponse', { clock: 'deletion', response: 'removed' }, staff)).rejects.toMatchObject({
      constructor: IllegalStepError,
      code: 'request-not-sent',
      message: expect.stringMatching(/No deletion request has been sent/),
    });
    await expect(stack.reports.act('refused-1', 'ResumeCase', {}, staff)).rejects.toMatchObject({ code: 'case-not-paused' });
    expect((await handle.fetchHistory()).events?.length).toBe(before);
    expect((await stack.reports.events('refused-1')).events).toHaveLength(1);
  }, 60_000);

  it('answers an unknown report as not found', async () => {
    const stack = lifecycle();
    await expect(stack.reports.get('no-such-report')).rejects.toMatchObject({ name: 'ReportNotFoundError' });
    await expect(stack.reports.act('no-such-report', 'AddNote', { text: 'x' }, staff)).rejects.toMatchObject({ name: 'ReportNotFoundError' });
  }, 30_000);

  it('files once per Idempotency-Key', async () => {
    const stack = lifecycle();
    const first = await stack.reports.file(filing(), staff, 'key-1');
    const again = await stack.reports.file(filing(), staff, 'key-1');
    expect(again.created).toBe(false);
    expect((again.report as Exclude<ReportState, { status: 'not-filed' }>).report.reportId).toBe((first.report as Exclude<ReportState, { status: 'not-filed' }>).report.reportId);
    await expect(stack.reports.file({ ...filing(), excerpt: 'something else' }, staff, 'key-1')).rejects.toMatchObject({ name: 'IdempotencyKeyReusedError' });
  }, 30_000);

  it('picks up its stream when a new run starts after the last one was terminated: a second filing is refused as such, and the case lives on', async () => {
    const stack = lifecycle();
    await stack.reports.file(filing('revived'), staff);
    await stack.reports.act('revived', 'TriageReport', triage, staff);
    await stack.client.workflow.getHandle(reportWorkflowId('revived')).terminate('operator stopped the case by mistake');

    // Filing the report again starts a new run, which reads the case from its stream before deciding.
    await expect(stack.reports.file(filing('revived'), staff)).rejects.toMatchObject({ code: 'already-filed' });
    const requested = await stack.reports.act('revived', 'RequestDeletion', {}, staff);
    expect(requested).toMatchObject({ status: 'active', version: 3, clocks: { deletion: { status: 'running', step: 'standard-contact' } } });
    const stream = await stack.reports.events('revived');
    expect(stream.events.map((e) => [e.streamVersion, e.type])).toEqual([[1, 'ReportFiled'], [2, 'ReportTriaged'], [3, 'DeletionRequested']]);
    expect(stream.integrity).toEqual({ verified: true });
  }, 30_000);
});
