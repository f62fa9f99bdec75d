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

describe('the platforms the engine has cases of', () => {
  let database: PGliteDatabase;
  let eventStore: SqlEventStore;
  let readModel: ReadModel;

  beforeAll(async () => {
    database = await PGliteDatabase.open();
    eventStore = await openEventStore(database);
    readModel = new ReadModel(database);
    await readModel.migrate();
    await new EventQuarantine(database, eventStore.schema).migrate();
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
    expect(await platforms.list()).toEqual([
      { platform: 'telegram', policyVersion: 1, policyChanged: false, openCases: 1, totalCases: 2 },
      { platform: 'vk', policyVersion: 2, policyChanged: true, openCases: 1, totalCases: 1 },
    ]);
  });
});
