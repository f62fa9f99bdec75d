// Loads generated cases into the read model in bulk: the same rows the projector writes (its own `reportRow` and
// `requestChange`), inserted many at a time instead of event by event, so that a million events load in minutes.

import { reportRow, REPORT_COLUMNS, requestChange } from '@engine/read-model';
import { evolve, foldRequestEvent, initialRequestFold, initialState, settleRequests } from '@engine/domain';
import type { ReportEvent, ReportState } from '@engine/domain';
import type { SqlDatabase } from '@engine/database';
import type { GeneratedCase } from './case-histories';

const TIMELINE_COLUMNS = ['report_id', 'stream_version', 'event_id', 'type', 'actor', 'occurred_at', 'recorded_at', 'data'] as const;
const REQUEST_COLUMNS = ['report_id', 'clock', 'platform', 'requested_at', 'escalated', 'answered_at', 'response', 'effect_at'] as const;
const CASE_REQUEST_COLUMNS = ['report_id', 'version', 'requests'] as const;
const SEARCH_COLUMNS = ['report_id', 'search'] as const;

/** Inserts the cases' rows into `schema`'s tables, in one transaction per call. */
export async function insertCases(db: SqlDatabase, schema: string, cases: GeneratedCase[]): Promise<void> {
  const reports: unknown[][] = [];
  const timeline: unknown[][] = [];
  const requests: unknown[][] = [];
  const caseRequests: unknown[][] = [];
  const searches: unknown[][] = [];
  for (const { messages, state } of cases) {
    // The case's requests as the projector follows them, event by event (it keeps a row once the case sent one).
    let folded = initialRequestFold();
    let before: ReportState = initialState();
    for (const message of messages) {
      const event = { type: message.type, data: message.data, metadata: message.metadata } as ReportEvent;
      const after = evolve(before, event);
      folded = settleRequests(foldRequestEvent(folded, message.reportId, before, event), after);
      before = after;
    }
    if (Object.keys(state.clocks).length > 0) caseRequests.push([state.report.reportId, state.version, JSON.stringify(folded)]);
    const last = messages[messages.length - 1];
    const row = reportRow(state, last.recordedAt);
    reports.push(row);
    searches.push([row[0], row[REPORT_COLUMNS.indexOf('search')]]);
    // The request rows the projector's UPDATEs would leave: a change applies to the latest request of its clock.
    const rows: { clock: string; requestedAt: string; values: unknown[] }[] = [];
    for (const message of messages) {
      timeline.push([message.reportId, message.streamVersion, message.eventId, message.type, message.metadata.actor, message.metadata.now, message.recordedAt, JSON.stringify(message.data)]);
      const change = requestChange({ type: message.type, data: message.data, metadata: message.metadata } as ReportEvent, state);
      if (!change) continue;
      if (change.kind === 'requested') {
        if (!rows.some((row) => row.clock === change.clock && row.requestedAt === change.requestedAt)) {
          rows.push({ clock: change.clock, requestedAt: change.requestedAt, values: [change.reportId, change.clock, change.platform, change.requestedAt, false, null, null, null] });
        }
        continue;
      }
      const ofClock = rows.filter((row) => row.clock === change.clock).sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt))[0];
      if (!ofClock) continue;
      if (change.kind === 'escalated') ofClock.values[4] = true;
      else ofClock.values.splice(5, 3, change.answeredAt, change.response, change.effectAt);
    }
    requests.push(...rows.map((row) => row.values));
  }
  await db.transaction(async (tx) => {
    await insertRows(tx, `${schema}.reports`, REPORT_COLUMNS, reports);
    await insertRows(tx, `${schema}.timeline`, TIMELINE_COLUMNS, timeline);
    await insertRows(tx, `${schema}.platform_requests`, REQUEST_COLUMNS, requests);
    await insertRows(tx, `${schema}.case_requests`, CASE_REQUEST_COLUMNS, caseRequests);
    await insertRows(tx, `${schema}.report_search`, SEARCH_COLUMNS, searches);
  });
}

async function insertRows(tx: { query: SqlDatabase['query'] }, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  const perStatement = Math.floor(30_000 / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
    await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}
