// The trace an event was stored in travels with it (to the relay, which publishes it in the same trace), but is
// not part of the record: outside the hash chain, and a retried append from another span is still the same append.

import { START_OF_ALL, SqlEventStore } from '@engine/event-store';
import { pgliteBackend, reportEvent } from './support';

jest.setTimeout(60_000);

const FIRST = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const RETRY = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('an event stored with a trace parent', () => {
  let store: SqlEventStore;
  beforeAll(async () => {
    store = await pgliteBackend().open();
  });
  afterAll(() => store.close());

  it('is read back with it from the stream and from readAll, and its hash chain verifies', async () => {
    const [stored] = await store.append('report-traced', 0, [{ ...reportEvent('report-traced', 1), traceParent: FIRST }]);
    expect(stored.traceParent).toBe(FIRST);
    expect((await store.readStream('report-traced'))[0].traceParent).toBe(FIRST);
    expect((await store.readAll(START_OF_ALL, 100)).find((event) => event.streamId === 'report-traced')?.traceParent).toBe(FIRST);
    expect(await store.verifyStream('report-traced')).toEqual({ ok: true, streamId: 'report-traced', version: 1 });
  });

  it('is not hashed: the same event stored without one has the same hash', async () => {
    const other = await pgliteBackend().open();
    try {
      const [untraced] = await other.append('report-traced-2', 0, [reportEvent('report-traced-2', 1)]);
      const [traced] = await store.append('report-traced-2', 0, [{ ...reportEvent('report-traced-2', 1), traceParent: FIRST }]);
      expect(untraced.traceParent).toBeUndefined();
      expect(traced.hash).toBe(untraced.hash);
    } finally {
      await other.close();
    }
  });

  it('a retried append in another trace is the same append, and the first trace parent stays', async () => {
    const [first] = await store.append('report-retried', 0, [{ ...reportEvent('report-retried', 1), traceParent: FIRST }]);
    const retried = await store.append('report-retried', 0, [{ ...reportEvent('report-retried', 1), traceParent: RETRY }]);
    expect(retried).toEqual([first]);
    expect((await store.readStream('report-retried'))[0].traceParent).toBe(FIRST);
  });

  it('drops a malformed trace parent instead of refusing the event', async () => {
    const [stored] = await store.append('report-bad-trace', 0, [{ ...reportEvent('report-bad-trace', 1), traceParent: 'not a traceparent' }]);
    expect(stored.traceParent).toBeUndefined();
    expect(await store.verifyStream('report-bad-trace')).toMatchObject({ ok: true });
  });
});
