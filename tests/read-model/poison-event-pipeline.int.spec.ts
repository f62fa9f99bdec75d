// A stored event the projector can never apply (a time in the year 21192, which PostgreSQL refuses as a
// timestamp: what `P1000000W` yielded before durations were bounded) no longer stops the read model: on the
// engine as `npm start` assembles it (embedded Temporal and Kafka on one partition, PGlite, the worker with relay
// and projector, the API), the event is quarantined, its report held, every other report still projected, and
// /health and /metrics say so. And since the read model comes from the store, nothing published to the topic (a
// forged event, garbage) changes it.

import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import { reportEventId, reportStreamId } from '@engine/contracts';
import { openDatabase, SqlDatabase } from '@engine/database';
import { EmbeddedKafka } from '@engine/embedded-kafka';
import { EmbeddedTemporalServer } from '@engine/embedded-temporal';
import { EventQuarantine, openEventStore, StoredEvent } from '@engine/event-store';
import { toLifecycleRecord } from '@engine/kafka';
import { ReadModel } from '@engine/read-model';
import { createLogger, useRootLogger } from '@engine/telemetry';
import { connectClient } from '@engine/temporal';
import { Kafka } from 'kafkajs';
import { REPORTS_TOPIC } from '@engine/contracts';
import { parseAuthTokens, StaticTokenVerifier } from '../../apps/api/src/auth/static-tokens';
import { createEngineApi } from '../../apps/api/src/engine/create-engine-api';
import { readWorkerConfig } from '../../apps/worker/src/config/worker-config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { filing } from '../lifecycle/report-filing';
import { eventually } from '../support/eventually';

jest.setTimeout(120_000);

const TOKEN = 'staff-token-poison-0123456789abcdef';
const EVIDENCE = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** The engine's log lines at warning and above, kept instead of printed. */
const problems: { msg?: string; reportId?: string }[] = [];

