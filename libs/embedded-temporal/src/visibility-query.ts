// The subset of Temporal's visibility query language the product needs: comparisons on WorkflowType,
// WorkflowId, RunId, TaskQueue, ExecutionStatus, StartTime/CloseTime/ExecutionTime and keyword search
// attributes; AND, OR, parentheses, IN, BETWEEN, STARTS_WITH, IS [NOT] NULL. No ORDER BY: the real dev server's
// (SQL) visibility refuses it too, and lists open runs first, then closed ones by close time, newest first.
import { invalidArgument } from './errors';

export interface VisibilityRow {
  WorkflowId: string;
  RunId: string;
  WorkflowType: string;
  TaskQueue: string;
  ExecutionStatus: string;
  StartTime: number;
  CloseTime: number | null;
  ExecutionTime: number;
  attributes: Record<string, unknown>;
}

export interface CompiledQuery {
  matches(row: VisibilityRow): boolean;
}

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'punct' | 'keyword'; text: string };

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'ORDER', 'BY', 'ASC', 'DESC', 'IS', 'NULL', 'STARTS_WITH']);
const TIME_FIELDS = new Set(['StartTime', 'CloseTime', 'ExecutionTime']);
const SYSTEM_FIELDS = new Set(['WorkflowId', 'RunId', 'WorkflowType', 'TaskQueue', 'ExecutionStatus', ...TIME_FIELDS]);
const STATUSES = new Set(['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) throw invalidArgument(`invalid query: unterminated string starting at ${i}`);
      tokens.push({ kind: 'string', text: value });
      i = j + 1;
    } else if (c === '`') {
      const j = text.indexOf('`', i + 1);
      if (j < 0) throw invalidArgument('invalid query: unterminated identifier');
      tokens.push({ kind: 'ident', text: text.slice(i + 1, j) });
      i = j + 1;
    } else if ('()，,'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if ('=<>!'.includes(c)) {
      const two = text.slice(i, i + 2);
      if (['<=', '>=', '!=', '<>'].includes(two)) {
        tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two });
        i += 2;
      } else if (c === '!') {
        throw invalidArgument(`invalid query: unexpected "!" at ${i}`);
      } else {
        tokens.push({ kind: 'op', text: c });
        i++;
      }
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!m) throw invalidArgument(`invalid query: unexpected "${c}" at ${i}`);
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i)) as RegExpExecArray;
      const upper = m[0].toUpperCase();
      tokens.push(KEYWORDS.has(upper) ? { kind: 'keyword', text: upper } : { kind: 'ident', text: m[0] });
      i += m[0].length;
    } else {
      throw invalidArgument(`invalid query: unexpected "${c}" at ${i}`);
    }
  }
  return tokens;
}

type Predicate = (row: VisibilityRow) => boolean;
type Value = string | number;

/**
 * `attributeProblem` says why a query may not name a field outside the system fields above (unregistered, or
 * not indexed here); without it any other name is read as a custom search attribute.
 */
