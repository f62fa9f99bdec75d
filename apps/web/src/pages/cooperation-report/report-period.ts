// The period a cooperation report is asked for, as the page's address carries it (?period=2026-11,
// ?period=2026-Q4, or ?from=…&to=…), and the query the API takes. Default: the last complete month.

export type PeriodChoice = { kind: 'month'; month: string } | { kind: 'quarter'; year: number; quarter: 1 | 2 | 3 | 4 } | { kind: 'span'; from: string; to: string };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The month before the one `now` falls in, as 2026-10. */
export function lastCompleteMonth(now: Date): string {
  const month = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${month.getFullYear()}-${String(month.getMonth() + 1).padStart(2, '0')}`;
}

/** The choice the address names; the last complete month when it names none it can read. */
export function choiceFromSearch(search: URLSearchParams, now: Date): PeriodChoice {
  const period = search.get('period') ?? '';
  if (MONTH.test(period)) return { kind: 'month', month: period };
  const quarter = QUARTER.exec(period);
  if (quarter) return { kind: 'quarter', year: Number(quarter[1]), quarter: Number(quarter[2]) as 1 | 2 | 3 | 4 };
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  if (DATE.test(from) && DATE.test(to)) return { kind: 'span', from, to };
  return { kind: 'month', month: lastCompleteMonth(now) };
}

/** The address's parameters for a choice. */
export function searchOf(choice: PeriodChoice): Record<string, string> {
  switch (choice.kind) {
    case 'month':
      return { period: choice.month };
    case 'quarter':
      return { period: `${choice.year}-Q${choice.quarter}` };
    case 'span':
      return { from: choice.from, to: choice.to };
    default: {
      const _exhaustive: never = choice;
      return _exhaustive;
    }
  }
}

/** The API's query: a month or quarter as is; days of a span from the browser's local midnight. */
export function apiQuery(choice: PeriodChoice): { period: string } | { from: string; to: string } {
  if (choice.kind !== 'span') return searchOf(choice) as { period: string };
  return { from: new Date(`${choice.from}T00:00:00`).toISOString(), to: new Date(`${choice.to}T00:00:00`).toISOString() };
}
