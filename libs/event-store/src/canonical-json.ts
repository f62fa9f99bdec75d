// Canonical JSON for the hash chain, and the check that a value is plain JSON that jsonb stores unchanged.

import { InvalidEventError } from './errors';
import { JsonValue } from './event-store.port';

/**
 * Returns a plain JSON copy of `value`, or throws `InvalidEventError` naming the offending path. Object keys whose
 * value is undefined are dropped (as JSON.stringify does); anything else that JSON or jsonb cannot keep exactly
 * (undefined in arrays, functions, symbols, bigint, NaN, Infinity, Dates and other class instances, the NUL
 * character, unpaired surrogates) is refused, so that what is hashed is exactly what is stored and read back.
 */
export function toPlainJson(value: unknown, path = '$'): JsonValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidEventError(`${path} is ${value}, which JSON cannot represent`);
    return Object.is(value, -0) ? 0 : value;
  }
  if (typeof value === 'string') {
    checkString(value, path);
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (item === undefined) throw new InvalidEventError(`${path}[${index}] is undefined, which JSON cannot represent`);
      return toPlainJson(item, `${path}[${index}]`);
    });
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (value as object).constructor?.name ?? 'an object with a prototype';
      throw new InvalidEventError(`${path} is ${kind}, not a plain JSON object (convert it, e.g. a Date to an ISO string)`);
    }
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) {
      checkString(key, `${path} key ${JSON.stringify(key)}`);
      if (item === undefined) continue;
      // defineProperty, not assignment: a "__proto__" key must stay a member, not become the prototype.
      Object.defineProperty(copy, key, { value: toPlainJson(item, `${path}.${key}`), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  throw new InvalidEventError(`${path} is a ${typeof value}, which JSON cannot represent`);
}

// Without the u flag the pattern sees UTF-16 code units, which is what an unpaired surrogate is made of.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkString(text: string, path: string): void {
  if (text.includes('\u0000')) throw new InvalidEventError(`${path} contains the NUL character, which PostgreSQL jsonb refuses`);
  if (UNPAIRED_SURROGATE.test(text)) throw new InvalidEventError(`${path} contains an unpaired UTF-16 surrogate`);
}

/**
 * JSON text with object keys sorted (by UTF-16 code units, JavaScript's default sort) at every level and no
 * whitespace; strings and numbers are written as JSON.stringify writes them. Two equal JSON values always give
 * the same text, whatever the key order they were built or stored with.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}
