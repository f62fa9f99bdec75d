// The projector: reads the event store's global order after its checkpoint (the relay's reading loop, see
// StoreSubscription) and applies each batch of report events to the read model, saving its checkpoint in the same
// database transaction: a batch is applied entirely with its checkpoint, or not at all. Kafka plays no part, so
// nothing published to the topic can change the read model, and a rebuild reads the store from position 0.
//
// One projector per checkpoint at a time: each batch's transaction locks the checkpoint row first and applies the
// batch only if the checkpoint is still where this projector read from. A second projector (another worker with
// RUN_PROJECTOR=true) waits for the lock, finds the checkpoint moved, and goes on from there: no batch is applied
// twice, whatever runs.

import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SqlDatabase, SqlQueryable } from '@engine/database';
import {
  EventQuarantine,
  EventStore,
  ReadAllCursor,
  RetryPolicy,
  SqlCheckpointStore,
  StoredEvent,
  StoreSubscription,
  SubscriptionFailure,
  cursorAfterBatch,
} from '@engine/event-store';
import { reportIdOfStream, toLifecycleMessage } from '@engine/kafka';
import { READ_MODEL_CHECKPOINT, ReadModel } from '@engine/read-model';
import { contextFromTraceParent } from '@engine/telemetry';
import { projectOrQuarantine, QuarantiningOutcome } from './quarantining-projection';

export type ProjectorStage = 'read' | 'checkpoint' | 'project';

export interface ProjectedEvent {
  event: StoredEvent;
  reportId: string;
  outcome: QuarantiningOutcome;
}

export interface StoreProjectorOptions {
  /** The event store's database: the read model and the checkpoint are written in its transactions. */
  database: SqlDatabase;
  store: Pick<EventStore, 'readAll'>;
  /** The event store's schema (its checkpoint and quarantine tables). */
  storeSchema: string;
  readModel: ReadModel;
  /** The checkpoint's name; default READ_MODEL_CHECKPOINT. */
  name?: string;
  batchSize?: number;
  idlePollMs?: number;
  retry?: RetryPolicy;
  onFailure?: (failure: SubscriptionFailure<ProjectorStage>) => void;
  /** Told of each report event of a committed batch, in order (for logs). */
  onProjected?: (projected: ProjectedEvent) => void;
  /**
   * Whether the projector vacuums and analyses the read model now and then (ReadModel.maintain), as autovacuum does
   * on a server: default on PGlite only, which has no autovacuum. Told how long each took, or why it failed.
   */
  maintainReadModel?: boolean;
  /** The fewest applied events between two maintenances; default 5,000 (a fifth of the cases once that is more). */
  maintenanceMinEvents?: number;
  onMaintained?: (outcome: { ms: number } | { error: unknown }) => void;
}

/** Like autovacuum's threshold: maintenance once this many events, or a fifth of the cases if more, were applied. */
const MAINTENANCE_MIN_EVENTS = 5_000;
const MAINTENANCE_SHARE_OF_CASES = 0.2;

const tracer = () => trace.getTracer('@engine/read-model');

export class StoreProjector {
  private readonly subscription: StoreSubscription<'project'>;
  private readonly name: string;
  private projectedCount = 0;
  private readonly maintaining: boolean;
  private appliedSinceMaintenance = 0;
  private readonly maintenanceMinEvents: number;
  private maintenanceAfter: number;
  /** The cases when the statistics were last refreshed: again once they grew by a fifth (they change slowly). */
  private casesAtAnalyze = 0;

  constructor(private readonly options: StoreProjectorOptions) {
    this.name = options.name ?? READ_MODEL_CHECKPOINT;
    this.maintaining = options.maintainReadModel ?? options.database.kind === 'pglite';
    this.maintenanceMinEvents = options.maintenanceMinEvents ?? MAINTENANCE_MIN_EVENTS;
    this.maintenanceAfter = this.maintenanceMinEvents;
    const checkpoints = new SqlCheckpointStore(options.database, options.storeSchema);
    this.subscription = new StoreSubscription<'project'>({
      store: options.store,
      loadCheckpoint: () => checkpoints.load(this.name),
      // A rebuild rewinds the checkpoint while this projector may be idle: looked at again at every idle poll.
      reloadCheckpointWhenCaughtUp: true,
      batchSize: options.batchSize,
      idlePollMs: options.idlePollMs,
      retry: options.retry,
      onFailure: options.onFailure,
      handle: async (events, from, retrying) => {
        const { next, projected } = await retrying('project', () => this.applyBatch(events, from));
        this.projectedCount += projected.length;
        for (const each of projected) this.options.onProjected?.(each);
        await this.maintainIfDue(projected.length);
        return next;
      },
    });
  }

