// The log's settings, what it never writes, request ids, and the Temporal SDK's lines in the same stream.

import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { InvalidConfigurationError } from '@engine/config';
import { createLogger, readLoggingOptions, reportIdOfWorkflowId } from './logging';
import { requestIdOf } from './nest-logging';
import { TemporalPinoLogger, temporalSdkLogLevel } from './temporal-logging';

function capture(level: 'info' | 'debug' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
      done();
    },
  });
  return { logger: createLogger({ level, format: 'json' }, stream), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('readLoggingOptions', () => {
  it('defaults to info, JSON when stdout is not a terminal and readable lines when it is', () => {
    expect(readLoggingOptions({}, false)).toEqual({ level: 'info', format: 'json' });
    expect(readLoggingOptions({}, true)).toEqual({ level: 'info', format: 'pretty' });
    expect(readLoggingOptions({ LOG_FORMAT: 'json' }, true)).toEqual({ level: 'info', format: 'json' });
    expect(readLoggingOptions({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'DEBUG' }, false)).toEqual({ level: 'debug', format: 'pretty' });
  });

  it('refuses an unknown level or format, naming the variable', () => {
    expect(() => readLoggingOptions({ LOG_LEVEL: 'verbose', LOG_FORMAT: 'xml' }, false)).toThrow(InvalidConfigurationError);
    expect(() => readLoggingOptions({ LOG_LEVEL: 'verbose' }, false)).toThrow(/LOG_LEVEL "verbose" must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(() => readLoggingOptions({ LOG_FORMAT: 'xml' }, false)).toThrow(/LOG_FORMAT "xml" must be json or pretty/);
  });
});

describe('the JSON log', () => {
  it('writes level, time and msg, and never a bearer token, password or API key', async () => {
    const { logger, lines } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer s3cret-token', 'x-api-key': 'k3y', cookie: 'c' } }, password: 'pw', apiKey: 'k', nested: { token: 't0k' } }, 'hello');
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(JSON.stringify(lines[0])).not.toMatch(/s3cret-token|k3y|"pw"|"k"|t0k/);
  });
});

describe('requestIdOf', () => {
  const request = (id?: string) => Object.assign(new IncomingMessage(new Socket()), { headers: id === undefined ? {} : { 'x-request-id': id } });

  it.each(['7f3a9c1e-5b2d-4e6f-8a9b-0c1d2e3f4a5b', '01HZX3JQ4C5V6B7N8M9K0J1H2G', 'req.42:a_b-c'])('keeps a well-formed id from the caller: %s', (id) => {
    const response = new ServerResponse(request());
    expect(requestIdOf(request(id), response)).toBe(id);
    expect(response.getHeader('X-Request-Id')).toBe(id);
  });

  it.each([undefined, '', 'has spaces', '<script>', 'x'.repeat(129)])('makes one when the caller sent none or a malformed one: %s', (id) => {
    const response = new ServerResponse(request());
    const made = requestIdOf(request(id), response);
    expect(made).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(response.getHeader('X-Request-Id')).toBe(made);
  });
});

describe('TemporalPinoLogger', () => {
  it("writes workflow and activity lines with the report id from the workflow id, and the SDK's own from its level", async () => {
    const { logger, lines } = capture('debug');
    const temporal = new TemporalPinoLogger(logger, 'WARN');
    temporal.info('stored report events', { sdkComponent: 'activity', workflowId: 'report-r-7', workflowRunId: 'run-1', taskToken: 'secret-task-token', trace_id: 'x' });
    temporal.info('Workflow bundle created', { sdkComponent: 'worker' });
    temporal.warn('reaction to stored events failed', { sdkComponent: 'workflow', workflowId: 'report-r-8', runId: 'run-2', error: new Error('no') });
    temporal.debug('dossier', { sdkComponent: 'workflow', workflowId: 'platform-telegram' });
    await flush();
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'stored report events', workflowId: 'report-r-7', runId: 'run-1', reportId: 'r-7', context: 'Temporal' }),
      expect.objectContaining({ level: 'warn', msg: 'reaction to stored events failed', reportId: 'r-8', runId: 'run-2', err: expect.objectContaining({ message: 'no' }) }),
      expect.not.objectContaining({ reportId: expect.anything() }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/secret-task-token|trace_id|workflowRunId/);
  });

  it('takes TEMPORAL_LOG_LEVEL for the SDK (default WARN)', () => {
    expect(temporalSdkLogLevel({})).toBe('WARN');
    expect(temporalSdkLogLevel({ TEMPORAL_LOG_LEVEL: 'info' })).toBe('INFO');
    expect(temporalSdkLogLevel({ TEMPORAL_LOG_LEVEL: 'loud' })).toBe('WARN');
  });
});

it('reportIdOfWorkflowId', () => {
  expect(reportIdOfWorkflowId('report-abc')).toBe('abc');
  expect(reportIdOfWorkflowId('platform-telegram')).toBeUndefined();
  expect(reportIdOfWorkflowId(undefined)).toBeUndefined();
});
