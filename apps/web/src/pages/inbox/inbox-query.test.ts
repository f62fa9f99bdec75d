import { describe, expect, it } from 'vitest';
import { filtersFromSearch, filtersToSearch, mostUrgentRequest, pageCount, toListQuery, type InboxFilters } from './inbox-query';

const filters = (change: Partial<InboxFilters> = {}): InboxFilters => ({ mine: false, sort: 'urgency', page: 1, pageSize: 25, ...change });

describe('the inbox filters in the address', () => {
  it('read what the address says and ignore what it cannot mean', () => {
    const read = filtersFromSearch(new URLSearchParams('status=active&severity=nope&overdue=true&page=3&size=50&text=%20virologist%20&platform='));
    expect(read).toEqual({ status: 'active', overdue: true, page: 3, pageSize: 50, text: 'virologist', mine: false, sort: 'urgency' });
    expect(filtersFromSearch(new URLSearchParams('sort=filedAt')).sort).toBe('filedAt');
    expect(filtersFromSearch(new URLSearchParams('sort=random')).sort).toBe('urgency');
    expect(filtersFromSearch(new URLSearchParams('page=-2&size=7&overdue=maybe'))).toEqual(filters());
  });

  it('write back to the same filters, leaving defaults out', () => {
    const all = filters({ status: 'paused', platform: 'telegram', severity: 'critical', overdue: false, text: 'mayor', sort: 'nextDeadline', page: 2, pageSize: 100 });
    expect(filtersFromSearch(filtersToSearch(all))).toEqual(all);
    expect(filtersToSearch(filters()).toString()).toBe('');
    expect(filtersToSearch(filters({ mine: true, assignee: 'someone' })).toString()).toBe('mine=1');
  });
});

describe('the list query', () => {
  it('asks the API for the urgency order, one page at a time', () => {
    expect(toListQuery(filters({ page: 3, pageSize: 50 }), 'sam')).toEqual({ sort: 'urgency', limit: 50, offset: 100 });
    expect(toListQuery(filters({ sort: 'filedAt' }), 'sam').sort).toBe('filedAt');
  });

  it('turns "mine" into the signed-in user as assignee', () => {
    expect(toListQuery(filters({ mine: true, assignee: 'ada' }), 'sam').assignee).toBe('sam');
    expect(toListQuery(filters({ assignee: 'ada' }), 'sam').assignee).toBe('ada');
  });

  it('passes every filter on, overdue=false included', () => {
    expect(toListQuery(filters({ status: 'active', platform: 'tiktok', severity: 'high', overdue: false, text: 'x' }), 'sam')).toEqual({
      sort: 'urgency', limit: 25, offset: 0, status: 'active', platform: 'tiktok', severity: 'high', overdue: false, text: 'x',
    });
  });

  it('counts at least one page', () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
  });
});

describe('the request a row shows', () => {
  const request = (kind: 'deletion' | 'subscriber-data', status: 'running' | 'answered' | 'exhausted' | 'cancelled', deadline: string) =>
    ({ kind, status, step: 'reminder', deadline }) as const;

  it('is a run-out ladder before any running deadline (the most overdue)', () => {
    const exhausted = request('subscriber-data', 'exhausted', '2026-02-05T00:00:00Z');
    expect(mostUrgentRequest([request('deletion', 'running', '2026-02-01T00:00:00Z'), exhausted])).toBe(exhausted);
  });

  it('is the earliest deadline among the running ones', () => {
    const sooner = request('subscriber-data', 'running', '2026-02-01T10:00:00Z');
    expect(mostUrgentRequest([request('deletion', 'running', '2026-02-01T11:00:00Z'), sooner])).toBe(sooner);
  });

  it('is the last one when none waits, and none before a request was sent', () => {
    const answered = request('subscriber-data', 'answered', '2026-02-01T10:00:00Z');
    expect(mostUrgentRequest([request('deletion', 'answered', '2026-02-01T11:00:00Z'), answered])).toBe(answered);
    expect(mostUrgentRequest([])).toBeUndefined();
  });
});
