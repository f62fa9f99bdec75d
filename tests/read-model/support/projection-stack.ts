// What the projector's specs stand on: an in-memory PGlite with the event store, the read model and the projector's
// quarantine, each migrated.

import { PGliteDatabase } from '@engine/database';
import { EventQuarantine, openEventStore, SqlEventStore } from '@engine/event-store';
import { ReadModel } from '@engine/read-model';

export interface ProjectionStack {
  database: PGliteDatabase;
  eventStore: SqlEventStore;
  readModel: ReadModel;
}

export async function openProjectionStack(): Promise<ProjectionStack> {
  const database = await PGliteDatabase.open();
  const eventStore = await openEventStore(database);
  const readModel = new ReadModel(database);
  await readModel.migrate();
  await new EventQuarantine(database, eventStore.schema).migrate();
  return { database, eventStore, readModel };
}
