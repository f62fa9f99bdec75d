import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { renderPage } from '../../testing/render-page';
import { defaultPreviewPeriod, movedSteps, previewPeriod, stepRows, type PolicySimulation, type SimulatedStepFigures } from './impact-preview';
import { PolicyEditor } from './PolicyEditor';
import type { PolicyVersion } from './policy-queries';
import type { PolicyRules } from './policy-table';

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await i18n.changeLanguage('en');
});

function rules(): PolicyRules {
  const ladder = (first: string) => ({
    'standard-contact': { duration: first, basis: 'calendar' as const },
    reminder: { duration: 'PT48H', basis: 'calendar' as const },
    'high-level-contact': { duration: 'PT48H', basis: 'calendar' as const },
    'app-store-pressure': { duration: 'P7D', basis: 'calendar' as const },
  });
  return {
    critical: { deletion: ladder('PT1H'), 'subscriber-data': ladder('PT1H') },
    high: { deletion: ladder('PT24H'), 'subscriber-data': ladder('PT24H') },
    standard: { deletion: ladder('P7D'), 'subscriber-data': ladder('P7D') },
  };
}

const inForce: PolicyVersion = {
  policy: { platform: 'telegram', version: 1, rules: rules() },
  appliesTo: 'default',
  changedBy: 'system',
  changedAt: '1970-01-01T00:00:00.000Z',
  reason: 'Default policy',
};

const figures = (
  clock: SimulatedStepFigures['clock'],
  step: SimulatedStepFigures['step'],
  reached: [number, number],
  changes: Partial<SimulatedStepFigures['changes']>,
  median: [number | null, number | null],
): SimulatedStepFigures => ({
  clock,
  step,
  reached: { recorded: reached[0], simulated: reached[1] },
  changes: { earlier: 0, later: 0, unchanged: 0, notAtAll: 0, onlyUnderCandidate: 0, ...changes },
  medianSecondsToStep: { recorded: median[0], simulated: median[1] },
});

const HOUR = 3600;
const simulation: PolicySimulation = {
  platform: 'telegram',
  period: { from: '2026-09-01T22:00:00.000Z', to: '2026-12-01T23:00:00.000Z' },
  asOf: '2026-12-01T10:00:00.000Z',
  sameWithinSeconds: 60,
  candidate: { source: 'rules', version: 2, versionInForce: 1, rules: rules() },
  summary: {
    cases: 40,
    casesChanged: 3,
    casesWithRefusedActions: 1,
    appStorePressure: { recorded: 2, simulated: 4 },
    // Out of ladder order on purpose, and a step no case reached under either policy.
    steps: [
      figures('deletion', 'high-level-contact', [3, 5], { earlier: 1, unchanged: 2, onlyUnderCandidate: 2 }, [96 * HOUR, 60 * HOUR]),
      figures('deletion', 'reminder', [12, 12], { earlier: 2, later: 1, unchanged: 9 }, [48 * HOUR, 36 * HOUR]),
      figures('subscriber-data', 'reminder', [0, 0], {}, [null, null]),
      figures('deletion', 'app-store-pressure', [2, 4], { unchanged: 1, notAtAll: 1, onlyUnderCandidate: 3 }, [8 * 24 * HOUR, null]),
    ],
  },
  changedCases: [
    {
      reportId: 'R-20261003-aa11',
      filedAt: '2026-10-03T08:00:00.000Z',
      severity: 'high',
      steps: [
        { clock: 'deletion', step: 'high-level-contact', change: 'only-under-candidate', simulated: '2026-10-06T08:00:00.000Z' },
        { clock: 'deletion', step: 'reminder', change: 'earlier', recorded: '2026-10-05T08:00:00.000Z', simulated: '2026-10-04T20:00:00.000Z', shiftSeconds: -12 * HOUR },
      ],
      appStorePressure: { recorded: false, simulated: true },
      refused: [],
    },
    {
      reportId: 'R-20261104-bb22',
      filedAt: '2026-11-04T08:00:00.000Z',
      steps: [{ clock: 'deletion', step: 'reminder', change: 'later', recorded: '2026-11-05T08:00:00.000Z', simulated: '2026-11-06T08:00:00.000Z', shiftSeconds: 24 * HOUR }],
      appStorePressure: { recorded: false, simulated: false },
      refused: [{ action: 'Escalate', at: '2026-11-05T09:00:00.000Z', actor: 'sam', code: 'clock-not-running', reason: 'The request is not waiting.' }],
    },
  ],
};

