// Each lifecycle record carries its event's chain hash, and a consumer can recompute the report's chain from the
// records alone (what the AsyncAPI document promises), so the published events anchor the store outside it.

import { CHAIN_HASH_HEADER } from '@engine/contracts';
import { chainHash, GENESIS_HASH, JsonObject, StoredEvent } from '@engine/event-store';
import { parseLifecycleMessage, toLifecycleRecord } from './lifecycle-record';

function storedStream(): StoredEvent[] {
  const contents: { type: string; data: JsonObject }[] = [
    { type: 'ReportFiled', data: { reportId: 'r1', platform: 'telegram', contentLocations: [{ url: 'https://t.me/c/1' }] } },
    { type: 'ReportTriaged', data: { severity: 'high', actions: { referToProsecution: false, deletionRequest: true } } },
  ];
  let previousHash = GENESIS_HASH;
  return contents.map(({ type, data }, index) => {
    const content = { streamId: 'report-r1', version: index + 1, eventId: `r1:${index + 1}`, type, schemaVersion: 1, data, metadata: { now: '2026-12-01T09:00:00Z', actor: 'analyst.meyer' } };
    const hash = chainHash(previousHash, content);
    const event: StoredEvent = { ...content, globalPosition: index + 1, transactionId: '7', recordedAt: '2026-12-01T09:00:00.000000Z', hash, previousHash };
    previousHash = hash;
    return event;
  });
}

describe('the chain hash on a lifecycle record', () => {
  it('is the stored hash, and recomputing the chain from the records alone gives the same hashes', () => {
    const records = storedStream().map((event) => toLifecycleRecord(event));
    let previousHash = GENESIS_HASH;
    for (const record of records) {
      const message = parseLifecycleMessage(record.value);
      const recomputed = chainHash(previousHash, {
        streamId: `report-${message.reportId}`,
        version: message.streamVersion,
        eventId: message.eventId,
        type: message.type,
        schemaVersion: message.schemaVersion,
        data: message.data as never,
        metadata: message.metadata as never,
      });
      expect(record.headers[CHAIN_HASH_HEADER]).toBe(recomputed);
      previousHash = recomputed;
    }
    expect(records.map((record) => record.headers[CHAIN_HASH_HEADER])).toEqual(storedStream().map((event) => event.hash));
  });
});
