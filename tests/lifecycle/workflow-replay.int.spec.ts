// Recorded histories of the project's workflows replay against today's workflow code, so a change to workflow
// logic that is not guarded by `patched()` fails CI instead of breaking running cases in production.
//
// The histories under histories/ were recorded from real runs on the embedded server, those under
// histories/temporal-dev-server/ on the real Temporal dev server (`temporal` CLI 1.9.1, Server 1.32.0); both sets
// replay in `npm test`. Record them anew (only when a change is deliberately incompatible and no case runs
// anywhere) with:
//   RECORD_HISTORIES=1 npm test -- tests/lifecycle/workflow-replay                     (the stand-in's)
//   RECORD_HISTORIES=1 npm run test:engines -- tests/lifecycle/workflow-replay         (the real server's)
// Each recording test writes only its own files: pick one with -t to add histories without touching the others.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { CLOCK_KINDS, defaultEscalationPolicy, LADDER_STEPS, SEVERITIES } from '@engine/domain';
import { platformDossierWorkflowId, reportWorkflowId } from '@engine/contracts';
import { workflowBundleOptions } from '@engine/temporal';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { currentTracing, startTracing, temporalWorkerTracing } from '@engine/telemetry';
import { onRealEngines } from '../support/engines';
import { policyRolloutWorkflowId } from '../../workflows/policy-rollout.messages';
import { changeDossierRulesUpdate, dossierStateQuery, reportEscalatedToAppStoresSignal } from '../../workflows/platform-dossier.messages';
import { eventually, startLifecycleStack } from './lifecycle-stack';

const HISTORIES = join(__dirname, 'histories');
/** Where this run records: the real dev server's histories apart from the stand-in's. */
const RECORD_INTO = onRealEngines ? join(HISTORIES, 'temporal-dev-server') : HISTORIES;
const staff = { username: 'analyst.meyer', role: 'staff' as const };
const admin = { username: 'admin.kurz', role: 'admin' as const };

const describeRecording = process.env.RECORD_HISTORIES ? describe : describe.skip;

describeRecording('recording workflow histories', () => {
  it('records a drill case through the ladder, a paused case, a policy change and a refused update', async () => {
    const stack = await startLifecycleStack({ dossierRules: { threshold: 1, interval: 'P7D' } });
    await stack.startWorker();
    try {
      const rules = defaultEscalationPolicy('drill').rules;
      for (const s of SEVERITIES) for (const c of CLOCK_KINDS) for (const step of LADDER_STEPS) rules[s][c][step] = { duration: 'PT1S', basis: 'calendar' };
      await stack.policies.change('drill', { rules, appliesTo: 'new-cases', reason: 'Drill' }, admin);
      const filing = (reportId: string, platform: string) => ({
        reportId, platform, channel: 'state-police' as const, contentLocations: [{ url: 'https://t.me/c/1' }], excerpt: 'Threat', evidenceHash: 'sha256:1', seenAt: '2026-03-01T20:15:00.000Z', reporterReference: 'ref',
      });
      const triage = { decision: 'actionable', category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: true } };

      await stack.reports.file(filing('ladder', 'drill'), staff);
      await stack.reports.act('ladder', 'TriageReport', triage, staff);
      await stack.reports.act('ladder', 'RequestDeletion', {}, staff);
      await stack.reports.act('ladder', 'RequestSubscriberData', {}, staff);
      await eventually(async () => {
        const state = await stack.reports.get('ladder');
        return state.status === 'active' && state.clocks.deletion?.status === 'exhausted' && state.clocks['subscriber-data']?.status === 'exhausted' ? true : undefined;
      }, 30_000);
      await stack.reports.act('ladder', 'RecordPlatformResponse', { clock: 'deletion', response: 'refused', reason: 'No' }, staff);
      await stack.reports.act('ladder', 'CloseCase', { outcome: 'refused-and-referred-to-prosecution' }, staff);

      await stack.reports.file(filing('paused', 'telegram'), staff);
      await stack.reports.act('paused', 'TriageReport', triage, staff);
      await stack.reports.act('paused', 'RequestDeletion', {}, staff);
      await stack.reports.act('paused', 'PauseCase', { reason: 'awaiting-court-order' }, staff);
      await expect(stack.reports.act('paused', 'Escalate', { clock: 'deletion', reason: 'x' }, staff)).rejects.toMatchObject({ code: 'case-paused' });
      await stack.reports.act('paused', 'ResumeCase', {}, staff);
      await stack.policies.change('telegram', { rules, appliesTo: 'running-cases', reason: 'Drill for all' }, admin);
      await eventually(async () => {
        const state = await stack.reports.get('paused');
        return state.status === 'active' && state.clocks.deletion?.step !== 'standard-contact' ? true : undefined;
      }, 30_000);
      await stack.reports.act('paused', 'AssignCase', { assignee: 'b.weber' }, staff);
      const rollout = await stack.client.workflow.getHandle(policyRolloutWorkflowId('telegram', 2)).result();
      expect(rollout).toMatchObject({ status: 'completed', notified: 1 });

      for (const workflowId of [reportWorkflowId('ladder'), reportWorkflowId('paused'), platformDossierWorkflowId('drill'), policyRolloutWorkflowId('telegram', 2)]) {
        const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
        // Binary protobuf: the SDK's JSON helper trips over a second protobufjs copy in node_modules.
        mkdirSync(RECORD_INTO, { recursive: true });
        writeFileSync(join(RECORD_INTO, `${workflowId}.history.pb`), temporal.api.history.v1.History.encode(history).finish());
      }
    } finally {
      await stack.stop();
    }
  }, 120_000);
});

