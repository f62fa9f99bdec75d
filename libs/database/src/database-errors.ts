// Which database errors can never succeed on retry (the data is refused) and which may pass later (an outage,
// a lost race): the one place callers ask, so an activity, the relay and the projector draw the line alike.

import { sqlState } from './sql-database';

/**
 * `data`: the statement's data is refused and will be refused again (retrying cannot help);
 * `transient`: the server, the connection or a concurrent transaction failed it (retrying may succeed);
 * `unknown`: not a database error, or a class that says neither (a missing table, a syntax error: a bug or a
 * migration not applied yet, which an operator fixes; callers keep retrying, visibly).
 */
export type DatabaseErrorKind = 'data' | 'transient' | 'unknown';

/** SQLSTATE classes (the first two characters) whose errors come from the data itself. */
const DATA_CLASSES: ReadonlySet<string> = new Set([
  '22', // data exception: invalid byte sequence, untranslatable character, datetime field overflow, numeric out of range...
  '23', // integrity constraint violation: not null, check, foreign key, unique (a caller that expects a lost race checks 23505 first)
  '54', // program limit exceeded: a value or a row too large to store or index
]);

/** SQLSTATE classes of outages and races. */
const TRANSIENT_CLASSES: ReadonlySet<string> = new Set([
  '08', // connection exception
  '40', // transaction rollback: serialization failure 40001, deadlock 40P01
  '53', // insufficient resources: too many connections 53300, disk full 53100, out of memory 53200
  '55', // object not in prerequisite state: lock not available 55P03
  '57', // operator intervention: admin shutdown 57P01, crash shutdown 57P02, cannot connect now 57P03, query canceled 57014
  '58', // system error (I/O)
  'XX', // internal error
]);

/** Node's socket errors: the server is away or the network dropped the connection. */
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function databaseErrorKind(error: unknown): DatabaseErrorKind {
  const code = sqlState(error);
  if (code === undefined) return 'unknown';
  if (NETWORK_CODES.has(code)) return 'transient';
  if (!SQLSTATE.test(code)) return 'unknown';
  const errorClass = code.slice(0, 2);
  if (DATA_CLASSES.has(errorClass)) return 'data';
  if (TRANSIENT_CLASSES.has(errorClass)) return 'transient';
  return 'unknown';
}

/** True when the database refused the data itself: the same statement will fail the same way every time. */
export function isDataRefusedByDatabase(error: unknown): boolean {
  return databaseErrorKind(error) === 'data';
}
