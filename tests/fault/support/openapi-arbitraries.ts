// fast-check arbitraries for HTTP requests derived from the API's own OpenAPI document: a body valid by its request
// schema, or one with a hostile mutation (a wrong type, a huge or strange string, deep nesting, an unknown or a
// missing field, no JSON at all), on random or real path ids and query strings.

import fc from 'fast-check';
import { CLOCK_KINDS, LADDER_STEPS, SEVERITIES } from '@engine/domain';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type OpenApiDocument = { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };

export interface FuzzRequest {
  method: string;
  /** The path with its parameters filled in (already encoded). */
  path: string;
  /** The route as the document names it, for the report. */
  route: string;
  /** The JSON body, or a raw body (not JSON, or not parseable). */
  body?: { json: unknown } | { raw: string };
  headers: Record<string, string>;
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const name = String(schema.$ref).replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`the OpenAPI document refers to a schema it does not have: "${schema.$ref}"`);
    return resolve(doc, target);
  }
  if (schema.allOf?.length === 1) return resolve(doc, schema.allOf[0]);
  return schema;
}

/** Strings that have broken stores, parsers and logs before: NUL, lone surrogates, direction marks, huge ones. */
const hostileString = fc.oneof(
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\ud83d', '\u202e\u2066evil', '\ufeff', '\u200b', 'e\u0301\u0301\u0301', '%00', '\\u0000', '${{7*7}}', "'; DROP TABLE events; --", '../../etc/passwd', '__proto__', 'constructor'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 10_001, max: 60_000 }).map((n) => 'x'.repeat(n)),
);

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.format === 'uri') return fc.webUrl({ validSchemes: ['http', 'https'] });
  if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30), unit: 'grapheme-ascii' }).filter((s) => s.trim().length >= (schema.minLength ?? 0));
}

/** A rules table: every cell present, durations from sane to absurd. */
const rulesTable = fc
  .record({
    duration: fc.constantFrom('PT1H', 'P7D', 'PT30S', 'P100000000D', 'P1000000W', 'PT0S', '-P1D', 'P1Y', 'nonsense', 'PT1.5H'),
    basis: fc.constantFrom('calendar', 'business', 'lunar'),
  })
  .map((rule) => Object.fromEntries(SEVERITIES.map((s) => [s, Object.fromEntries(CLOCK_KINDS.map((c) => [c, Object.fromEntries(LADDER_STEPS.map((step) => [step, rule]))]))])));

/** A value valid by `schema` (as far as the schema says; the domain may still refuse it). */
export function validValue(doc: OpenApiDocument, raw: Schema, name = '', platforms: string[] = []): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (name === 'rules') return rulesTable;
  // Filings on the platforms whose policies the fuzzing changes, so that a policy it let through is used.
  if (name === 'platform' && platforms.length) return fc.oneof(fc.constantFrom(...platforms), stringFor(schema));
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'boolean':
      return fc.boolean();
    case 'number':
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'array':
      return fc.array(validValue(doc, schema.items ?? {}, '', platforms), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object':
    case undefined: {
      const properties: Record<string, Schema> = schema.properties ?? {};
      if (Object.keys(properties).length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const required = new Set<string>(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = validValue(doc, value, key, platforms);
      return fc.record(record, { requiredKeys: [...required].filter((key) => key in record) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Percent-encodes every byte but letters and digits (a lone surrogate becomes U+FFFD's bytes, as a browser sends it). */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** JSON nested `depth` levels deep, as text (as a value it would overflow the stack of whoever prints it). */
function nestedJson(depth: number): string {
  const open = Array.from({ length: depth }, (_, i) => (i % 2 ? '[' : '{"a":')).join('');
  const close = Array.from({ length: depth }, (_, i) => (i % 2 ? ']' : '}')).reverse().join('');
  return `${open}"bottom"${close}`;
}

/** One hostile change to a valid body. */
function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzRequest['body']> {
  const asObject = (value: unknown) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  return fc.oneof(
    // A field of the wrong type, or with a hostile string.
    fc.tuple(valid, fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString, fc.constantFrom(null, -1, 1e308, true, [], {}))).map(([value, at, wrong]) => {
      const body = { ...asObject(value) };
      const keys = Object.keys(body);
      if (keys.length) body[keys[at % keys.length]] = wrong;
      return { json: body };
    }),
    // A required field missing.
    fc.tuple(valid, fc.nat()).map(([value, at]) => {
      const body = { ...asObject(value) };
      const keys = Object.keys(body);
      if (keys.length) delete body[keys[at % keys.length]];
      return { json: body };
    }),
    // Unknown fields, prototype pollution attempts among them.
    fc.tuple(valid, fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'prototype')), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 })).map(
      ([value, extra]) => ({ raw: JSON.stringify({ ...asObject(value), ...extra }).replace(/"(constructor|prototype)"/, '"__proto__"') }),
    ),
    // Deep nesting, inside a field or as the whole body.
    fc.tuple(valid, fc.integer({ min: 30, max: 6_000 })).map(([value, depth]) => ({ raw: JSON.stringify({ ...asObject(value), extra: 0 }).replace(/"extra":0}$/, `"extra":${nestedJson(depth)}}`) })),
    fc.integer({ min: 30, max: 6_000 }).map((depth) => ({ raw: nestedJson(depth) })),
    // Not an object, or not JSON at all.
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, [], 0, '')).map((json) => ({ json })),
    fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('{', '{"a":', '{"a":1}}', '\u0000', '{"text":"\\ud800"}', '{"text":"a\\u0000b"}', 'null', '')).map((raw) => ({ raw })),
  );
}

