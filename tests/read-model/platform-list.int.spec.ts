// GET /api/platforms on the real pieces: cases stored and projected into the read model, a policy changed in the
// event store; the platforms service counts open and all cases per platform and reads the policy version in force.
import { reportEventId, reportStreamId } from '@engine/contracts';
import { PGliteDatabase } from '@engine/database';
import { defaultEscalationPolicy, fold, ReportEvent, reportDecider } from '@engine/domain';
import { EventQuarantine, openEventStore, SqlEventStore } from '@engine/event-store';
import { ReadModel } from '@engine/read-model';
import type { Client } from '@temporalio/client';
import { command, meta, HOUR } from '../../libs/domain/testing/report-fixtures';
import { StoreProjector } from '../../apps/worker/src/projector/store-projector';
import { ReadModelPlatformsService } from '../../apps/api/src/platforms/read-model-platforms.service';
import { EventSourcedPoliciesService } from '../../apps/api/src/policies/event-sourced-policies.service';
import { openProjectionStack } from './support/projection-stack';

describe('the platforms the engine has cases of', () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  let readModel: ReadModel;

  beforeAll(async () => {
    ({ database, eventStore, readModel } = await openProjectionStack());
  });
  afterAll(() => database.close());

  async function fileCase(reportId: string, platform: string, closed = false): Promise<void> {
    const events: ReportEvent[] = [];
    const decide = (c: Parameters<typeof reportDecider.decide>[0]) => events.push(...reportDecider.decide(c, fold(reportDecider, events)));
    decide(command.fileReport({ reportId, platform, policy: defaultEscalationPolicy(platform) }));
    if (closed) decide(command.close({ outcome: 'withdrawn' }, meta(HOUR)));
    await eventStore.append(reportStreamId(reportId), 0, events.map((event, i) => ({ eventId: reportEventId(reportId, i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })));
  }

  it('lists each platform by name with its open and all cases and the policy version in force', async () => {
    await fileCase('p-1', 'telegram');
    await fileCase('p-2', 'telegram', true);
    await fileCase('p-3', 'vk');
    await new StoreProjector({ database, store: eventStore, storeSchema: eventStore.schema, readModel, batchSize: 100, idlePollMs: 20 }).catchUp();
    // New cases only: no rollout, so Temporal is never asked.
    const policies = new EventSourcedPoliciesService({ eventStore, temporal: {} as Client, taskQueue: 'unused' });
    await policies.change('vk', { rules: defaultEscalationPolicy('vk').rules, appliesTo: 'new-cases', reason: 'Own contact agreed' }, { username: 'ada', role: 'admin' });

    const platforms = new ReadModelPlatformsService({ readModel, eventStore, policies, temporal: {} as Client });
    const beforeRegistry = { registeredBy: null, registeredAt: null };
    expect(await platforms.list()).toEqual([
      { platform: 'telegram', displayName: 'telegram', ...beforeRegistry, policyVersion: 1, policyChanged: false, openCases: 1, totalCases: 2 },
      { platform: 'vk', displayName: 'vk', ...beforeRegistry, policyVersion: 2, policyChanged: true, openCases: 1, totalCases: 1 },
    ]);
  });
});