describeRecording('recording workflow histories of the decider host', () => {
  // Recorded apart from the test above (select it with -t), so that the older histories stay as they were.
  it('records a dossier whose rules an admin changed, and a case filed again after its run was terminated', async () => {
    const stack = await startLifecycleStack({ dossierRules: { threshold: 100, interval: 'P30D' } });
    await stack.startWorker();
    try {
      const dossier = stack.client.workflow.getHandle(platformDossierWorkflowId('rules'));
      await stack.client.workflow.start('platformDossier', { workflowId: platformDossierWorkflowId('rules'), taskQueue: stack.taskQueue, args: [{ platform: 'rules', rules: { threshold: 100, interval: 'P30D' } }] });
      for (const reportId of ['a', 'b']) await dossier.signal(reportEscalatedToAppStoresSignal, { reportId, actor: 'system:timer' });
      await eventually(async () => ((await dossier.query(dossierStateQuery)).pending.length === 2 ? true : undefined), 10_000);
      await dossier.executeUpdate(changeDossierRulesUpdate, { args: [{ rules: { threshold: 2, interval: 'P30D' }, actor: admin.username }] });
      await dossier.signal(reportEscalatedToAppStoresSignal, { reportId: 'c', actor: 'system:timer' });
      await dossier.executeUpdate(changeDossierRulesUpdate, { args: [{ rules: { threshold: 5, interval: 'PT1S' }, actor: admin.username }] });
      await eventually(async () => ((await dossier.query(dossierStateQuery)).filed === 2 ? true : undefined), 10_000);
      await eventually(async () => ((await stack.sentMessages.list({ platform: 'rules' })).length === 4 ? true : undefined), 10_000);

      const filing = { reportId: 'revived', platform: 'telegram', channel: 'state-police' as const, contentLocations: [{ url: 'https://t.me/c/1' }], excerpt: 'Threat', evidenceHash: 'sha256:1', seenAt: '2026-03-01T20:15:00.000Z', reporterReference: 'ref' };
      await stack.reports.file(filing, staff);
      await stack.reports.act('revived', 'TriageReport', { decision: 'actionable', category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: true } }, staff);
      await stack.client.workflow.getHandle(reportWorkflowId('revived')).terminate('recording');
      await expect(stack.reports.file(filing, staff)).rejects.toMatchObject({ code: 'already-filed' });
      await stack.reports.act('revived', 'RequestDeletion', {}, staff);
      await stack.reports.act('revived', 'AddNote', { text: 'Revived' }, staff);

      for (const workflowId of [platformDossierWorkflowId('rules'), reportWorkflowId('revived')]) {
        const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
        mkdirSync(RECORD_INTO, { recursive: true });
        writeFileSync(join(RECORD_INTO, `${workflowId}.history.pb`), temporal.api.history.v1.History.encode(history).finish());
      }
    } finally {
      await stack.stop();
    }
  }, 120_000);
});

describe('replaying recorded workflow histories', () => {
  // Paths relative to histories/: the stand-in's at the top, the real dev server's in temporal-dev-server/.
  const files = (readdirSync(HISTORIES, { recursive: true }) as string[]).filter((file) => file.endsWith('.history.pb')).sort();

  it('has recorded histories to replay, from the stand-in and from the real dev server', () => {
    expect(files.filter((file) => !file.includes('/')).length).toBeGreaterThanOrEqual(3);
    expect(files.filter((file) => file.startsWith('temporal-dev-server/')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('replays %s without non-determinism', async (file) => {
    const history = temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, file)));
    await Worker.runReplayHistory({ ...workflowBundleOptions() }, history, basename(file).replace(/\.history\.pb$/, ''));
  }, 60_000);

  // Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT) bundles OpenTelemetry's workflow interceptors into the workflow code:
  // they read and write headers and add no command, so every recorded history replays with them too.
  it('replays every history with the tracing interceptors in the workflow bundle', async () => {
    const tracing = startTracing({ serviceName: 'replay', exporter: new InMemorySpanExporter() });
    try {
      const { interceptors, sinks } = temporalWorkerTracing(tracing);
      expect(interceptors?.workflowModules).toHaveLength(1);
      const histories = files.map((file) => ({
        history: temporal.api.history.v1.History.decode(readFileSync(join(HISTORIES, file))),
        workflowId: basename(file).replace(/\.history\.pb$/, ''),
      }));
      const failures: string[] = [];
      for await (const result of Worker.runReplayHistories({ ...workflowBundleOptions(), interceptors: { workflowModules: interceptors?.workflowModules }, sinks }, histories)) {
        if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
      }
      expect(failures).toEqual([]);
    } finally {
      await currentTracing().shutdown();
    }
  }, 120_000);
});
