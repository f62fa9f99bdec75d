// The inbox's filters: kept in the address (so a filtered inbox can be bookmarked, shared and reloaded),
// turned into GET /api/reports's query, and the ladder step a row shows.

import type { paths } from '@engine/api-client';
import type { ApiSchemas } from '../../api/client';
import { SEVERITIES, STATUSES, type ReportStatus, type Severity } from '../../api/vocabulary';

export type ListQuery = NonNullable<paths['/api/reports']['get']['parameters']['query']>;

export const PAGE_SIZES = [25, 50, 100] as const;

export type ListSort = NonNullable<ListQuery['sort']>;
/** urgency first: the API's default order (run-out ladders, then the longest overdue, then the soonest deadline). */
export const SORTS = ['urgency', 'nextDeadline', 'filedAt'] as const satisfies readonly ListSort[];

export interface InboxFilters {
  status?: ReportStatus;
  platform?: string;
  severity?: Severity;
  assignee?: string;
  /** Only cases assigned to the signed-in user (wins over `assignee`). */
  mine: boolean;
  overdue?: boolean;
  text?: string;
  sort: ListSort;
  /** From 1. */
  page: number;
  pageSize: number;
}

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
const nonBlank = (value: string | null) => (value && value.trim() ? value.trim() : undefined);

/** The filters in an address's query; anything unknown or malformed is ignored, not an error. */
export function filtersFromSearch(search: URLSearchParams): InboxFilters {
  const page = Number(search.get('page'));
  const size = Number(search.get('size'));
  const overdue = search.get('overdue');
  return {
    status: oneOf(STATUSES, search.get('status')),
    platform: nonBlank(search.get('platform')),
    severity: oneOf(SEVERITIES, search.get('severity')),
    assignee: nonBlank(search.get('assignee')),
    mine: search.get('mine') === '1',
    overdue: overdue === 'true' ? true : overdue === 'false' ? false : undefined,
    text: nonBlank(search.get('text')),
    sort: oneOf(SORTS, search.get('sort')) ?? 'urgency',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0],
  };
}

/** The address's query for the filters; defaults are left out. */
export function filtersToSearch(filters: InboxFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.status) search.set('status', filters.status);
  if (filters.platform) search.set('platform', filters.platform);
  if (filters.severity) search.set('severity', filters.severity);
  if (filters.assignee && !filters.mine) search.set('assignee', filters.assignee);
  if (filters.mine) search.set('mine', '1');
  if (filters.overdue !== undefined) search.set('overdue', String(filters.overdue));
  if (filters.text) search.set('text', filters.text);
  if (filters.sort !== 'urgency') search.set('sort', filters.sort);
  if (filters.page > 1) search.set('page', String(filters.page));
  if (filters.pageSize !== PAGE_SIZES[0]) search.set('size', String(filters.pageSize));
  return search;
}

/** GET /api/reports's query; the API does the sorting (by urgency unless asked otherwise). */
export function toListQuery(filters: InboxFilters, actor: string): ListQuery {
  const query: ListQuery = { sort: filters.sort, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize };
  if (filters.status) query.status = filters.status;
  if (filters.platform) query.platform = filters.platform;
  if (filters.severity) query.severity = filters.severity;
  const assignee = filters.mine ? actor : filters.assignee;
  if (assignee) query.assignee = assignee;
  if (filters.overdue !== undefined) query.overdue = filters.overdue;
  if (filters.text) query.text = filters.text;
  return query;
}

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

type RequestStanding = ApiSchemas['ReportSummaryDto']['requests'][number];

/**
 * The request a row shows: the most urgent one still waiting for the platform (a run-out ladder first, then
 * the earliest deadline), else the latest one; none before a request was sent.
 */
export function mostUrgentRequest(requests: readonly RequestStanding[]): RequestStanding | undefined {
  const waiting = requests.filter((request) => request.status === 'running' || request.status === 'exhausted');
  if (waiting.length > 0) {
    return [...waiting].sort(
      (a, b) => Number(b.status === 'exhausted') - Number(a.status === 'exhausted') || Date.parse(a.deadline) - Date.parse(b.deadline),
    )[0];
  }
  return requests.at(-1);
}
