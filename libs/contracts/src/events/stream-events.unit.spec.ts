import { eventsToStore, storedAsDomainEvents } from './stream-events';

const decided = [
  { type: 'ReportAddedToDossier', data: { reportId: 'r-1' }, metadata: { actor: 'system:timer', now: '2026-03-02T09:00:00.000Z' } },
  { type: 'AppStoreDossierFiled', data: { dossierNumber: 1, reportIds: ['r-1'], trigger: 'threshold' }, metadata: { actor: 'system:timer', now: '2026-03-02T09:00:00.000Z' } },
];

describe('decided events to store', () => {
  it('numbers them from the expected version on, with the stream id in each event id', () => {
    const toStore = eventsToStore(decided, { streamId: 'platform-telegram', expectedVersion: 4 });
    expect(toStore.map((e) => [e.eventId, e.type, e.schemaVersion])).toEqual([
      ['platform-telegram:5', 'ReportAddedToDossier', 1],
      ['platform-telegram:6', 'AppStoreDossierFiled', 1],
    ]);
    expect(toStore[1].data).toBe(decided[1].data);
    expect(toStore[1].metadata).toBe(decided[1].metadata);
    expect(toStore[0]).not.toHaveProperty('traceParent');
  });

  it("takes a stream's own event ids, schema version and trace", () => {
    const toStore = eventsToStore(decided.slice(0, 1), { streamId: 'report-r-1', expectedVersion: 0, eventId: (v) => `r-1:${v}`, schemaVersion: 2, traceParent: '00-abc-def-01' });
    expect(toStore).toEqual([expect.objectContaining({ eventId: 'r-1:1', schemaVersion: 2, traceParent: '00-abc-def-01' })]);
  });

  it('reads stored events back as the domain has them: type, data, metadata', () => {
    const stored = eventsToStore(decided, { streamId: 's', expectedVersion: 0 }).map((e, i) => ({ ...e, version: i + 1, hash: 'x' }));
    expect(storedAsDomainEvents(stored)).toEqual(decided);
  });
});
