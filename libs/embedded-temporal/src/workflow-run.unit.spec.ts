import { T, decodeMessage, encodeMessage } from './proto';
import { EventType, WorkflowRun, type RunSnapshot, eventAttributes } from './workflow-run';

describe('WorkflowRun', () => {
  it("keeps only an event's own bytes, not the request its payloads were sliced from", () => {
    // As a gRPC request arrives: one large frame, the payload's bytes a view into it.
    const frame = Buffer.alloc(64 * 1024);
    const payload = encodeMessage(T.payload, { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"note"') });
    payload.copy(frame, 1000);
    const decoded = decodeMessage<{ data: Uint8Array }>(T.payload, frame.subarray(1000, 1000 + payload.length));
    expect(decoded.data.buffer.byteLength).toBeGreaterThanOrEqual(frame.length);

    const run = new WorkflowRun({ runId: 'run-1', buffered: [] } as unknown as RunSnapshot);
    const event = run.append(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, { result: { payloads: [decoded] }, scheduledEventId: 5 }, Date.now());

    const kept = eventAttributes<{ result: { payloads: { data: Uint8Array }[] } }>(event).result.payloads[0].data;
    expect(Buffer.from(kept).toString()).toBe('"note"');
    expect(kept.buffer.byteLength).toBeLessThan(200);
    expect(run.history).toEqual([event]);
  });
});
