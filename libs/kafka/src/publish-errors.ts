// Which publish failures come from the records themselves (the broker refuses them, and will every time) rather
// than from an outage, so the relay can quarantine such an event instead of retrying it for ever.

/** Broker error types about a record's content or size; authorisation and availability errors are not here. */
const RECORD_REFUSALS: ReadonlySet<string> = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TIMESTAMP']);

/** True when Kafka refused the records for what they are (kafkajs keeps the broker's error as a `cause`). */
export function isRecordRefusedByKafka(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const type = (current as { type?: unknown }).type;
    if (typeof type === 'string' && RECORD_REFUSALS.has(type)) return true;
  }
  return false;
}
