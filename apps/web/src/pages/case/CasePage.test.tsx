import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage } from '../../testing/render-page';
import { clockOf, detailOf } from './case-fixtures';
import { CasePage } from './CasePage';

const active = detailOf('active', { version: 7, clocks: { deletion: clockOf('deletion', { deadline: '2099-01-01T00:00:00.000Z' }) } });
const reads = {
  'GET /api/reports/R-1': { body: active },
  'GET /api/reports/R-1/timeline': { body: { reportId: 'R-1', entries: [] } },
  'GET /api/reports/R-1/messages': { body: { reportId: 'R-1', messages: [] } },
  'GET /api/reports/R-1/events': { body: { reportId: 'R-1', events: [], integrity: { verified: true } } },
};

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => {
  vi.unstubAllGlobals();
  sessionStorage.clear();
});

describe('the case page', () => {
  it('gives a viewer no action buttons', async () => {
    renderPage({ path: '/cases/R-1', route: '/cases/:id', element: <CasePage />, role: 'viewer', api: reads });
    expect(await screen.findByRole('heading', { name: 'Case R-1' })).toBeTruthy();
    expect(await screen.findByText(/verifies/)).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Actions' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
  });

  it('gives staff the buttons of the actions the case allows, and acts on the version shown', async () => {
    let sent: Request | undefined;
    const { requests } = renderPage({
      path: '/cases/R-1',
      route: '/cases/:id',
      element: <CasePage />,
      role: 'staff',
      api: {
        ...reads,
        'POST /api/reports/R-1/pause': (request) => {
          sent = request;
          return { body: { ...active, status: 'paused', version: 8 } };
        },
      },
    });
    const actions = await screen.findByRole('region', { name: 'Actions' });
    expect(within(actions).queryByRole('button', { name: 'Triage' })).toBeNull();
    await userEvent.click(within(actions).getByRole('button', { name: 'Pause' }));
    await userEvent.selectOptions(screen.getByLabelText('Reason'), 'awaiting-prosecutor');
    await userEvent.click(within(screen.getByRole('form', { name: 'Pause' })).getByRole('button', { name: 'Pause' }));
    expect(await screen.findByText('Done: Pause.')).toBeTruthy();
    expect(sent?.headers.get('If-Match')).toBe('"7"');
    expect(sent?.headers.get('Idempotency-Key')).toBeTruthy();
    expect(await sent?.json()).toEqual({ reason: 'awaiting-prosecutor' });
    expect(requests.every((request) => request.headers.get('Authorization') === 'Bearer token-0123456789abcdef')).toBe(true);
  });

  it('assigns the case to the signed-in user in one click', async () => {
    let body: unknown;
    renderPage({
      path: '/cases/R-1',
      route: '/cases/:id',
      element: <CasePage />,
      role: 'staff',
      api: {
        ...reads,
        'POST /api/reports/R-1/assignment': (request) => {
          body = request.clone().json();
          return { body: { ...active, assignee: 'sam', version: 8 } };
        },
      },
    });
    const actions = await screen.findByRole('region', { name: 'Actions' });
    await userEvent.click(within(actions).getByRole('button', { name: 'Assign' }));
    await userEvent.click(screen.getByRole('button', { name: 'Assign to me (sam)' }));
    await userEvent.click(within(screen.getByRole('form', { name: 'Assign' })).getByRole('button', { name: 'Assign' }));
    expect(await screen.findByText('Done: Assign.')).toBeTruthy();
    expect(await body).toEqual({ assignee: 'sam' });
  });

  it("shows a case the API does not know as the API's message", async () => {
    renderPage({
      path: '/cases/R-9',
      route: '/cases/:id',
      element: <CasePage />,
      role: 'staff',
      api: { 'GET /api/reports/R-9': { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Report R-9 does not exist.' } } },
    });
    expect((await screen.findByRole('alert')).textContent).toContain('Report R-9 does not exist.');
  });
});
