// Access to the protobuf definitions @temporalio/proto ships, plus the small conversions the server needs.
import root from '@temporalio/proto';

/** The slice of protobufjs' reflection API the server uses (the package's own protobufjs may differ from ours). */
export interface ReflectedType {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  fromObject(value: Record<string, unknown>): object;
  fields: Record<string, unknown>;
}
export interface ReflectedService {
  methods: Record<string, { requestType: string; responseType: string; resolvedRequestType: ReflectedType | null; resolvedResponseType: ReflectedType | null; requestStream?: boolean; responseStream?: boolean }>;
  resolveAll(): ReflectedService;
}
interface ReflectedRoot {
  lookupType(name: string): ReflectedType;
  lookupService(name: string): ReflectedService;
}
export const protoRoot = root as unknown as ReflectedRoot;

// The static namespace typings; `temporal.api...` is used for types only, values go through `protoRoot`.
export type { temporal } from '@temporalio/proto';
export { google } from '@temporalio/proto';

const typeCache = new Map<string, ReflectedType>();
export function protoType(fullName: string): ReflectedType {
  let found = typeCache.get(fullName);
  if (!found) {
    found = protoRoot.lookupType(fullName);
    typeCache.set(fullName, found);
  }
  return found;
}

export function encodeMessage(fullName: string, value: object): Buffer {
  const type = protoType(fullName);
  return Buffer.from(type.encode(type.fromObject(value as Record<string, unknown>)).finish());
}

export function decodeMessage<T = Record<string, unknown>>(fullName: string, bytes: Uint8Array): T {
  return protoType(fullName).decode(bytes) as unknown as T;
}

/**
 * Decodes a message to be kept: protobufjs slices its bytes fields out of the input, which for a small Buffer is one
 * of Node's shared 8 KiB pool slabs (or a whole gRPC frame), then held for as long as the message is. A copy of
 * the input's own size, outside the pool, holds only what the message needs.
 */
export function decodeToKeep<T = Record<string, unknown>>(fullName: string, bytes: Uint8Array): T {
  const own = Buffer.alloc(bytes.length);
  own.set(bytes);
  return decodeMessage<T>(fullName, own);
}

/** google.protobuf.Any as the protobufjs root represents it (snake_case type_url, unlike every other field). */
export interface AnyMessage {
  type_url: string;
  value: Uint8Array;
}

export function packAny(fullName: string, value: object): AnyMessage {
  return { type_url: `type.googleapis.com/${fullName}`, value: encodeMessage(fullName, value) };
}

export function unpackAny<T = Record<string, unknown>>(any: AnyMessage | null | undefined): { typeName: string; value: T } | null {
  if (!any || !any.type_url) return null;
  const typeName = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
  return { typeName, value: decodeMessage<T>(typeName, any.value ?? new Uint8Array()) };
}

type LongLike = number | string | { toNumber(): number } | null | undefined;

export function toNumber(value: LongLike): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return value.toNumber();
}

export interface DurationLike {
  seconds?: LongLike;
  nanos?: number | null;
}

/** Duration in milliseconds; 0 when absent. */
export function durationMs(duration: DurationLike | null | undefined): number {
  if (!duration) return 0;
  return toNumber(duration.seconds) * 1000 + Math.floor((duration.nanos ?? 0) / 1e6);
}

export function msToDuration(ms: number): { seconds: number; nanos: number } {
  const whole = Math.floor(ms / 1000);
  return { seconds: whole, nanos: Math.round((ms - whole * 1000) * 1e6) };
}

export const msToTimestamp = msToDuration;
export const timestampMs = durationMs;

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

export function fromBase64(text: string): Buffer {
  return Buffer.from(text, 'base64');
}

/** A message (or plain object) in its binary form, for the journal and snapshots. */
export function messageToBase64(fullName: string, value: object | null | undefined): string | null {
  if (!value) return null;
  return base64(encodeMessage(fullName, value));
}

export function messageFromBase64<T = Record<string, unknown>>(fullName: string, text: string | null | undefined): T | null {
  if (!text) return null;
  return decodeMessage<T>(fullName, fromBase64(text));
}

export const T = {
  historyEvent: 'temporal.api.history.v1.HistoryEvent',
  payloads: 'temporal.api.common.v1.Payloads',
  payload: 'temporal.api.common.v1.Payload',
  failure: 'temporal.api.failure.v1.Failure',
  retryPolicy: 'temporal.api.common.v1.RetryPolicy',
  updateRequest: 'temporal.api.update.v1.Request',
  updateAcceptance: 'temporal.api.update.v1.Acceptance',
  updateRejection: 'temporal.api.update.v1.Rejection',
  updateResponse: 'temporal.api.update.v1.Response',
  updateOutcome: 'temporal.api.update.v1.Outcome',
  workflowQuery: 'temporal.api.query.v1.WorkflowQuery',
  searchAttributes: 'temporal.api.common.v1.SearchAttributes',
  memo: 'temporal.api.common.v1.Memo',
  header: 'temporal.api.common.v1.Header',
} as const;