describe('the impact preview, pure', () => {
  it('defaults to the last 90 days up to today and asks from the first day’s midnight to the end of the last', () => {
    expect(defaultPreviewPeriod(new Date(2026, 11, 1, 15, 30))).toEqual({ from: '2026-09-02', to: '2026-12-01' });
    const period = previewPeriod('2026-09-02', '2026-12-01');
    expect(period).toEqual({ ok: true, from: new Date(2026, 8, 2).toISOString(), to: new Date(2026, 11, 2).toISOString() });
    expect(previewPeriod('2026-12-02', '2026-12-01')).toEqual({ ok: false, problem: 'ends-before-start' });
    expect(previewPeriod('', '2026-12-01')).toEqual({ ok: false, problem: 'missing' });
  });

  it('orders the steps request by request along the ladder, without steps no case reached', () => {
    expect(stepRows(simulation.summary).map((row) => `${row.clock} ${row.step}`)).toEqual(['deletion reminder', 'deletion high-level-contact', 'deletion app-store-pressure']);
    expect(movedSteps(simulation.changedCases[0]).map((step) => step.step)).toEqual(['reminder', 'high-level-contact']);
  });
});

const ROUTE = '/policies/:platform';
const editor = <PolicyEditor platform="telegram" inForce={inForce} onSaved={vi.fn()} />;

