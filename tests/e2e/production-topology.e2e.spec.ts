// The production path, on one machine: the API and the worker as separate processes (their production entry
// points) against servers reached by address: Temporal and Kafka (the stand-ins, run as their own processes)
// and a real PostgreSQL. Same code as `npm start`, wired the way deploy/ wires it.
import { Client } from 'pg';
import { AUTH_TOKENS, ChildProgram, freePort, httpClient, startProgram } from './engine-process';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const database = `engine_e2e_${process.pid}_${Date.now()}`;

async function postgresReachable(): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('production topology: separate API and worker processes on PostgreSQL', () => {
  const programs: ChildProgram[] = [];
  let baseUrl = '';
  let reachable = false;

  beforeAll(async () => {
    reachable = await postgresReachable();
    if (!reachable) {
      if (process.env.CI) throw new Error(`PostgreSQL is not reachable at ${adminUrl}`);
      console.warn(`SKIPPED: PostgreSQL is not reachable at ${adminUrl}`);
      return;
    }
    await admin(`CREATE DATABASE ${database}`);
    const databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${database}`);
    const [temporalPort, kafkaPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    programs.push(await startProgram('dist/libs/embedded-temporal/src/main.js', ['--port', String(temporalPort)], {}, 'listening on'));
    programs.push(await startProgram('dist/libs/embedded-kafka/src/main.js', ['--port', String(kafkaPort), '--initial-rebalance-delay-ms', '100'], {}, 'listening on'));
    const shared = { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, DATABASE_URL: databaseUrl };
    programs.push(await startProgram('dist/apps/worker/src/main.js', [], shared, 'Temporal worker polling'));
    programs.push(await startProgram('dist/apps/api/src/main.js', [], { ...shared, PORT: String(apiPort), HOST: '127.0.0.1', AUTH_TOKENS }, 'listening on'));
    baseUrl = `http://127.0.0.1:${apiPort}`;
  }, 120_000);

  afterAll(async () => {
    for (const program of programs.reverse()) await program.stop();
    if (reachable) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, 60_000);

  it('files and works a case, publishes it to Kafka, projects it, and stops cleanly', async () => {
    if (!reachable) return;
    const http = httpClient(baseUrl);
    expect((await http.get('/health', null)).status).toBe(200);
    const filed = await http.post('/api/reports', {
      platform: 'telegram',
      channel: 'citizen-portal',
      contentLocations: [{ url: 'https://t.me/c/42' }],
      excerpt: 'Threat against a mayor',
      evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      seenAt: '2026-11-20T10:00:00Z',
      reporterReference: 'portal-42',
    });
    expect(filed.status).toBe(201);
    const id = filed.body.report.reportId as string;
    await http.post(`/api/reports/${id}/triage`, { decision: 'actionable', category: 'threat', severity: 'high', actions: { deletionRequest: true, subscriberDataRequest: true, referToProsecution: false } });
    await http.post(`/api/reports/${id}/deletion-request`);
    const state = await http.post(`/api/reports/${id}/data-request`);
    expect(state.body.clocks).toMatchObject({ deletion: { status: 'running' }, 'subscriber-data': { status: 'running' } });

    // The worker's relay publishes, its projector consumes, the API lists: all through PostgreSQL and Kafka.
    const until = Date.now() + 30_000;
    let listed: Record<string, unknown>[] = [];
    while (Date.now() < until) {
      listed = (await http.get(`/api/reports?platform=telegram`)).body.items ?? [];
      if (listed.some((item) => item.reportId === id && item.version === 4)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(listed.find((item) => item.reportId === id)).toMatchObject({ status: 'active', severity: 'high', version: 4 });
    expect((await http.get(`/api/reports/${id}/events`)).body.integrity).toEqual({ verified: true });

    const client = new Client({ connectionString: adminUrl.replace(/\/[^/]*$/, `/${database}`) });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT kind, status FROM (SELECT payload->>'kind' AS kind, status FROM platform_gateway.sent_messages) m ORDER BY kind`);
      expect(rows).toEqual([{ kind: 'deletion-request', status: 'recorded' }, { kind: 'subscriber-data-request', status: 'recorded' }]);
    } finally {
      await client.end();
    }
    for (const program of programs.splice(2).reverse()) expect(await program.stop('SIGTERM')).toBe(0);
  }, 90_000);
});