export function compileVisibilityQuery(text: string, attributeProblem?: (field: string) => string | null): CompiledQuery {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isKeyword = (k: string): boolean => peek()?.kind === 'keyword' && peek()?.text === k;
  const expect = (kind: Token['kind'], value?: string): Token => {
    const t = tokens[pos];
    if (!t || t.kind !== kind || (value !== undefined && t.text !== value)) {
      throw invalidArgument(`invalid query: expected ${value ?? kind} at token ${pos + 1}${t ? ` but found "${t.text}"` : ''}`);
    }
    pos++;
    return t;
  };

  const fieldValue = (row: VisibilityRow, field: string): unknown =>
    SYSTEM_FIELDS.has(field) ? (row as unknown as Record<string, unknown>)[field] : row.attributes[field];

  const literal = (field: string): Value => {
    const t = peek();
    if (!t || (t.kind !== 'string' && t.kind !== 'number')) throw invalidArgument(`invalid query: expected a value for ${field}`);
    pos++;
    if (TIME_FIELDS.has(field)) {
      if (t.kind === 'number') return Math.floor(Number(t.text) / 1e6); // nanoseconds since epoch
      const ms = Date.parse(t.text);
      if (Number.isNaN(ms)) throw invalidArgument(`invalid query: "${t.text}" is not a timestamp for ${field}`);
      return ms;
    }
    if (field === 'ExecutionStatus' && !STATUSES.has(t.text)) {
      throw invalidArgument(`invalid query: unknown ExecutionStatus "${t.text}"`);
    }
    return t.kind === 'number' ? Number(t.text) : t.text;
  };

  const compare = (actual: unknown, op: string, expected: Value): boolean => {
    if (Array.isArray(actual)) {
      // Keyword lists: equality means "contains".
      if (op === '=') return actual.includes(expected);
      if (op === '!=') return !actual.includes(expected);
      return false;
    }
    if (actual === null || actual === undefined) return false;
    const a = actual as Value;
    switch (op) {
      case '=':
        return a === expected;
      case '!=':
        return a !== expected;
      case '<':
        return a < expected;
      case '<=':
        return a <= expected;
      case '>':
        return a > expected;
      case '>=':
        return a >= expected;
      default:
        return false;
    }
  };

  const comparison = (): Predicate => {
    if (peek()?.kind === 'punct' && peek()?.text === '(') {
      pos++;
      const inner = orExpr();
      expect('punct', ')');
      return inner;
    }
    const field = expect('ident').text;
    const problem = SYSTEM_FIELDS.has(field) ? null : attributeProblem?.(field);
    if (problem) throw invalidArgument(`invalid query: ${problem}`);
    if (isKeyword('IS')) {
      pos++;
      const negate = isKeyword('NOT');
      if (negate) pos++;
      expect('keyword', 'NULL');
      return (row) => {
        const v = fieldValue(row, field);
        const isNull = v === null || v === undefined;
        return negate ? !isNull : isNull;
      };
    }
    let negate = false;
    if (isKeyword('NOT')) {
      negate = true;
      pos++;
    }
    if (isKeyword('IN')) {
      pos++;
      expect('punct', '(');
      const values: Value[] = [literal(field)];
      while (peek()?.kind === 'punct' && peek()?.text === ',') {
        pos++;
        values.push(literal(field));
      }
      expect('punct', ')');
      return (row) => values.some((v) => compare(fieldValue(row, field), '=', v)) !== negate;
    }
    if (isKeyword('BETWEEN')) {
      pos++;
      const low = literal(field);
      expect('keyword', 'AND');
      const high = literal(field);
      return (row) => {
        const v = fieldValue(row, field);
        return (compare(v, '>=', low) && compare(v, '<=', high)) !== negate;
      };
    }
    if (isKeyword('STARTS_WITH')) {
      pos++;
      const prefix = literal(field);
      return (row) => {
        const v = fieldValue(row, field);
        return (typeof v === 'string' && v.startsWith(String(prefix))) !== negate;
      };
    }
    if (negate) throw invalidArgument('invalid query: NOT is only supported before IN, BETWEEN and STARTS_WITH');
    const op = expect('op').text;
    const value = literal(field);
    return (row) => compare(fieldValue(row, field), op, value);
  };

  const andExpr = (): Predicate => {
    const parts = [comparison()];
    while (isKeyword('AND')) {
      pos++;
      parts.push(comparison());
    }
    return parts.length === 1 ? parts[0] : (row) => parts.every((p) => p(row));
  };

  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (isKeyword('OR')) {
      pos++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0] : (row) => parts.some((p) => p(row));
  };

  let predicate: Predicate = () => true;
  if (tokens.length > 0 && !isKeyword('ORDER')) predicate = orExpr();
  // The real server's words for it, so a query written against the stand-in fails the same way there.
  if (isKeyword('ORDER')) throw invalidArgument(`invalid query: operation is not supported: 'ORDER BY' clause`);
  if (pos < tokens.length) throw invalidArgument(`invalid query: unexpected "${tokens[pos].text}"`);
  return { matches: predicate };
}
