import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiSchemas } from '../../api/client';
import { CATEGORIES, SEVERITIES } from '../../api/vocabulary';
import i18n from '../../i18n';
import { renderPage } from '../../testing/render-page';
import { CooperationReportPage } from './CooperationReportPage';
import { apiQuery, choiceFromSearch, lastCompleteMonth } from './report-period';

type Report = ApiSchemas['CooperationReportDto'];
type Figures = Report['current'];

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => vi.unstubAllGlobals());

function figures(answers: Figures['answers'], medianSeconds: number | null): Figures {
  const kinds = { total: 0, deletion: 0, subscriberData: 0 };
  return {
    requests: { total: 12, deletion: 9, subscriberData: 3 },
    byCategory: CATEGORIES.map((category) => (category === 'threat' ? { category, total: 4, deletion: 3, subscriberData: 1 } : { category, ...kinds })),
    bySeverity: SEVERITIES.map((severity) => ({ severity, ...kinds })),
    answers,
    deletion: { sent: 9, removed: 5, partiallyRemoved: 1, refused: 2, removalsContradicted: 0 },
    subscriberData: { sent: 3, supplied: 2, refused: 1 },
    timeToAnswer: { count: 10, medianSeconds, p90Seconds: null },
    timeToEffect: { count: 7, medianSeconds, p90Seconds: null },
    ladder: { reminder: 4, highLevelContact: 2, appStorePressure: 1, exhausted: 0, escalatedByStaff: 1 },
    dossiers: { filed: 1, reportsFiled: 2 },
  };
}

const report: Report = {
  platform: 'telegram',
  asOf: '2026-12-01T08:00:00.000Z',
  period: { label: '2026-11', from: '2026-10-31T23:00:00.000Z', to: '2026-11-30T23:00:00.000Z' },
  previousPeriod: { label: '2026-10', from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' },
  current: figures({ inTime: 7, late: 3, never: 1, awaiting: 1 }, 9000),
  previous: figures({ inTime: 6, late: 5, never: 1, awaiting: 0 }, 3600),
  changes: [
    { figure: 'requests.total', current: 12, previous: 12, difference: 0 },
    { figure: 'answers.late', current: 3, previous: 5, difference: -2 },
    { figure: 'timeToEffect.medianSeconds', current: 9000, previous: 3600, difference: 5400 },
    { figure: 'timeToAnswer.p90Seconds', current: null, previous: null, difference: null },
    { figure: 'byCategory.threat.total', current: 4, previous: 1, difference: 3 },
    { figure: 'byCategory.threat.deletion', current: 3, previous: 1, difference: 2 },
  ],
};

const ROUTE = '/platforms/:platform/cooperation-report';
const ANSWER = { 'GET /api/platforms/telegram/cooperation-report': { body: report } };
const reportRequests = (requests: Request[]) => requests.filter((request) => new URL(request.url).pathname.endsWith('/cooperation-report')).map((request) => new URL(request.url).searchParams);

describe('the cooperation report page', () => {
  it('asks for the month in the address and shows every figure with the period before and the change', async () => {
    const { requests } = renderPage({ path: '/platforms/telegram/cooperation-report?period=2026-11', route: ROUTE, element: <CooperationReportPage />, role: 'viewer', api: ANSWER });
    const late = await screen.findByRole('row', { name: /Answered late/ });
    expect(within(late).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['3', '5', '−2']);
    const effect = screen.getByRole('row', { name: /Time to effect, median/ });
    expect(within(effect).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['2 h 30 min', '1 h', '+1 h 30 min']);
    expect(within(screen.getByRole('row', { name: /Time to answer, 90th/ })).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['—', '—', '—']);
    // Per category the table gives the total; the split by kind is in the chart and the CSV.
    expect(within(screen.getByRole('row', { name: /^Threat/ })).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['4', '1', '+3']);
    expect(screen.getByRole('row', { name: /All requests/ }).textContent).toContain('±0');
    expect(reportRequests(requests).map((query) => query.get('period'))).toEqual(['2026-11']);
  });

  it('asks for a quarter chosen in the form, and downloads the CSV the API makes', async () => {
    const user = userEvent.setup();
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:report'), revokeObjectURL: vi.fn() }));
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { requests } = renderPage({ path: '/platforms/telegram/cooperation-report?period=2026-11', route: ROUTE, element: <CooperationReportPage />, role: 'viewer', api: ANSWER });
    await screen.findByRole('row', { name: /Answered late/ });
    await user.click(screen.getByRole('radio', { name: 'Quarter' }));
    await user.clear(screen.getByRole('spinbutton', { name: 'Year' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Year' }), '2026');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Quarter' }), 'Q4');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    await vi.waitFor(() => expect(reportRequests(requests).map((query) => query.get('period'))).toContain('2026-Q4'));

    await user.click(screen.getByRole('button', { name: 'Download as CSV' }));
    await vi.waitFor(() => expect(saved).toEqual(['kooperationsbericht-telegram-2026-11.csv']));
    expect(reportRequests(requests).filter((query) => query.get('format') === 'csv')).toHaveLength(1);
    click.mockRestore();
  });
});

describe('the period in the address', () => {
  it('reads a month, a quarter and a span, and defaults to the last complete month', () => {
    const now = new Date(2026, 0, 15);
    expect(choiceFromSearch(new URLSearchParams('period=2026-11'), now)).toEqual({ kind: 'month', month: '2026-11' });
    expect(choiceFromSearch(new URLSearchParams('period=2026-Q4'), now)).toEqual({ kind: 'quarter', year: 2026, quarter: 4 });
    expect(choiceFromSearch(new URLSearchParams('from=2026-11-01&to=2026-11-15'), now)).toEqual({ kind: 'span', from: '2026-11-01', to: '2026-11-15' });
    expect(choiceFromSearch(new URLSearchParams('period=nonsense'), now)).toEqual({ kind: 'month', month: '2025-12' });
    expect(lastCompleteMonth(now)).toBe('2025-12');
    // Days of a span begin at local midnight (the tests run in Berlin's time).
    expect(apiQuery({ kind: 'span', from: '2026-11-01', to: '2026-11-15' })).toEqual({ from: '2026-10-31T23:00:00.000Z', to: '2026-11-14T23:00:00.000Z' });
  });
});
