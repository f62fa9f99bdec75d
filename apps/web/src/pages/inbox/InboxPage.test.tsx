import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReportSummary } from '../../api/client';
import i18n from '../../i18n';
import { renderPage } from '../../testing/render-page';
import { InboxPage } from './InboxPage';

const row = (reportId: string, change: Partial<ReportSummary> = {}): ReportSummary => ({
  reportId,
  platform: 'telegram',
  status: 'active',
  severity: 'critical',
  category: 'threat',
  assignee: null,
  filedAt: '2026-02-01T09:00:00.000Z',
  nextDeadline: null,
  overdueSince: null,
  policyVersion: 1,
  version: 4,
  requests: [],
  ...change,
});
const overdue = row('R-1', {
  overdueSince: '2000-01-01T00:00:00.000Z',
  requests: [{ kind: 'deletion', status: 'exhausted', step: 'app-store-pressure', deadline: '2000-01-01T00:00:00.000Z' }],
});
const list = { body: { items: [overdue, row('R-2', { status: 'in-triage', severity: null, category: null })], total: 2 } };
const platforms = { body: { items: [] } };

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('the inbox', () => {
  it('lists the cases in the order the API gives, each with its ladder step and countdown', async () => {
    const { requests } = renderPage({ path: '/inbox?overdue=true', route: '/inbox', element: <InboxPage />, role: 'viewer', api: { 'GET /api/reports': list, 'GET /api/platforms': platforms } });
    const rows = await screen.findAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText('App-store pressure')).toBeTruthy();
    expect(within(rows[1]).getByText(/^overdue by /)).toBeTruthy();
    expect(within(rows[2]).getByText('In triage')).toBeTruthy();
    const asked = new URL(requests.find((request) => new URL(request.url).pathname === '/api/reports')!.url);
    expect(Object.fromEntries(asked.searchParams)).toEqual({ overdue: 'true', sort: 'urgency', limit: '25', offset: '0' });
  });

  it('gives a viewer no selection and no bulk action', async () => {
    renderPage({ path: '/inbox', route: '/inbox', element: <InboxPage />, role: 'viewer', api: { 'GET /api/reports': list, 'GET /api/platforms': platforms } });
    await screen.findAllByRole('row');
    expect(screen.queryByRole('checkbox', { name: /^Select/ })).toBeNull();
  });

  it("runs a bulk action on the selected cases and shows each one's result, failures included", async () => {
    renderPage({
      path: '/inbox',
      route: '/inbox',
      element: <InboxPage />,
      role: 'staff',
      api: {
        'GET /api/reports': list,
        'GET /api/platforms': platforms,
        'POST /api/reports/bulk/assignment': () => ({
          body: {
            results: [
              { reportId: 'R-1', ok: true, status: 'active' },
              { reportId: 'R-2', ok: false, httpStatus: 409, error: 'Conflict', code: 'already-assigned', message: 'The case is already assigned to ada.' },
            ],
          },
        }),
      },
    });
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Select all cases on this page' }));
    await userEvent.type(screen.getByLabelText('Username'), 'ada');
    const fetchMock = vi.mocked(fetch);
    await userEvent.click(screen.getByRole('button', { name: 'Run on 2 cases' }));
    expect(await screen.findByText(/1 done, 1 failed/)).toBeTruthy();
    expect(screen.getByText(/failed \(409\): The case is already assigned to ada\./)).toBeTruthy();
    const bulk = fetchMock.mock.calls.map(([request]) => request as Request).find((request) => request.method === 'POST')!;
    expect(await bulk.json()).toEqual({ ids: ['R-1', 'R-2'], data: { assignee: 'ada' } });
  });
});