  /** Report events this projector object applied, quarantined or held (in committed batches). */
  get projected(): number {
    return this.projectedCount;
  }

  get running(): boolean {
    return this.subscription.running;
  }

  start(): void {
    this.subscription.start();
  }

  stop(): Promise<void> {
    return this.subscription.stop();
  }

  wake(): void {
    this.subscription.wake();
  }

  /** Projects at most one batch; returns how many stored events it read (0 when caught up). */
  runOnce(): Promise<number> {
    return this.subscription.runOnce();
  }

  /** Projects until caught up with the store as it is now; returns how many stored events it read. */
  async catchUp(): Promise<number> {
    let total = 0;
    // Caught up twice in a row: the second time after loading the checkpoint again (a rebuild may have rewound it).
    for (let idle = 0; idle < 2; ) {
      const read = await this.runOnce();
      total += read;
      idle = read === 0 ? idle + 1 : 0;
    }
    return total;
  }

  /** Between batches (VACUUM runs outside a transaction), once enough was applied since the last time. */
  private async maintainIfDue(applied: number): Promise<void> {
    if (!this.maintaining) return;
    this.appliedSinceMaintenance += applied;
    if (this.appliedSinceMaintenance < this.maintenanceAfter) return;
    this.appliedSinceMaintenance = 0;
    const started = performance.now();
    try {
      const cases = await this.options.readModel.caseCount();
      const analyze = this.casesAtAnalyze === 0 || cases >= this.casesAtAnalyze * (1 + MAINTENANCE_SHARE_OF_CASES);
      await this.options.readModel.maintain({ analyze });
      if (analyze) this.casesAtAnalyze = Math.max(1, cases);
      this.maintenanceAfter = Math.max(this.maintenanceMinEvents, Math.round(cases * MAINTENANCE_SHARE_OF_CASES));
      this.options.onMaintained?.({ ms: performance.now() - started });
    } catch (error) {
      this.options.onMaintained?.({ error }); // the read model stays right, only slower: projection goes on
    }
  }

  private applyBatch(events: StoredEvent[], from: ReadAllCursor): Promise<{ next: ReadAllCursor; projected: ProjectedEvent[] }> {
    const { database, storeSchema, readModel } = this.options;
    return database.transaction(async (tx) => {
      const checkpoints = new SqlCheckpointStore(tx, storeSchema);
      const saved = await checkpoints.lock(this.name);
      // Another projector applied this batch meanwhile, or a rebuild rewound the checkpoint: go on from there.
      if (!sameCursor(saved, from)) return { next: saved, projected: [] };
      const quarantine = new EventQuarantine(tx, storeSchema);
      const projected: ProjectedEvent[] = [];
      for (const event of events) {
        const reportId = reportIdOfStream(event.streamId);
        if (reportId === undefined) continue; // policy and dossier streams are not in the read model
        const outcome = await projectionSpan(event, reportId, () =>
          projectOrQuarantine(toLifecycleMessage(event), { readModel: { project: (message) => savepoint(tx, () => readModel.projectWithin(tx, message)) }, quarantine }),
        );
        projected.push({ event, reportId, outcome });
      }
      const next = cursorAfterBatch(events);
      await checkpoints.save(this.name, next);
      return { next, projected };
    });
  }
}

/** Runs `work` in a savepoint, so that a statement the database refuses (a quarantined event) leaves the batch usable. */
async function savepoint<T>(tx: SqlQueryable, work: () => Promise<T>): Promise<T> {
  await tx.exec('SAVEPOINT projecting_event');
  try {
    const result = await work();
    await tx.exec('RELEASE SAVEPOINT projecting_event');
    return result;
  } catch (error) {
    await tx.exec('ROLLBACK TO SAVEPOINT projecting_event');
    throw error;
  }
}

/** A span per projected event, child of the span that stored it (its traceparent is kept in the store). */
async function projectionSpan<T>(event: StoredEvent, reportId: string, work: () => Promise<T>): Promise<T> {
  const span = tracer().startSpan(
    'read-model project',
    { kind: SpanKind.CONSUMER, attributes: { 'event.id': event.eventId, 'event.type': event.type, 'report.id': reportId, 'event.stream_version': event.version } },
    contextFromTraceParent(event.traceParent),
  );
  try {
    const result = await work();
    if (result === 'quarantined' || result === 'held') span.setStatus({ code: SpanStatusCode.ERROR, message: `${result}: see npm run quarantine` });
    return result;
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

function sameCursor(a: ReadAllCursor, b: ReadAllCursor): boolean {
  return a.transactionId === b.transactionId && a.globalPosition === b.globalPosition;
}