describe('the platform registry', () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  let platforms: ReadModelPlatformsService;
  let policies: EventSourcedPoliciesService;
  const projector = () => new StoreProjector({ database, store: eventStore, storeSchema: eventStore.schema, readModel: new ReadModel(database), batchSize: 100, idlePollMs: 20 });

  beforeAll(async () => {
    database = await PGliteDatabase.open();
    eventStore = await openEventStore(database);
    const readModel = new ReadModel(database);
    await readModel.migrate();
    await new EventQuarantine(database, eventStore.schema).migrate();
    policies = new EventSourcedPoliciesService({ eventStore, temporal: {} as Client, taskQueue: 'unused' });
    platforms = new ReadModelPlatformsService({ readModel, eventStore, policies, temporal: {} as Client });
  });
  afterAll(() => database.close());

  it('knows no platform on a fresh store', async () => {
    expect(await platforms.list()).toEqual([]);
    expect(await platforms.resolve('telegram')).toBeUndefined();
  });

  it('registers a platform under its name in lower case, found in any case, and keeps it in the store', async () => {
    const registered = await platforms.register({ name: 'VK', displayName: 'VKontakte', reason: 'New reports' }, 'ada');
    expect(registered).toEqual({ platform: 'vk', displayName: 'VKontakte', registeredBy: 'ada', registeredAt: expect.any(String), policyVersion: 1, policyChanged: false, openCases: 0, totalCases: 0 });
    expect(await Promise.all(['vk', 'VK', 'Vk'].map((name) => platforms.resolve(name)))).toEqual(['vk', 'vk', 'vk']);
    const [stored] = await eventStore.readStream('platforms');
    expect(stored).toMatchObject({ type: 'PlatformRegistered', data: { platform: 'vk', displayName: 'VKontakte', reason: 'New reports' }, metadata: { actor: 'ada' } });
    // Another process, same store: the registry is read from it, not kept in memory.
    const other = new ReadModelPlatformsService({ readModel: new ReadModel(database), eventStore, policies, temporal: {} as Client });
    expect(await other.list()).toEqual([registered]);
  });

  it('refuses a second registration in any case, storing nothing', async () => {
    await expect(platforms.register({ name: 'vK' }, 'ada')).rejects.toMatchObject({ code: 'platform-already-registered' });
    expect(await eventStore.streamVersion('platforms')).toBe(1);
  });

  it('lets concurrent registrations of different platforms all through, and of one platform exactly one', async () => {
    const names = ['a1', 'a2', 'a3', 'A4', 'a4'];
    const outcomes = await Promise.allSettled(names.map((name) => platforms.register({ name }, 'ada')));
    expect(outcomes.map((outcome) => outcome.status).filter((status) => status === 'fulfilled')).toHaveLength(4);
    expect((await platforms.list()).map((known) => known.platform)).toEqual(['a1', 'a2', 'a3', 'a4', 'vk']);
  });

  it('knows the platforms that had cases or policy versions before the registry, under their spelling, and refuses to register them again', async () => {
    const events: ReportEvent[] = [];
    events.push(...reportDecider.decide(command.fileReport({ reportId: 'old-1', platform: 'Telegram', policy: defaultEscalationPolicy('Telegram') }), fold(reportDecider, events)));
    await eventStore.append(reportStreamId('old-1'), 0, events.map((event, i) => ({ eventId: reportEventId('old-1', i + 1), type: event.type, schemaVersion: 1, data: event.data, metadata: event.metadata })));
    await projector().catchUp();
    await policies.change('threema', { rules: defaultEscalationPolicy('threema').rules, appliesTo: 'new-cases', reason: 'Before the registry' }, { username: 'ada', role: 'admin' });

    expect(await platforms.resolve('telegram')).toBe('Telegram');
    expect(await platforms.resolve('TELEGRAM')).toBe('Telegram');
    expect(await platforms.resolve('Threema')).toBe('threema');
    expect(await platforms.resolve('telegarm')).toBeUndefined();
    await expect(platforms.register({ name: 'telegram' }, 'ada')).rejects.toMatchObject({ code: 'platform-already-registered', message: expect.stringContaining('Telegram') });
    expect((await platforms.list()).find((known) => known.platform === 'Telegram')).toEqual({
      platform: 'Telegram', displayName: 'Telegram', registeredBy: null, registeredAt: null, policyVersion: 1, policyChanged: false, openCases: 1, totalCases: 1,
    });
    expect(await platforms.get('threema')).toMatchObject({ platform: 'threema', policyVersion: 2, totalCases: 0 });
  });
});