/** A path parameter: a real id, one the pattern allows, or something hostile (encoded, or left raw). */
function pathValue(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/) },
    { weight: 2, arbitrary: hostileString.map((s) => percentEncode(s.slice(0, 300))) },
    { weight: 1, arbitrary: fc.constantFrom('..', '.', '%2e%2e', '%', '%zz', '%00', '%c0%ae', '%ED%A0%80', '%FF', 'x'.repeat(5_000), 'bulk', 'a%2Fb') },
  );
}

function queryString(parameters: Schema[], doc: OpenApiDocument): fc.Arbitrary<string> {
  const pairs = parameters
    .filter((p) => p.in === 'query')
    .map((p) => fc.option(fc.oneof(validValue(doc, p.schema ?? {}).map(String), hostileString, fc.constantFrom('', '-1', '1e9', 'NaN', 'true', '[]')).map((v) => `${percentEncode(p.name)}=${percentEncode(v)}`), { nil: undefined }));
  const unknown = fc.option(fc.tuple(fc.string({ maxLength: 8 }), hostileString).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v.slice(0, 200))}`), { nil: undefined });
  const repeated = fc.option(fc.constantFrom('limit=1&limit=2', 'status[]=active', 'text[a]=b', 'offset=%00', 'text=%ED%A0%80', 'assignee=%FF'), { nil: undefined });
  return fc.tuple(fc.tuple(...pairs, unknown, repeated)).map(([values]) => {
    const query = (values as (string | undefined)[]).filter((v): v is string => v !== undefined).join('&');
    return query ? `?${query}` : '';
  });
}

/** Every operation of the document, as a request arbitrary; `known` are existing report ids and platforms. */
export function requestArbitrary(doc: OpenApiDocument, known: { reportIds: string[]; platforms: string[] }): fc.Arbitrary<FuzzRequest> {
  const operations: fc.Arbitrary<FuzzRequest>[] = [];
  for (const [route, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters: Schema[] = operation.parameters ?? [];
      const pathParameters = parameters.filter((p) => p.in === 'path');
      const pathArbitrary = fc.tuple(
        ...pathParameters.map((p) =>
          p.name === 'platform' ? fc.oneof(fc.constantFrom(...known.platforms), pathValue(known.platforms)) : p.schema?.enum ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(p.schema.enum as string[])) }, { weight: 1, arbitrary: pathValue(known.reportIds) }) : pathValue(known.reportIds),
        ),
      );
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      const valid = schema ? validValue(doc, schema, '', known.platforms) : undefined;
      const body: fc.Arbitrary<FuzzRequest['body']> = valid
        ? fc.oneof({ weight: 1, arbitrary: valid.map((json) => ({ json })) }, { weight: 3, arbitrary: mutated(valid) })
        : fc.constant(undefined);
      const headers = route === '/api/reports' && method === 'post' ? fc.option(fc.oneof(fc.uuid(), hostileString.map((s) => s.slice(0, 300).replace(/[^\x20-\x7e]/g, ''))), { nil: undefined }) : fc.constant(undefined);
      operations.push(
        fc.tuple(pathArbitrary, queryString(parameters, doc), body, headers).map(([values, query, requestBody, key]): FuzzRequest => {
          let path = route;
          pathParameters.forEach((p, i) => (path = path.replace(`{${p.name}}`, values[i])));
          return { method: method.toUpperCase(), route: `${method.toUpperCase()} ${route}`, path: path + query, body: requestBody, headers: key === undefined ? {} : { 'Idempotency-Key': key as string } };
        }),
      );
    }
  }
  return fc.oneof(...operations);
}
