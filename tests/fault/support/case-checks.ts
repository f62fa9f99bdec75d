// What must hold after crashes, read over the API: every acknowledged action is stored, the stored streams verify,
// the read model and each case's workflow agree with its stream, and every case reads promptly.

import { eventually } from '../../support/eventually';
import { compareTopicWithStore, everyStoredEventRead, readLifecycleTopic, TopicConnection } from '../../support/lifecycle-topic';
import { Acknowledged } from './case-load';
import { ApiClient } from './api-client';

export interface StoredEvent {
  streamVersion: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

export type StoredStreams = Record<string, StoredEvent[]>;

/** Each report's stored stream (the source of truth); fails when one cannot be read or its hash chain breaks. */
export async function storedStreams(api: ApiClient, ids: Iterable<string>): Promise<StoredStreams> {
  const streams: StoredStreams = {};
  for (const id of ids) {
    const answer = await api.get(`/api/reports/${id}/events`);
    if (answer.status !== 200) throw new Error(`GET /api/reports/${id}/events answered ${answer.status} ${answer.failure ?? answer.text}`);
    if (!answer.body.integrity?.verified) throw new Error(`${id}: its hash chain does not verify: ${JSON.stringify(answer.body.integrity)}`);
    streams[id] = answer.body.events;
  }
  return streams;
}

/** Acknowledged actions whose event is not in the store, one line each. */
export function lostAcknowledged(acknowledged: Acknowledged[], streams: StoredStreams): string[] {
  return acknowledged
    .filter(({ reportId, eventType, version, marker }) => {
      const events = streams[reportId] ?? [];
      return !events.some((e) => e.type === eventType && e.streamVersion <= version && (!marker || e.data?.[marker.field] === marker.value));
    })
    .map((a) => `${a.reportId}: ${a.route} answered 2xx at version ${a.version}, but no ${a.eventType}${a.marker ? ` with ${a.marker.field} "${a.marker.value}"` : ''} is stored`);
}

/** Every report in the read model (the list), by id. */
async function listed(api: ApiClient): Promise<Map<string, { status: string; version: number }>> {
  const items = new Map<string, { status: string; version: number }>();
  for (let offset = 0; ; offset += 200) {
    const answer = await api.get(`/api/reports?limit=200&offset=${offset}`);
    if (answer.status !== 200) throw new Error(`GET /api/reports answered ${answer.status} ${answer.failure ?? answer.text}`);
    for (const item of answer.body.items) items.set(item.reportId, item);
    if (answer.body.items.length < 200) return items;
  }
}

/**
 * Where the read model (list) or a case's workflow (detail) disagrees with the stored stream; waits for the projector.
 * `everyReport`: `streams` has every report there is, so the list must show no other.
 */
export async function readModelDisagreements(api: ApiClient, ids: Iterable<string>, { everyReport = true, timeoutMs = 45_000 } = {}): Promise<string[]> {
  let problems: string[] = [];
  try {
    await eventually(async () => {
      problems = [];
      const list = await listed(api);
      const streams = await storedStreams(api, ids); // read again each time: a deadline may have added an event
      for (const [id, events] of Object.entries(streams)) {
        const item = list.get(id);
        const detail = await api.get(`/api/reports/${id}`);
        if (detail.status !== 200) problems.push(`${id}: GET answered ${detail.status} ${detail.failure ?? detail.text}`);
        else if (detail.body.version !== events.length) problems.push(`${id}: the workflow is at version ${detail.body.version}, the store at ${events.length}`);
        if (!item) problems.push(`${id}: not in the list`);
        else if (item.version !== events.length) problems.push(`${id}: the list shows version ${item.version}, the store has ${events.length}`);
        else if (detail.status === 200 && item.status !== detail.body.status) problems.push(`${id}: the list says ${item.status}, the case ${detail.body.status}`);
      }
      if (everyReport) for (const id of list.keys()) if (!streams[id]) problems.push(`${id}: listed, but not among the stored reports`);
      return problems.length === 0 ? true : undefined;
    }, timeoutMs, 'the read model to agree with the store', 500);
  } catch {
    return problems;
  }
  return [];
}

/** Reads each case once (GET /api/reports/:id); the ones slower than `limitMs` or failing, one line each. */
export async function slowReads(api: ApiClient, ids: Iterable<string>, limitMs = 1_000, overASecond: string[] = []): Promise<string[]> {
  const problems: string[] = [];
  for (const id of ids) {
    const answer = await api.call('GET', `/api/reports/${id}`, { token: undefined, timeoutMs: 40_000 });
    if (answer.status === 200 && answer.ms > 1_000) overASecond.push(`${id} (${answer.ms} ms)`);
    if (answer.status !== 200) problems.push(`${id}: GET answered ${answer.status} after ${answer.ms} ms ${answer.failure ?? answer.text.slice(0, 200)}`);
    else if (answer.ms > limitMs) problems.push(`${id}: GET took ${answer.ms} ms`);
  }
  return problems;
}

/**
 * Reads after a restart: every case answers within a second, right away (reads come from the event store, so a case
 * whose workflow task was in flight at the kill does not wait for that task's timeout), and again once the
 * restart's work is done.
 */
export async function expectReadsAfterRestart(api: ApiClient, ids: string[], settled: () => Promise<void>): Promise<void> {
  const slowerThanASecond: string[] = [];
  const problems = await slowReads(api, ids, 1_000, slowerThanASecond);
  console.log(`right after the restart: ${ids.length} cases read, ${slowerThanASecond.length} slower than 1 s: ${slowerThanASecond.join(', ')}`);
  expect(problems).toEqual([]);
  await settled();
  expect(await slowReads(api, ids, 1_000)).toEqual([]);
}

/**
 * The checks every fault test ends with, on the reports `ids`: each acknowledged action stored, the read model and
 * the workflows in agreement with the store, every stored event on the topic in stream order (re-sent batches
 * allowed or not). `everyReport`: `ids` are all the reports there are. Returns the stored streams.
 */
export async function expectStoreTopicAndReadModelAgree(
  api: ApiClient,
  topic: TopicConnection,
  ids: Iterable<string>,
  acknowledged: Acknowledged[],
  redelivery: 'allowed' | 'refused',
  { everyReport = true } = {},
): Promise<StoredStreams> {
  const reports = [...ids];
  let streams = await storedStreams(api, reports);
  console.log(`${Object.keys(streams).length} reports, ${Object.values(streams).flat().length} events, ${acknowledged.length} acknowledged actions`);
  expect(lostAcknowledged(acknowledged, streams)).toEqual([]);
  expect(await readModelDisagreements(api, reports, { everyReport })).toEqual([]);
  streams = await storedStreams(api, reports);
  const records = await readLifecycleTopic(topic, everyStoredEventRead(streams), 'every stored event on Kafka');
  const comparison = compareTopicWithStore(records, streams, redelivery);
  console.log(`topic: ${records.length} records read, ${comparison.redelivered} of them re-sent`);
  expect(comparison.problems).toEqual([]);
  return streams;
}

/** Waits until each of `ids` has escalated once on its own deadline (the drill policy's first step). */
export async function expectDeadlinesFired(api: ApiClient, ids: Iterable<string>, timeoutMs = 60_000): Promise<void> {
  let waiting: string[] = [];
  await eventually(async () => {
    const streams = await storedStreams(api, ids);
    waiting = Object.entries(streams).filter(([, events]) => !events.some((e) => e.type === 'DeadlineElapsed')).map(([id]) => id);
    return waiting.length === 0 ? true : undefined;
  }, timeoutMs, 'every pending deadline to fire', 1_000).catch((error) => {
    throw new Error(`${(error as Error).message}; still waiting: ${waiting.join(', ')}`);
  });
}
