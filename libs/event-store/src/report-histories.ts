// Whole report streams read in one query, for analyses over many cases (the what-if simulation of a policy):
// every report of a platform filed within a period, each with its events oldest first.

import type { SqlQueryable } from '@engine/database';
import { checkSchemaName } from './schema';

export interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: string; now: string } & Record<string, unknown>;
}

export interface ReportHistory {
  streamId: string;
  events: RecordedEvent[];
}

export interface ReportHistoryFilter {
  /** Compared regardless of case, as the engine compares platforms. */
  platform: string;
  /** Filed at or after `from` and before `to` (ISO instants; the filing's own time, its metadata's `now`). */
  from: string;
  to: string;
}

/**
 * The streams whose first event is a `ReportFiled` on the platform within the period, ordered by filing time.
 * The reads see one snapshot of the store (one statement), so no case is half read.
 */
export async function readReportHistories(database: SqlQueryable, schema: string, filter: ReportHistoryFilter): Promise<ReportHistory[]> {
  const events = `"${checkSchemaName(schema)}".events`;
  const rows = await database.query<{ stream_id: string; type: string; data: string; metadata: string }>(
    `WITH filed AS (
       SELECT stream_id, (metadata->>'now')::timestamptz AS filed_at FROM ${events}
       WHERE version = 1 AND type = 'ReportFiled' AND lower(data->>'platform') = lower($1)
         AND (metadata->>'now')::timestamptz >= $2::timestamptz AND (metadata->>'now')::timestamptz < $3::timestamptz
     )
     SELECT e.stream_id, e.type, e.data::text AS data, e.metadata::text AS metadata
     FROM ${events} e JOIN filed f ON f.stream_id = e.stream_id
     ORDER BY f.filed_at, e.stream_id, e.version`,
    [filter.platform, filter.from, filter.to],
  );
  const histories: ReportHistory[] = [];
  for (const row of rows) {
    let current = histories[histories.length - 1];
    if (current?.streamId !== row.stream_id) {
      current = { streamId: row.stream_id, events: [] };
      histories.push(current);
    }
    current.events.push({ type: row.type, data: JSON.parse(row.data), metadata: JSON.parse(row.metadata) });
  }
  return histories;
}
