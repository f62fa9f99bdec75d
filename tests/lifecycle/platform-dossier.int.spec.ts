// A platform's app-store dossier workflow: long-running, it continues as new and keeps what it gathered; an
// admin can have it filed at once.
import { platformDossierWorkflowId } from '@engine/contracts';
import { DossierState } from '@engine/domain';
import { ReadModel } from '@engine/read-model';
import { ReadModelPlatformsService } from '../../apps/api/src/platforms/read-model-platforms.service';
import { dossierStateQuery, fileDossierNowSignal, reportEscalatedToAppStoresSignal } from '../../workflows/platform-dossier.messages';
import { eventually } from './lifecycle-stack';
import { useLifecycleStack } from './use-lifecycle-stack';

describe('the app-store dossier of a platform', () => {
  const lifecycle = useLifecycleStack();

  it('continues as new with its pending reports and files them all when an admin asks', async () => {
    const stack = lifecycle();
    const workflowId = platformDossierWorkflowId('cantest');
    const first = await stack.client.workflow.start('platformDossier', {
      workflowId,
      taskQueue: stack.taskQueue,
      args: [{ platform: 'cantest', rules: { threshold: 100, interval: 'P30D' }, historyLimit: 30 }],
    });
    const handle = stack.client.workflow.getHandle(workflowId);
    for (let i = 1; i <= 12; i++) {
      await handle.signal(reportEscalatedToAppStoresSignal, { reportId: `r-${i}`, actor: 'system:timer' });
      await eventually(async () => ((await handle.query(dossierStateQuery)).pending.length === i ? true : undefined), 10_000, `report ${i} to join`);
    }
    await handle.signal(reportEscalatedToAppStoresSignal, { reportId: 'r-3', actor: 'system:timer' }); // already in: ignored
    expect((await handle.describe()).runId).not.toBe(first.firstExecutionRunId);

    // What GET /api/platforms/cantest/dossier answers: the members from the stream, the rules from the running run.
    const platforms = new ReadModelPlatformsService({ readModel: new ReadModel(stack.database), eventStore: stack.eventStore, temporal: stack.client, policies: stack.policies });
    const before = await platforms.dossier('cantest');
    expect(before).toMatchObject({ platform: 'cantest', running: true, rules: { threshold: 100, interval: 'P30D' }, rulesSource: 'running', filings: [] });
    expect(before.members.map((m) => [m.reportId, m.addedBy])).toEqual(Array.from({ length: 12 }, (_, i) => [`r-${i + 1}`, 'system:timer']));
    expect(Date.parse(before.nextFilingDueAt!) - Date.parse(before.members[0].addedAt)).toBe(30 * 86_400_000);
    expect(await platforms.dossier('nodossier')).toEqual({ platform: 'nodossier', running: false, rules: null, rulesSource: null, nextFilingDueAt: null, members: [], filings: [] });

    await handle.signal(fileDossierNowSignal, { actor: 'admin.kurz' });
    const filed: DossierState = await eventually(async () => {
      const state = await handle.query(dossierStateQuery);
      return state.filed === 1 ? state : undefined;
    }, 10_000, 'the dossier to be filed');
    expect(filed.pending).toEqual([]);
    expect(filed.filedReportIds).toEqual(Array.from({ length: 12 }, (_, i) => `r-${i + 1}`));

    const stream = await stack.eventStore.readStream(workflowId);
    expect(stream.map((e) => e.type)).toEqual([...Array(12).fill('ReportAddedToDossier'), 'AppStoreDossierFiled']);
    expect(stream[12].data).toMatchObject({ dossierNumber: 1, trigger: 'admin', reportIds: filed.filedReportIds });
    expect(stream[12].metadata.actor).toBe('admin.kurz');
    expect((await stack.eventStore.verifyStream(workflowId)).ok).toBe(true);
    const after = await platforms.dossier('cantest');
    expect(after).toMatchObject({ running: true, members: [], nextFilingDueAt: null });
    expect(after.filings).toEqual([{ dossierNumber: 1, reportIds: filed.filedReportIds, trigger: 'admin', filedAt: expect.any(String), filedBy: 'admin.kurz' }]);
    // The state says filed once the filing is stored; the app stores are written to right after (an activity).
    const sent = await eventually(async () => {
      const messages = await stack.sentMessages.list({ platform: 'cantest' });
      return messages.length >= 2 ? messages : undefined;
    }, 10_000, 'the dossier to reach the app stores');
    expect(sent.map((m) => m.recipient).sort()).toEqual(['apple-app-store', 'google-play']);
    expect(sent[0].payload).toMatchObject({ dossierNumber: 1, trigger: 'admin' });
  }, 60_000);

  it("takes an admin's threshold and interval at run time, and files when an admin asks (the API's service)", async () => {
    const stack = lifecycle();
    const workflowId = platformDossierWorkflowId('settings');
    const platforms = new ReadModelPlatformsService({ readModel: new ReadModel(stack.database), eventStore: stack.eventStore, temporal: stack.client, policies: stack.policies });
    await expect(platforms.changeDossierRules('settings', { threshold: 2, interval: 'P1D' }, 'admin.kurz')).rejects.toMatchObject({ code: 'no-dossier-running' });
    await expect(platforms.fileDossier('settings', 'admin.kurz')).rejects.toMatchObject({ code: 'no-dossier-running' });
    await stack.client.workflow.start('platformDossier', { workflowId, taskQueue: stack.taskQueue, args: [{ platform: 'settings', rules: { threshold: 100, interval: 'P30D' } }] });
    const handle = stack.client.workflow.getHandle(workflowId);
    await expect(platforms.fileDossier('settings', 'admin.kurz')).rejects.toMatchObject({ code: 'dossier-empty' });
    const join = async (reportId: string, count: number) => {
      await handle.signal(reportEscalatedToAppStoresSignal, { reportId, actor: 'system:timer' });
      await eventually(async () => ((await handle.query(dossierStateQuery)).pending.length === count ? true : undefined), 10_000, `${reportId} to join`);
    };
    const typesOfStream = async () => (await stack.eventStore.readStream(workflowId)).map((e) => [e.type, (e.data as { trigger?: string }).trigger]);

    // A threshold the waiting reports already reach files them at once.
    await join('a', 1);
    await join('b', 2);
    const changed = await platforms.changeDossierRules('settings', { threshold: 2, interval: 'P30D' }, 'admin.kurz');
    expect(changed.rules).toEqual({ threshold: 2, interval: 'P30D' });
    // The change is recorded on the dossier's stream, with the filing it caused.
    await eventually(async () => ((await typesOfStream()).length === 4 ? true : undefined), 10_000, 'the new threshold to file');
    expect((await typesOfStream()).slice(2)).toEqual([['DossierRulesChanged', undefined], ['AppStoreDossierFiled', 'threshold']]);
    const [recorded] = await stack.eventStore.readStream(workflowId, 3);
    expect(recorded).toMatchObject({ data: { threshold: 2, interval: 'P30D' }, metadata: { actor: 'admin.kurz' } });

    // A shorter interval reaches the timer of the waiting run.
    await join('c', 1);
    const shorter = await platforms.changeDossierRules('settings', { threshold: 2, interval: 'PT1S' }, 'admin.kurz');
    expect(Date.parse(shorter.nextFilingDueAt!) - Date.parse(shorter.members[0].addedAt)).toBe(1_000);
    await eventually(async () => ((await typesOfStream()).length === 7 ? true : undefined), 10_000, 'the new interval to file');
    expect((await typesOfStream()).slice(5)).toEqual([['DossierRulesChanged', undefined], ['AppStoreDossierFiled', 'interval']]);

    // The workflow's own validator refuses rules the API's checks would have caught; nothing changes.
    await expect(platforms.changeDossierRules('settings', { threshold: 0, interval: 'P1D' }, 'admin.kurz')).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/threshold 0/) });
    expect((await handle.query(dossierStateQuery)).rules).toEqual({ threshold: 2, interval: 'PT1S' });

    // An admin's filing: the reports waiting go, by the admin.
    await platforms.changeDossierRules('settings', { threshold: 10, interval: 'P30D' }, 'admin.kurz');
    await join('d', 1);
    expect(await platforms.fileDossier('settings', 'admin.kurz')).toEqual({ platform: 'settings', reportIds: ['d'], requestedBy: 'admin.kurz' });
    const filed = await eventually(async () => {
      const dossier = await platforms.dossier('settings');
      return dossier.filings.length === 3 ? dossier : undefined;
    }, 10_000, 'the admin filing');
    expect(filed.filings.map((f) => [f.dossierNumber, f.reportIds, f.trigger, f.filedBy])).toEqual([
      [1, ['a', 'b'], 'threshold', 'admin.kurz'],
      [2, ['c'], 'interval', 'system:timer'],
      [3, ['d'], 'admin', 'admin.kurz'],
    ]);
    expect(filed).toMatchObject({ members: [], rules: { threshold: 10, interval: 'P30D' } });
  }, 60_000);

  it("keeps an admin's rules when the dossier's workflow is terminated and a new run starts with the configured ones", async () => {
    const stack = lifecycle();
    const workflowId = platformDossierWorkflowId('kept');
    const platforms = new ReadModelPlatformsService({ readModel: new ReadModel(stack.database), eventStore: stack.eventStore, temporal: stack.client, policies: stack.policies });
    const configured = { workflowId, taskQueue: stack.taskQueue, args: [{ platform: 'kept', rules: { threshold: 100, interval: 'P30D' } }] } as const;
    await stack.client.workflow.start('platformDossier', configured);
    await platforms.changeDossierRules('kept', { threshold: 2, interval: 'P3D' }, 'admin.kurz');
    await stack.client.workflow.getHandle(workflowId).terminate('operator restarts the dossier');
    // With none running, GET …/dossier answers the recorded rules: those the next run applies.
    expect(await platforms.dossier('kept')).toMatchObject({ running: false, rules: { threshold: 2, interval: 'P3D' }, rulesSource: 'recorded', nextFilingDueAt: null });

    // As joinAppStoreDossier does it: signal-with-start with the configured rules.
    await stack.client.workflow.signalWithStart('platformDossier', { ...configured, signal: reportEscalatedToAppStoresSignal, signalArgs: [{ reportId: 'a', actor: 'system:timer' }] });
    const handle = stack.client.workflow.getHandle(workflowId);
    const joined = await eventually(async () => {
      const state = await handle.query(dossierStateQuery);
      return state.pending.length === 1 ? state : undefined;
    }, 10_000, 'the report to join the new run');
    expect(joined.rules).toEqual({ threshold: 2, interval: 'P3D' });
    await handle.signal(reportEscalatedToAppStoresSignal, { reportId: 'b', actor: 'system:timer' });
    await eventually(async () => ((await handle.query(dossierStateQuery)).filed === 1 ? true : undefined), 10_000, "the admin's threshold to file");
    expect((await platforms.dossier('kept')).filings.map((f) => [f.reportIds, f.trigger])).toEqual([[['a', 'b'], 'threshold']]);
  }, 60_000);

  it('picks up its stream when a new run starts after the last one was terminated', async () => {
    const stack = lifecycle();
    const workflowId = platformDossierWorkflowId('restarted');
    const options = { workflowId, taskQueue: stack.taskQueue, args: [{ platform: 'restarted', rules: { threshold: 100, interval: 'P30D' } }] } as const;
    await stack.client.workflow.start('platformDossier', options);
    const handle = stack.client.workflow.getHandle(workflowId);
    for (const reportId of ['a', 'b']) await handle.signal(reportEscalatedToAppStoresSignal, { reportId, actor: 'system:timer' });
    await eventually(async () => ((await handle.query(dossierStateQuery)).pending.length === 2 ? true : undefined), 10_000, 'two reports to join');
    await handle.terminate('new dossier rules');

    // As joinAppStoreDossier does it: signal-with-start, now with new rules.
    await stack.client.workflow.signalWithStart('platformDossier', {
      ...options,
      args: [{ platform: 'restarted', rules: { threshold: 3, interval: 'P30D' } }],
      signal: reportEscalatedToAppStoresSignal,
      signalArgs: [{ reportId: 'c', actor: 'system:timer' }],
    });
    const filed = await eventually(async () => {
      const state = await stack.client.workflow.getHandle(workflowId).query(dossierStateQuery);
      return state.filed === 1 ? state : undefined;
    }, 10_000, 'the third report to reach the new threshold');
    expect(filed.filedReportIds).toEqual(['a', 'b', 'c']);
    expect((await stack.eventStore.readStream(workflowId)).map((e) => e.version)).toEqual([1, 2, 3, 4]);
  }, 60_000);
});
