// What an operator sees of one action, on the engine as `npm start` assembles it (embedded Temporal and Kafka,
// PGlite, the worker with relay and projector, the API), in this process: one connected trace from the HTTP
// request through the Temporal update, the workflow and its activities to the Kafka publish; and JSON log lines
// that carry the caller's request id, the report id and the actor, and never the token or the report's text.

import { spans } from './tracing-first'; // first, see there
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger, currentTracing, nestLogger, temporalClientInterceptors, useRootLogger } from '@engine/telemetry';
import { Writable } from 'node:stream';
import { filing } from '../lifecycle/report-filing';
import { eventually } from '../support/eventually';
import { startInProcessEngine } from '../support/in-process-engine';

jest.setTimeout(120_000);

const STAFF_TOKEN = 'staff-token-telemetry-0123456789';
const REQUEST_ID = 'req-7f3a9c1e-telemetry';
const REPORT_ID = 'rep-trace-1';
/** A filing as the API takes it (the lifecycle specs' filing goes to the service, which checks less). */
const FILING = { ...filing(REPORT_ID), evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' };

const logLines: string[] = [];

describe('one action on the engine', () => {
  const stops: (() => Promise<unknown>)[] = [];
  let baseUrl = '';

  const call = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    useRootLogger(
      createLogger(
        { level: 'debug', format: 'json' },
        new Writable({
          write(chunk, _encoding, done) {
            logLines.push(...String(chunk).split('\n').filter(Boolean));
            done();
          },
        }),
      ),
    );
    const engine = await startInProcessEngine({
      authTokens: `${STAFF_TOKEN}=staff:analyst.meyer`,
      workerEnv: { KAFKA_TOPIC_PARTITIONS: '1' },
      workerLogger: nestLogger(),
      temporalInterceptors: temporalClientInterceptors(currentTracing()),
    });
    stops.unshift(() => engine.stop());
    baseUrl = engine.baseUrl;
    const filed = await call('POST', '/api/reports', FILING);
    expect([filed.status, filed.status === 201 ? '' : await filed.text()]).toEqual([201, '']);
  });

  afterAll(async () => {
    for (const stop of stops.splice(0)) await stop().catch(() => undefined);
    await currentTracing().shutdown();
  });

  it('is one connected trace from the HTTP request to the Kafka publish', async () => {
    spans.reset();

    const triaged = await call('POST', `/api/reports/${REPORT_ID}/triage`, { decision: 'actionable', category: 'threat', severity: 'high', actions: { deletionRequest: false, subscriberDataRequest: false, referToProsecution: false } });
    expect(triaged.status).toBe(200);

    const request = await eventually(async () => spans.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER && span.name === 'POST /api/reports/:id/triage'), 30_000, 'the HTTP span');
    const inRequestTrace = () => spans.getFinishedSpans().filter((span) => span.spanContext().traceId === request.spanContext().traceId);
    // A span is exported when it ends, each part on its own schedule (the workflow's through the worker's sink,
    // the relay's on its next poll, maybe before the activity that stored the event has returned): wait for the
    // publish and for every parent to be there, then look at the whole.
    const orphansOf = (trace: ReadableSpan[]) => {
      const ids = new Set(trace.map((span) => span.spanContext().spanId));
      return trace.filter((span) => span !== request && !ids.has(span.parentSpanId ?? ''));
    };
    const trace = await eventually(
      async () => {
        const current = inRequestTrace();
        const done = ['reports.lifecycle.v1 publish', 'read-model project'].every((name) => current.some((span) => span.name === name));
        return done && orphansOf(current).length === 0 ? current : undefined;
      },
      30_000,
      'the publish and projection spans in the request trace, with every parent',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; spans of the request trace: ${inRequestTrace().map(label).join(', ')}`);
    });
    const published = trace.find((span) => span.name === 'reports.lifecycle.v1 publish')!;
    expect(trace.map((span) => span.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^StartWorkflowUpdate:/), expect.stringMatching(/^HandleUpdate:/), 'StartActivity:appendReportEvents', 'RunActivity:appendReportEvents', 'reports.lifecycle.v1 publish']),
    );
    // One tree: the HTTP span is its only root.
    expect(orphansOf(trace)).toEqual([]);
    expect(request.parentSpanId).toBeUndefined();
    // And the publish descends from the request through the activity that stored the event.
    expect(ancestry(published, trace).map((span) => span.name)).toEqual(expect.arrayContaining(['RunActivity:appendReportEvents', expect.stringMatching(/^HandleUpdate:/), expect.stringMatching(/^StartWorkflowUpdate:/), request.name]));
    // The projector, reading the store, continues from the span that stored the event too.
    const projected = trace.find((span) => span.name === 'read-model project')!;
    expect(ancestry(projected, trace).map((span) => span.name)).toEqual(expect.arrayContaining(['RunActivity:appendReportEvents', request.name]));
  });

  it('logs JSON lines with the request id, the report id and the actor, and neither token nor report text', async () => {
    logLines.length = 0;
    const response = await call('POST', `/api/reports/${REPORT_ID}/notes`, { text: 'Screenshot archived by the reporter' }, { 'X-Request-Id': REQUEST_ID });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(REQUEST_ID);
    const withGarbageId = await call('GET', `/api/reports/${REPORT_ID}`, undefined, { 'X-Request-Id': 'not <well> formed' });
    expect(withGarbageId.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const entries = await eventually(async () => {
      const parsed = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const done = parsed.some((entry) => entry.msg === 'stored report events' && entry.reportId === REPORT_ID) && parsed.some((entry) => entry.requestId === REQUEST_ID && /^POST .*\/notes 200/.test(String(entry.msg)));
      return done ? parsed : undefined;
    }, 30_000, "the activity's and the request's log lines");
    for (const entry of entries) expect(entry).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
    const completed = entries.find((entry) => entry.requestId === REQUEST_ID && /^POST .*\/notes 200/.test(String(entry.msg)));
    expect(completed).toMatchObject({ requestId: REQUEST_ID, reportId: REPORT_ID, actor: 'analyst.meyer', role: 'staff' });
    const stored = entries.find((entry) => entry.msg === 'stored report events' && entry.reportId === REPORT_ID);
    expect(stored).toMatchObject({ workflowId: `report-${REPORT_ID}`, runId: expect.any(String), types: ['NoteAdded'], requestId: REQUEST_ID });
    // The request id travels with the action as its correlation id: the relay and the projector name it too.
    const later = await eventually(async () => {
      const parsed = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const about = (msg: string) => parsed.find((entry) => entry.msg === msg && entry.type === 'NoteAdded' && entry.reportId === REPORT_ID);
      return about('published an event') && about('projected an event') ? [about('published an event'), about('projected an event')] : undefined;
    }, 30_000, 'the relay and projector lines');
    for (const entry of later) expect(entry).toMatchObject({ requestId: REQUEST_ID });

    const output = logLines.join('\n');
    expect(output).not.toContain(STAFF_TOKEN);
    expect(output).not.toMatch(/taskToken/i);
    expect(output).not.toContain('Screenshot archived');
    expect(output).not.toContain(FILING.excerpt);
    expect(output).not.toContain(FILING.reporterReference);
  });
});

function label(span: ReadableSpan): string {
  return `${span.name} (${span.spanContext().spanId}, parent ${span.parentSpanId})`;
}

function ancestry(span: ReadableSpan, trace: ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(trace.map((each) => [each.spanContext().spanId, each]));
  const chain: ReadableSpan[] = [];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) chain.push(parent);
  return chain;
}