describe('previewing the impact in the policy editor', () => {
  it('simulates the table as edited over the period and shows each step before → after and the changed cases as links', async () => {
    const { requests } = renderPage({ path: '/policies/telegram', route: ROUTE, element: editor, role: 'admin', api: { 'POST /api/policies/telegram/simulations': { body: simulation } } });
    const reminder = screen.getByLabelText('Duration: High, Deletion request, Reminder');
    await userEvent.clear(reminder);
    await userEvent.type(reminder, '36 h');
    const preview = screen.getByRole('region', { name: 'Preview the impact' });
    await userEvent.clear(within(preview).getByLabelText('Cases filed from'));
    await userEvent.type(within(preview).getByLabelText('Cases filed from'), '2026-09-02');
    await userEvent.clear(within(preview).getByLabelText('to (inclusive)'));
    await userEvent.type(within(preview).getByLabelText('to (inclusive)'), '2026-12-01');
    await userEvent.click(within(preview).getByRole('button', { name: 'Preview the impact' }));

    const steps = await within(preview).findByRole('table', { name: /Ladder steps/ });
    const sent = requests.filter((request) => request.method === 'POST');
    expect(sent).toHaveLength(1);
    const body = await sent[0].clone().json();
    expect(body).toMatchObject({ from: new Date(2026, 8, 2).toISOString(), to: new Date(2026, 11, 2).toISOString(), limit: 50 });
    expect(body.rules.high.deletion.reminder).toEqual({ duration: 'PT36H', basis: 'calendar' });
    expect(body.rules.high.deletion['standard-contact']).toEqual({ duration: 'PT24H', basis: 'calendar' });
    expect(body).not.toHaveProperty('cells');

    const rows = within(steps).getAllByRole('row').slice(1);
    expect(rows.map((row) => Array.from(row.children, (cell) => cell.textContent))).toEqual([
      ['Deletion request', 'Reminder', '12 → 12', '2', '1', '9', '0', '0', '2 days → 1 day 12 h'],
      ['Deletion request', 'High-level contact', '3 → 5', '1', '0', '2', '0', '2', '4 days → 2 days 12 h'],
      ['Deletion request', 'App-store pressure', '2 → 4', '0', '0', '1', '1', '3', '8 days → —'],
    ]);
    expect(within(preview).getByText(/Of 40 cases filed from 2 Sept 2026 to 1 Dec 2026, 3 would have gone differently/)).toBeTruthy();
    expect(within(preview).getByText('Cases reaching app-store pressure: 2 → 4')).toBeTruthy();
    expect(within(preview).getByText('1 case has a recorded action the new table would not have allowed.')).toBeTruthy();
    expect(within(preview).getByText('The first 2 of 3 changed cases.')).toBeTruthy();

    const first = within(preview).getByRole('row', { name: /R-20261003-aa11/ });
    expect(within(first).getByRole('link', { name: 'R-20261003-aa11' }).getAttribute('href')).toBe('/cases/R-20261003-aa11');
    expect(within(first).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Deletion request, Reminder: 12 h earlier',
      expect.stringMatching(/^Deletion request, High-level contact: new, 6 Oct 2026, \d\d:00$/),
      'reaches app-store pressure',
    ]);
    const second = within(preview).getByRole('row', { name: /R-20261104-bb22/ });
    expect(within(second).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Deletion request, Reminder: 1 day later',
      expect.stringMatching(/^Escalate on 5 Nov 2026, \d\d:00 by sam: The request is not waiting\.$/),
    ]);

    // Edited after the preview: the figures are said to be for the table as it was.
    await userEvent.clear(reminder);
    await userEvent.type(reminder, '30 h');
    expect(within(preview).getByRole('status').textContent).toMatch(/changed since this preview/);
  });

  it('sends nothing while a cell cannot be read or the period ends before it begins, and says why', async () => {
    const { requests } = renderPage({ path: '/policies/telegram', route: ROUTE, element: editor, role: 'admin', api: {} });
    const preview = screen.getByRole('region', { name: 'Preview the impact' });
    await userEvent.clear(within(preview).getByLabelText('to (inclusive)'));
    await userEvent.type(within(preview).getByLabelText('to (inclusive)'), '2000-01-01');
    await userEvent.click(within(preview).getByRole('button', { name: 'Preview the impact' }));
    expect(within(preview).getByRole('alert').textContent).toBe('The last day must not come before the first.');

    const reminder = screen.getByLabelText('Duration: High, Deletion request, Reminder');
    await userEvent.clear(reminder);
    await userEvent.type(reminder, '2 months');
    await userEvent.click(within(preview).getByRole('button', { name: 'Preview the impact' }));
    expect(within(preview).getByRole('alert').textContent).toBe('Correct the marked durations first.');
    expect(requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('says which holidays business time skipped, and sends "no state" as null when the table has none', async () => {
    const withBW: PolicyVersion = { ...inForce, policy: { ...inForce.policy, holidayState: 'BW' } };
    const answers = [{ ...simulation, candidate: { ...simulation.candidate, holidayState: 'BW' as const } }, simulation];
    const { requests } = renderPage({
      path: '/policies/telegram',
      route: ROUTE,
      element: <PolicyEditor platform="telegram" inForce={withBW} onSaved={vi.fn()} />,
      role: 'admin',
      // As the API answers: first the table with Baden-Württemberg's holidays, then (null) with none.
      api: { 'POST /api/policies/telegram/simulations': () => ({ body: answers.shift() }) },
    });
    const preview = screen.getByRole('region', { name: 'Preview the impact' });
    await userEvent.click(within(preview).getByRole('button', { name: 'Preview the impact' }));
    await within(preview).findByText('Business time skipped the holidays of Baden-Württemberg.');
    expect((await requests.filter((request) => request.method === 'POST')[0].clone().json()).holidayState).toBe('BW');

    await userEvent.selectOptions(screen.getByLabelText('Holidays of the state (business time)'), '');
    await userEvent.click(within(preview).getByRole('button', { name: 'Preview the impact' }));
    await waitFor(() => expect(requests.filter((request) => request.method === 'POST')).toHaveLength(2));
    expect((await requests.filter((request) => request.method === 'POST')[1].clone().json()).holidayState).toBeNull();
    await within(preview).findAllByRole('table');
    expect(within(preview).queryByText(/Business time skipped the holidays/)).toBeNull();
    expect(within(preview).queryByRole('status')).toBeNull();
  });

  it('speaks German', async () => {
    await i18n.changeLanguage('de');
    renderPage({ path: '/policies/telegram', route: ROUTE, element: editor, role: 'admin', api: { 'POST /api/policies/telegram/simulations': { body: simulation } } });
    const preview = screen.getByRole('region', { name: 'Auswirkung vorab prüfen' });
    await userEvent.click(within(preview).getByRole('button', { name: 'Auswirkung vorab prüfen' }));
    const steps = await within(preview).findByRole('table', { name: /Eskalationsstufen/ });
    expect(within(steps).getAllByRole('row')[1].lastElementChild?.textContent).toBe('2 Tage → 1 Tag 12 Std.');
    expect(within(preview).getByText('Fälle mit App-Store-Druck: 2 → 4')).toBeTruthy();
    expect(within(preview).getByRole('row', { name: /R-20261104-bb22/ }).textContent).toContain('Löschersuchen, Erinnerung: 1 Tag später');
  });
});
