import { compileVisibilityQuery, type VisibilityRow } from './visibility-query';

const row = (over: Partial<VisibilityRow> = {}): VisibilityRow => ({
  WorkflowId: 'report-1',
  RunId: 'r1',
  WorkflowType: 'reportLifecycle',
  TaskQueue: 'reports',
  ExecutionStatus: 'Running',
  StartTime: Date.parse('2026-01-10T10:00:00Z'),
  CloseTime: null,
  ExecutionTime: Date.parse('2026-01-10T10:00:00Z'),
  attributes: { Platform: 'example', Tags: ['urgent', 'csam'] },
  ...over,
});

describe('visibility query subset', () => {
  it('matches equality, AND/OR and parentheses', () => {
    const q = compileVisibilityQuery(`WorkflowType = 'reportLifecycle' AND (ExecutionStatus = 'Completed' OR Platform = "example")`);
    expect(q.matches(row())).toBe(true);
    expect(q.matches(row({ attributes: { Platform: 'other' } }))).toBe(false);
  });

  it('compares time ranges given as RFC 3339 and BETWEEN', () => {
    expect(compileVisibilityQuery(`StartTime >= '2026-01-10T00:00:00Z' AND StartTime < '2026-01-11T00:00:00Z'`).matches(row())).toBe(true);
    expect(compileVisibilityQuery(`StartTime BETWEEN '2026-01-11T00:00:00Z' AND '2026-01-12T00:00:00Z'`).matches(row())).toBe(false);
    expect(compileVisibilityQuery(`CloseTime IS NULL`).matches(row())).toBe(true);
  });

  it('treats keyword lists as containment and supports IN and STARTS_WITH', () => {
    expect(compileVisibilityQuery(`Tags = 'urgent'`).matches(row())).toBe(true);
    expect(compileVisibilityQuery(`ExecutionStatus IN ('Failed', 'Running')`).matches(row())).toBe(true);
    expect(compileVisibilityQuery(`WorkflowId STARTS_WITH 'report-'`).matches(row())).toBe(true);
  });

  it('rejects ORDER BY (as the real dev server does) and what it does not support, with a reason', () => {
    expect(() => compileVisibilityQuery('ORDER BY StartTime ASC')).toThrow(/operation is not supported: 'ORDER BY' clause/);
    expect(() => compileVisibilityQuery(`ExecutionStatus = 'Sleeping'`)).toThrow(/unknown ExecutionStatus/);
    expect(() => compileVisibilityQuery(`WorkflowId = 'a' GARBAGE`)).toThrow(/invalid query/);
    expect(() => compileVisibilityQuery(`StartTime > 'yesterday'`)).toThrow(/not a timestamp/);
  });
});