describe('a poison event on the engine', () => {
  const stops: (() => Promise<unknown>)[] = [];
  let baseUrl = '';
  let database: SqlDatabase;
  let brokers = '';

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        problems.push(...String(chunk).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg?: string }));
        done();
      },
    });
    useRootLogger(createLogger({ level: 'warn', format: 'json' }, sink));
    const dataDir = mkdtempSync(join(tmpdir(), 'poison-'));
    stops.unshift(async () => rmSync(dataDir, { recursive: true, force: true }));
    const temporalServer = await EmbeddedTemporalServer.start({ port: 0, host: '127.0.0.1' });
    stops.unshift(() => temporalServer.stop());
    const kafka = await EmbeddedKafka.start({ port: 0, host: '127.0.0.1', initialRebalanceDelayMs: 0 });
    stops.unshift(() => kafka.stop());
    brokers = `127.0.0.1:${kafka.port}`;
    database = await openDatabase({ dataDir: join(dataDir, 'postgres') });
    stops.unshift(() => database.close());
    const workerConfig = readWorkerConfig({ TEMPORAL_ADDRESS: temporalServer.address, KAFKA_BROKERS: `127.0.0.1:${kafka.port}`, KAFKA_TOPIC_PARTITIONS: '1' });
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.forRoot(workerConfig, database, { closeDatabase: false }), { logger: false });
    await worker.init();
    stops.unshift(() => worker.close());
    const temporal: Client = await connectClient(workerConfig.temporal);
    stops.unshift(() => temporal.connection.close());
    const api: INestApplication = await createEngineApi({
      database,
      temporal,
      taskQueue: workerConfig.temporal.taskQueue,
      kafka: workerConfig.kafka,
      platforms: ['telegram'],
      tokenVerifier: new StaticTokenVerifier(parseAuthTokens(`${TOKEN}=staff:analyst.meyer`)),
      shutdownHooks: false,
    });
    await api.listen(0, '127.0.0.1');
    stops.unshift(() => api.close());
    baseUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    for (const stop of stops.splice(0)) await stop().catch(() => undefined);
  });

  const projectedVersion = async (reportId: string) => {
    const list = (await (await call('GET', `/api/reports?limit=100`)).json()) as { items: { reportId: string; version: number }[] };
    return list.items.find((item) => item.reportId === reportId)?.version;
  };

  it('is quarantined, its report held, the other reports projected, and /health and /metrics report it', async () => {
    const filed = await call('POST', '/api/reports', { ...filing('poisoned'), evidenceHash: EVIDENCE });
    expect(filed.status).toBe(201);
    await eventually(async () => ((await projectedVersion('poisoned')) === 1 ? true : undefined), 30_000, 'the first report in the read model');

    // Behind the workflow's back, as a stored event from before the bounds would be: its time is out of range.
    const store = await openEventStore(database);
    await store.append(reportStreamId('poisoned'), 1, [
      { eventId: reportEventId('poisoned', 2), type: 'NoteAdded', schemaVersion: 1, data: { text: 'from another age' }, metadata: { actor: 'analyst.meyer', now: new Date(Date.UTC(21192, 0, 1)).toISOString() } },
    ]);
    const other = await call('POST', '/api/reports', { ...filing('healthy'), evidenceHash: EVIDENCE });
    expect(other.status).toBe(201);

    // On the one partition, behind the poison event: projected all the same.
    await eventually(async () => ((await projectedVersion('healthy')) === 1 ? true : undefined), 30_000, 'the other report in the read model');
    expect(await projectedVersion('poisoned')).toBe(1);
    expect(await new EventQuarantine(database, store.schema).list()).toEqual([
      expect.objectContaining({ component: 'projector', streamId: reportStreamId('poisoned'), version: 2, error: expect.stringMatching(/range|date|time/i) }),
    ]);

    expect(problems).toContainEqual(expect.objectContaining({ reportId: 'poisoned', msg: expect.stringMatching(/^quarantined an event that cannot be projected/) }));

    // The relay publishes to Kafka on its own clock: wait until it has caught up, so the message is settled.
    type Health = { details: Record<string, { status: string; message?: string; degraded?: boolean }> };
    const health = await eventually(async () => {
      const answer = (await (await fetch(`${baseUrl}/health`)).json()) as Health;
      return /relay lag 0;/.test(answer.details.pipeline?.message ?? '') ? answer : undefined;
    }, 30_000, 'the relay caught up');
    expect(health.details.pipeline).toEqual({
      status: 'up',
      degraded: true,
      message: 'degraded: relay lag 0; projector lag 0, 1 event(s) quarantined; list them with npm run quarantine',
    });
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toContain('quarantined_events{component="projector"} 1');
    expect(metrics).toContain('quarantined_events{component="relay"} 0');
  });

  it('is not changed by what is published to the topic: a forged ReportClosed and an unreadable message change nothing', async () => {
    // Well-formed, with every header the relay sets, at the report's next version: on a topic-fed read model it
    // would close the case. The projector reads the store, so it never sees it (nor the garbage beside it).
    const forged = toLifecycleRecord({
      globalPosition: 1_000_000,
      transactionId: '1',
      streamId: reportStreamId('healthy'),
      version: 2,
      eventId: reportEventId('healthy', 2),
      type: 'ReportClosed',
      schemaVersion: 1,
      data: { outcome: 'removed' },
      metadata: { actor: 'analyst.meyer', now: new Date().toISOString() },
      recordedAt: new Date().toISOString(),
      hash: 'forged',
      previousHash: 'forged',
    } as StoredEvent);
    const producer = new Kafka({ clientId: 'forger', brokers: [brokers], logLevel: 0 }).producer();
    await producer.connect();
    await producer.send({ topic: REPORTS_TOPIC, messages: [forged, { key: 'healthy', value: 'not a lifecycle message' }] });
    await producer.disconnect();
    const noted = await call('POST', '/api/reports/healthy/notes', { text: 'Checked again' });
    expect(noted.status).toBe(200);
    await eventually(async () => ((await projectedVersion('healthy')) === 2 ? true : undefined), 30_000, 'the note in the read model');
    const detail = (await (await call('GET', '/api/reports?limit=100')).json()) as { items: { reportId: string; status: string }[] };
    expect(detail.items.find((item) => item.reportId === 'healthy')?.status).toBe('in-triage');
    expect((await new ReadModel(database).timeline('healthy')).map((entry) => entry.type)).toEqual(['ReportFiled', 'NoteAdded']);
    // Nothing of the topic reaches the projector's quarantine either: only the poison stored event is there.
    expect((await new EventQuarantine(database, 'event_store').list('projector')).map((entry) => entry.streamId)).toEqual([reportStreamId('poisoned')]);
  });
});
