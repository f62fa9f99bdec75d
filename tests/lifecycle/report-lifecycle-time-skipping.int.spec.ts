// The default policy's real deadlines (24 hours, 48 hours, 7 days) on the SDK's time-skipping test environment,
// started through the repository's embedded-server wrapper (on the real engines: Temporal's own time-skipping
// test server): a case climbs the whole ladder in seconds, and the app-store dossier is filed when its
// interval passes.
import * as path from 'node:path';
import type { Duration } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ReportState } from '@engine/domain';
import { onRealEngines, realEngines } from '../support/engines';
import { installRuntime, LifecycleStack, startLifecycleStack, takeWarnings } from './lifecycle-stack';

const testServer = onRealEngines ? realEngines().temporalTestServerPath : path.resolve(__dirname, '../../libs/embedded-temporal/bin/embedded-temporal');
const staff = { username: 'analyst.meyer', role: 'staff' as const };
const HOUR = 3_600_000;
type Active = Extract<ReportState, { status: 'active' }>;

describe('the default escalation policy in skipped time', () => {
  let env: TestWorkflowEnvironment;
  let stack: LifecycleStack;

  beforeAll(async () => {
    installRuntime(); // before the environment creates a default one
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServer } } });
    stack = await startLifecycleStack({ temporalAddress: env.address, dossierRules: { threshold: 10, interval: 'P7D' } });
    await stack.startWorker();
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  }, 60_000);
  afterEach(() => expect(takeWarnings()).toEqual([]));

  it('escalates a manifestly unlawful report after 24 h, 24 h and 48 h, files the dossier after 7 days, then exhausts', async () => {
    await stack.reports.file({ reportId: 'ts-1', platform: 'telegram', channel: 'state-police', contentLocations: [{ url: 'https://t.me/c/1' }], excerpt: 'Insult', evidenceHash: 'sha256:1', seenAt: '2026-03-01T00:00:00.000Z', reporterReference: 'r' }, staff);
    await stack.reports.act('ts-1', 'TriageReport', { decision: 'actionable', category: 'insult', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } }, staff);
    const requested = (await stack.reports.act('ts-1', 'RequestDeletion', {}, staff)) as Active;
    const sentAt = Date.parse(requested.clocks.deletion!.requestedAt);
    expect(Date.parse(requested.clocks.deletion!.deadline) - sentAt).toBe(24 * HOUR);

    const stepAfter = async (skip: Duration) => {
      await env.sleep(skip);
      return ((await stack.reports.get('ts-1')) as Active).clocks.deletion!;
    };
    expect(await stepAfter('23 hours')).toMatchObject({ step: 'standard-contact' });
    expect(await stepAfter('2 hours')).toMatchObject({ step: 'reminder' });
    expect(await stepAfter('25 hours')).toMatchObject({ step: 'high-level-contact' });
    const atAppStores = await stepAfter('49 hours');
    expect(atAppStores).toMatchObject({ step: 'app-store-pressure', status: 'running' });
    expect(Date.parse(atAppStores.deadline) - Date.parse(atAppStores.stepStartedAt)).toBe(7 * 24 * HOUR);

    // One report is below the dossier threshold: the interval files it.
    await env.sleep('1 hour');
    expect((await stack.eventStore.readStream('platform-telegram')).map((e) => e.type)).toEqual(['ReportAddedToDossier']);
    await env.sleep('7 days');
    expect((await stack.eventStore.readStream('platform-telegram')).map((e) => e.type)).toEqual(['ReportAddedToDossier', 'AppStoreDossierFiled']);
    const sent = await stack.sentMessages.list({ platform: 'telegram' });
    expect(sent.map((m) => m.recipient).sort()).toEqual(['apple-app-store', 'google-play', 'high-level-contact', 'standard-contact', 'standard-contact']);
    // What staff read on the case (GET /api/reports/:id/messages): each message once, with its delivery.
    expect((await stack.reports.messages('ts-1')).map((m) => [m.kind, m.recipient, m.channel, m.attempts, m.status, m.lastError])).toEqual([
      ['deletion-request', 'standard-contact', 'log-only', 1, 'recorded', null],
      ['reminder', 'standard-contact', 'log-only', 1, 'recorded', null],
      ['high-level-contact', 'high-level-contact', 'log-only', 1, 'recorded', null],
    ]);
    expect((await stack.reports.get('ts-1')) as Active).toMatchObject({ clocks: { deletion: { status: 'exhausted' } } });
  }, 120_000);

  it('takes a report out of the dossier when the platform answers before the filing', async () => {
    const file = { platform: 'answering', channel: 'state-police' as const, contentLocations: [{ url: 'https://t.me/c/2' }], excerpt: 'Threat', evidenceHash: 'sha256:2', seenAt: '2026-03-01T00:00:00.000Z', reporterReference: 'r' };
    await stack.reports.file({ ...file, reportId: 'ts-2' }, staff);
    await stack.reports.act('ts-2', 'TriageReport', { decision: 'actionable', category: 'threat', severity: 'critical', actions: { deletionRequest: true, subscriberDataRequest: false, referToProsecution: false } }, staff);
    await stack.reports.act('ts-2', 'RequestDeletion', {}, staff);
    await env.sleep('7 hours'); // critical: 1 h, 1 h, 4 h up to app-store pressure
    expect(((await stack.reports.get('ts-2')) as Active).clocks.deletion).toMatchObject({ step: 'app-store-pressure' });
    await stack.reports.act('ts-2', 'RecordPlatformResponse', { clock: 'deletion', response: 'removed' }, staff);
    await env.sleep('8 days'); // past the dossier's interval
    const stream = (await stack.eventStore.readStream('platform-answering')).map((e) => [e.type, e.data]);
    expect(stream).toEqual([
      ['ReportAddedToDossier', { reportId: 'ts-2' }],
      ['ReportWithdrawnFromDossier', { reportId: 'ts-2', reason: 'answered' }],
    ]);
    expect((await stack.sentMessages.list({ platform: 'answering' })).map((m) => m.recipient)).not.toContain('google-play');
  }, 120_000);
});
