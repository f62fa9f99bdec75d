// What the engine needs in Temporal is created by the engine's own start where it may, and otherwise the start
// fails naming what is missing and the operator command: the API process against a fresh namespace (the real dev
// server, or the embedded stand-in as a process), the API and the worker against a namespace that does not exist.
import { Connection } from '@temporalio/client';
import { onRealEngines, realEngines } from '../support/engines';
import { registerTestNamespace, TestNamespace } from '../support/temporal-namespace';
import { createTestDatabase, postgresForTest, TestDatabase } from '../support/test-database';
import { AUTH_TOKENS, ChildProgram, freePort, startProgram } from './engine-process';

describe(`provisioning at start on ${onRealEngines ? 'the real Temporal dev server' : 'the embedded Temporal server'}`, () => {
  let temporalAddress = '';
  let standIn: ChildProgram | undefined;
  let database: TestDatabase | undefined;
  let skip = false;

  beforeAll(async () => {
    if (!(await postgresForTest())) {
      skip = true;
      return;
    }
    if (onRealEngines) {
      temporalAddress = realEngines().temporalAddress;
    } else {
      const port = await freePort();
      standIn = await startProgram('dist/libs/embedded-temporal/src/main.js', ['--port', String(port)], {}, 'listening on');
      temporalAddress = `127.0.0.1:${port}`;
    }
    database = await createTestDatabase('provisioning');
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
    await standIn?.stop();
  }, 30_000);

  const startApi = async (namespace: string) =>
    startProgram(
      'dist/apps/api/src/main.js',
      [],
      { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: namespace, DATABASE_URL: database!.url, PORT: String(await freePort()), HOST: '127.0.0.1', AUTH_TOKENS },
      'listening on',
      60_000,
    );

  const customAttributes = async (namespace: string) => {
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      return (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    } finally {
      await connection.close();
    }
  };

  it('creates the Platform search attribute (Keyword) in a namespace that lacks it', async () => {
    if (skip) return;
    let fresh: TestNamespace | undefined;
    if (onRealEngines) fresh = await registerTestNamespace(temporalAddress, 'provisioning');
    const namespace = fresh?.namespace ?? 'default';
    try {
      expect(await customAttributes(namespace)).not.toHaveProperty('Platform');
      const api = await startApi(namespace);
      try {
        expect(api.output()).toContain(`added search attribute Platform (Keyword) to Temporal namespace "${namespace}"`);
        expect(await customAttributes(namespace)).toMatchObject({ Platform: 2 /* INDEXED_VALUE_TYPE_KEYWORD */ });
      } finally {
        expect(await api.stop('SIGTERM')).toBe(0);
      }
      // A second start finds it and adds nothing.
      const again = await startApi(namespace);
      expect(again.output()).not.toContain('added search attribute');
      await again.stop('SIGTERM');
    } finally {
      await fresh?.remove();
    }
  }, 120_000);

  it('refuses to start in a namespace that does not exist, naming the command that creates it', async () => {
    if (skip) return;
    const start = startApi('no-such-namespace');
    await expect(start).rejects.toThrow(/exited \(1\) before it was ready/);
    await expect(start).rejects.toThrow('Temporal namespace "no-such-namespace" does not exist');
    await expect(start).rejects.toThrow('temporal operator namespace create --namespace no-such-namespace');
  }, 60_000);

  it('stops the worker too, before it polls, in a namespace that does not exist', async () => {
    if (skip) return;
    const env = { TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: 'no-such-namespace', DATABASE_URL: database!.url, RUN_RELAY: 'false', RUN_PROJECTOR: 'false' };
    const start = startProgram('dist/apps/worker/src/main.js', [], env, 'Temporal worker polling', 60_000);
    await expect(start).rejects.toThrow(/exited \(1\) before it was ready/);
    await expect(start).rejects.toThrow('temporal operator namespace create --namespace no-such-namespace');
  }, 60_000);
});
