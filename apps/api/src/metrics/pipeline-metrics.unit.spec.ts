import { cursorAfter, ReadAllCursor, START_OF_ALL, StoredEvent } from '@engine/event-store';
import { READ_MODEL_CHECKPOINT } from '@engine/read-model';
import { MetricsService } from './metrics.service';
import { PipelineMetrics, PipelineSources, TAIL_EVENTS_PER_SCRAPE } from './pipeline-metrics';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

function event(position: number, type: string, data: Record<string, unknown> = {}, recordedAt = '2026-12-01T10:00:00.000Z'): StoredEvent {
  return { globalPosition: position, transactionId: String(position), streamId: 'report-r1', version: position, eventId: `e${position}`, type, schemaVersion: 1, data, metadata: { actor: 'system' }, recordedAt, hash: '', previousHash: '' } as StoredEvent;
}

/** An event store of `events` that counts how many it was asked for, and a read model of fixed figures. */
function fakeSources(events: StoredEvent[], openCases: Record<string, number> = {}) {
  const reads: number[] = [];
  const checkpoints = new Map<string, ReadAllCursor>();
  const sources: PipelineSources = {
    eventStore: {
      readAll: async (after, limit) => {
        const found = events.filter((e) => e.globalPosition > after.globalPosition).slice(0, limit);
        reads.push(found.length);
        return found;
      },
      countAfter: async (after) => events.filter((e) => e.globalPosition > after.globalPosition).length,
    },
    checkpoints: { load: async (name) => checkpoints.get(name) ?? START_OF_ALL },
    readModel: { count: async () => 3, openCasesByStatus: async () => openCases },
  };
  return { sources, reads, events, checkpoints, setOpenCases: (next: Record<string, number>) => (openCases = next) };
}

describe('PipelineMetrics', () => {
  it('counts deadlines with their lateness and dossier filings once each, however many scrapes run at once', async () => {
    const metrics = new MetricsService();
    const store = fakeSources([
      event(1, 'ReportFiled'),
      event(2, 'DeadlineElapsed', { clock: 'deletion', step: 'standard-contact', deadline: '2026-12-01T09:59:58.500Z' }),
      event(3, 'AppStoreDossierFiled'),
    ]);
    new PipelineMetrics(metrics, store.sources);
    const [first] = await Promise.all([metrics.exposition(), metrics.exposition()]);
    expect(sample(first, 'deadlines_elapsed_total{clock="deletion",step="standard-contact"}')).toBe(1);
    expect(sample(first, 'deadline_lateness_seconds_sum{clock="deletion"}')).toBe(1.5);
    expect(sample(first, 'deadline_lateness_seconds_bucket{le="2",clock="deletion"}')).toBe(1);
    expect(sample(first, 'deadline_lateness_seconds_bucket{le="1",clock="deletion"}')).toBe(0);
    expect(sample(first, 'dossier_filings_total')).toBe(1);
    expect(sample(first, 'escalations_total')).toBe(3);
    expect(sample(first, 'outbox_lag_events')).toBe(3);

    store.events.push(event(4, 'DeadlineElapsed', { clock: 'subscriber-data', step: 'made-up-step', deadline: '2026-12-01T10:00:00.000Z' }));
    const second = await metrics.exposition();
    expect(sample(second, 'deadlines_elapsed_total{clock="deletion",step="standard-contact"}')).toBe(1);
    expect(sample(second, 'deadlines_elapsed_total{clock="subscriber-data",step="other"}')).toBe(1);
    expect(sample(second, 'deadline_lateness_seconds_sum{clock="subscriber-data"}')).toBe(0);
    expect(sample(second, 'dossier_filings_total')).toBe(1);
  });

  it('reads at most TAIL_EVENTS_PER_SCRAPE events a scrape, and the rest at the next', async () => {
    const metrics = new MetricsService();
    const many = Array.from({ length: TAIL_EVENTS_PER_SCRAPE + 1500 }, (_, i) => event(i + 1, 'AppStoreDossierFiled'));
    const store = fakeSources(many);
    new PipelineMetrics(metrics, store.sources);
    expect(sample(await metrics.exposition(), 'dossier_filings_total')).toBe(TAIL_EVENTS_PER_SCRAPE);
    expect(store.reads.reduce((a, b) => a + b, 0)).toBe(TAIL_EVENTS_PER_SCRAPE);
    expect(sample(await metrics.exposition(), 'dossier_filings_total')).toBe(TAIL_EVENTS_PER_SCRAPE + 1500);
  });

  it("shows the projector's lag as the events stored after its own checkpoint, apart from the relay's", async () => {
    const metrics = new MetricsService();
    const store = fakeSources([event(1, 'ReportFiled'), event(2, 'NoteAdded'), event(3, 'NoteAdded')]);
    new PipelineMetrics(metrics, store.sources);
    expect(sample(await metrics.exposition(), 'projector_lag_events')).toBe(3);
    store.checkpoints.set(READ_MODEL_CHECKPOINT, cursorAfter(store.events[1]));
    const text = await metrics.exposition();
    expect(sample(text, 'projector_lag_events')).toBe(1);
    expect(sample(text, 'outbox_lag_events')).toBe(3);
    expect(text).not.toContain('projector_lag_messages');
  });

  it('shows open cases by status, and drops a status once no case has it', async () => {
    const metrics = new MetricsService();
    const store = fakeSources([], { 'in-triage': 2, active: 5 });
    new PipelineMetrics(metrics, store.sources);
    const first = await metrics.exposition();
    expect(sample(first, 'open_cases{status="in-triage"}')).toBe(2);
    expect(sample(first, 'open_cases{status="active"}')).toBe(5);
    store.setOpenCases({ active: 7 });
    const second = await metrics.exposition();
    expect(sample(second, 'open_cases{status="in-triage"}')).toBeUndefined();
    expect(sample(second, 'open_cases{status="active"}')).toBe(7);
  });
});
