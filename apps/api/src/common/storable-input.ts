// Input the event store cannot keep is refused at the edge, before it reaches a case: PostgreSQL refuses a NUL
// character in text and an unpaired UTF-16 surrogate in JSON, and an admitted value would fail the append on
// every retry and freeze the case. Absurdly deep nesting is refused too, before anything recurses into it.

import type { FieldProblems } from './api-error';

/** Deeper than any request body of this API needs (a filing is four levels deep). */
export const MAX_INPUT_DEPTH = 32;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'must be valid Unicode text (it contains an unpaired surrogate)';
  return undefined;
}

/** Every string (value or key) that cannot be stored, by its dotted path; or the nesting, if too deep. */
export function unstorableInputProblems(input: unknown, root: string): FieldProblems[] {
  const problems: FieldProblems[] = [];
  // Iterative, so that a body nested thousands of levels deep cannot exhaust the stack here.
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ field: path || root, problems: [`${path || root} ${problem}`] });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return [{ field: root, problems: [`${root} is nested deeper than ${MAX_INPUT_DEPTH} levels`] }];
    for (const [key, child] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      const childPath = path ? `${path}.${key}` : key;
      if (keyProblem) problems.push({ field: path || root, problems: [`a field name in ${path || root} ${keyProblem}`] });
      else pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return problems.reverse();
}
