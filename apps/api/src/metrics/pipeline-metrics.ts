// What the pipeline behind the API is doing, read at scrape time from where the truth is kept (the event store,
// the relay's and the projector's checkpoints, the read model), never from counters of the worker or
// relay process: in the production topology those run elsewhere, and the API's figures must still be right.
//
// Every query is bounded so that a scrape on a big store stays cheap:
// - relay lag: counts the events after the relay's checkpoint (an index range of the unpublished events only);
// - projector lag: likewise, the events after the projector's checkpoint (it reads the store, not the topic);
// - open cases by status, escalations: index-only counts (read_model.reports(status), timeline(type));
// - deadlines elapsed with their lateness, dossier filings: a tail of the event store that reads only the events
//   appended since the previous scrape, at most TAIL_EVENTS_PER_SCRAPE per scrape (the rest waits for the next).
//   The tail starts, in each API process, where the relay stands at the first scrape: these are Prometheus
//   counters, which start at 0 in a new process; `increase()` and `rate()` take the restart in their stride,
//   and re-reading a store of millions of events at every start would be the scan this avoids.

import { CLOCK_KINDS, LADDER_STEPS } from '@engine/domain';
import { REPORTS_TOPIC } from '@engine/contracts';
import { CheckpointStore, cursorAfter, ReadAllCursor, StoredEvent } from '@engine/event-store';
import { Counter, Gauge, Histogram } from 'prom-client';
import { READ_MODEL_CHECKPOINT } from '@engine/read-model';
import { MetricsService } from './metrics.service';

export interface PipelineSources {
  eventStore: {
    readAll(after: ReadAllCursor, limit: number): Promise<StoredEvent[]>;
    countAfter(after: ReadAllCursor): Promise<number>;
  };
  checkpoints: Pick<CheckpointStore, 'load'>;
  readModel: {
    count(eventType: string): Promise<number>;
    openCasesByStatus(): Promise<Record<string, number>>;
  };
}

const TAIL_BATCH = 1000;
export const TAIL_EVENTS_PER_SCRAPE = 5 * TAIL_BATCH;

/** Label values from stored data are checked against the domain's lists, so no series can multiply without bound. */
const known = (value: unknown, values: readonly string[]): string => (typeof value === 'string' && values.includes(value) ? value : 'other');

export class PipelineMetrics {
  private readonly openCases: Gauge<'status'>;
  private readonly projectorLag: Gauge;
  private readonly deadlinesElapsed: Counter<'clock' | 'step'>;
  private readonly lateness: Histogram<'clock'>;
  private readonly dossierFilings: Counter;
  private tailCursor?: ReadAllCursor;
  private tailRun?: Promise<void>;

  constructor(
    metrics: MetricsService,
    private readonly sources: PipelineSources,
  ) {
    const registers = [metrics.registry];
    this.openCases = new Gauge({ name: 'open_cases', help: 'Cases not closed, by status (read model).', labelNames: ['status'], registers });
    this.projectorLag = new Gauge({
      name: 'projector_lag_events',
      help: 'Events stored after the projector\'s checkpoint: not yet taken into the read model (quarantined ones excluded: they are behind it).',
      registers,
    });
    this.deadlinesElapsed = new Counter({
      name: 'deadlines_elapsed_total',
      help: 'Deadlines that elapsed (DeadlineElapsed events stored), by clock and ladder step, since this process began watching the store.',
      labelNames: ['clock', 'step'],
      registers,
    });
    this.lateness = new Histogram({
      name: 'deadline_lateness_seconds',
      help: 'How long after its deadline an elapsed deadline was recorded (recordedAt minus the deadline), by clock.',
      labelNames: ['clock'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14_400, 86_400],
      registers,
    });
    this.dossierFilings = new Counter({
      name: 'dossier_filings_total',
      help: 'App-store dossiers filed (AppStoreDossierFiled events stored), since this process began watching the store.',
      registers,
    });

    metrics.onScrape(async () => metrics.setOutboxLag(await sources.eventStore.countAfter(await sources.checkpoints.load(REPORTS_TOPIC))), 'relay-lag');
    metrics.onScrape(async () => metrics.setEscalations(await sources.readModel.count('RequestEscalated')), 'read-model');
    metrics.onScrape(() => this.refreshOpenCases(), 'read-model');
    metrics.onScrape(() => this.advanceTail(), 'event-store');
    metrics.onScrape(async () => this.projectorLag.set(await sources.eventStore.countAfter(await sources.checkpoints.load(READ_MODEL_CHECKPOINT))), 'projector-lag');
  }

  private async refreshOpenCases(): Promise<void> {
    const counts = await this.sources.readModel.openCasesByStatus();
    this.openCases.reset(); // a status that has no case any more reads 0, not its last count
    for (const [status, count] of Object.entries(counts)) this.openCases.set({ status }, count);
  }

  /** Reads the events appended since the last scrape; concurrent scrapes share one read, so none is counted twice. */
  advanceTail(): Promise<void> {
    this.tailRun ??= this.readTail().finally(() => {
      this.tailRun = undefined;
    });
    return this.tailRun;
  }

  private async readTail(): Promise<void> {
    this.tailCursor ??= await this.sources.checkpoints.load(REPORTS_TOPIC);
    for (let read = 0; read < TAIL_EVENTS_PER_SCRAPE; read += TAIL_BATCH) {
      const events = await this.sources.eventStore.readAll(this.tailCursor, TAIL_BATCH);
      for (const event of events) this.observe(event);
      if (events.length > 0) this.tailCursor = cursorAfter(events[events.length - 1]);
      if (events.length < TAIL_BATCH) return;
    }
  }

  private observe(event: StoredEvent): void {
    switch (event.type) {
      case 'DeadlineElapsed': {
        const clock = known(event.data.clock, CLOCK_KINDS);
        this.deadlinesElapsed.inc({ clock, step: known(event.data.step, LADDER_STEPS) });
        const lateMs = Date.parse(event.recordedAt) - Date.parse(String(event.data.deadline));
        if (Number.isFinite(lateMs)) this.lateness.observe({ clock }, Math.max(0, lateMs) / 1000);
        return;
      }
      case 'AppStoreDossierFiled':
        this.dossierFilings.inc();
        return;
      default:
        return;
    }
  }
}
