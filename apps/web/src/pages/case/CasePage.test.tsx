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

  describe("stepping through the case's history", () => {
    const entry = (streamVersion: number, type: string, summary: string) => ({
      streamVersion,
      eventId: `e${streamVersion}`,
      type,
      summary,
      actor: 'sam',
      occurredAt: `2026-12-01T1${streamVersion}:00:00.000Z`,
      recordedAt: `2026-12-01T1${streamVersion}:00:00.000Z`,
    });
    const now = detailOf('active', { version: 3, clocks: { deletion: clockOf('deletion', { deadline: '2099-01-01T00:00:00.000Z' }) } });
    const past: Record<string, ReturnType<typeof detailOf>> = { '1': detailOf('in-triage', { version: 1 }), '2': detailOf('active', { version: 2 }) };
    const asked: string[] = [];
    const history = {
      ...reads,
      'GET /api/reports/R-1': { body: now },
      'GET /api/reports/R-1/timeline': {
        body: { reportId: 'R-1', entries: [entry(1, 'ReportFiled', 'Report filed'), entry(2, 'ReportTriaged', 'Triaged'), entry(3, 'DeletionRequested', 'Deletion requested')] },
      },
      'GET /api/reports/R-1/messages': {
        body: {
          reportId: 'R-1',
          messages: [
            {
              messageId: 'm1',
              kind: 'deletion-request',
              recipient: 'standard-contact',
              subject: 'Order to act',
              channel: 'log-only',
              address: null,
              attempts: 1,
              status: 'recorded',
              lastError: null,
              firstAttemptAt: '2026-12-01T13:00:00.000Z',
              lastAttemptAt: '2026-12-01T13:00:00.000Z',
            },
          ],
        },
      },
      'GET /api/reports/R-1/state': (request: Request) => {
        const version = new URL(request.url).searchParams.get('atVersion') ?? '';
        asked.push(version);
        return { body: { ...past[version], asOf: { version: Number(version), occurredAt: `2026-12-01T1${version}:00:00.000Z`, latestVersion: 3 } } };
      },
    };

    it('shows an earlier version by keyboard, marked as the past and without actions, then the first from the timeline, and comes back to now', async () => {
      asked.length = 0;
      renderPage({ path: '/cases/R-1', route: '/cases/:id', element: <CasePage />, role: 'staff', api: history });
      await screen.findByRole('region', { name: 'Actions' });
      const stepper = await screen.findByRole('group', { name: 'Step through the history' });
      expect(within(stepper).getByRole('status').textContent).toBe('Now: version 3');

      within(stepper).getByRole('button', { name: '← Earlier version' }).focus();
      await userEvent.keyboard('{Enter}');
      // 12:00Z is 13:00 in Berlin, the tests' zone.
      expect((await screen.findByText(/As of version 2 of 3/)).textContent).toMatch(/As of version 2 of 3, .*13:00/);
      expect(screen.getByText('Past state')).toBeTruthy();
      expect(within(stepper).getByRole('status').textContent).toBe('Version 2 of 3');
      expect(screen.queryByRole('region', { name: 'Actions' })).toBeNull();
      expect(document.activeElement?.textContent).toBe('← Earlier version');
      // The deletion request went out with version 3: later than the state shown.
      const messages = screen.getByRole('region', { name: 'Messages sent to the platform' });
      expect(within(messages).getByRole('row', { name: /Order to act/ }).textContent).toContain('Later than the version shown');

      await userEvent.click(screen.getByRole('button', { name: 'Show the case as of version 1' }));
      expect(await screen.findByText(/As of version 1 of 3/)).toBeTruthy();
      expect(screen.getByText('In triage', { selector: '.badge' })).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Show the case as of version 1' }).getAttribute('aria-pressed')).toBe('true');
      // The first version has nothing earlier: the button stays where the keyboard is, and does nothing.
      const earlier = within(stepper).getByRole('button', { name: '← Earlier version' });
      expect(earlier.getAttribute('aria-disabled')).toBe('true');
      await userEvent.click(earlier);
      expect(asked).toEqual(['2', '1']);

      await userEvent.click(within(stepper).getByRole('button', { name: 'Back to now' }));
      expect(await screen.findByRole('region', { name: 'Actions' })).toBeTruthy();
      expect(screen.queryByText('Past state')).toBeNull();
      expect(within(stepper).getByRole('status').textContent).toBe('Now: version 3');
      expect(screen.queryByText('Later than the version shown')).toBeNull();
    });

    it('opens at the version the address names, and the latest as now', async () => {
      renderPage({ path: '/cases/R-1?atVersion=2', route: '/cases/:id', element: <CasePage />, role: 'viewer', api: history });
      expect(await screen.findByText(/As of version 2 of 3/)).toBeTruthy();
      await userEvent.click(screen.getByRole('button', { name: 'Later version →' }));
      expect(await screen.findByText('Now: version 3')).toBeTruthy();
      expect(screen.queryByText(/As of version/)).toBeNull();
    });

    it('says it in German', async () => {
      await i18n.changeLanguage('de');
      try {
        renderPage({ path: '/cases/R-1?atVersion=2', route: '/cases/:id', element: <CasePage />, role: 'staff', api: history });
        expect((await screen.findByText(/Stand von Version 2 von 3/)).textContent).toMatch(/Stand von Version 2 von 3, .*13:00/);
        expect(screen.getByText('Früherer Stand')).toBeTruthy();
        expect(screen.getAllByRole('button', { name: 'Zurück zum aktuellen Stand' })).toHaveLength(2);
        expect(screen.getByRole('button', { name: 'Fallakte für die Staatsanwaltschaft (PDF)' })).toBeTruthy();
      } finally {
        await i18n.changeLanguage('en');
      }
    });
  });

  describe('the case file', () => {
    it('downloads the PDF with the token and names it as the API does', async () => {
      const saved: string[] = [];
      vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:case-file'), revokeObjectURL: vi.fn() }));
      const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        saved.push(this.download);
      });
      const { requests } = renderPage({
        path: '/cases/R-1',
        route: '/cases/:id',
        element: <CasePage />,
        role: 'viewer',
        api: {
          ...reads,
          'GET /api/reports/R-1/case-file': (request) =>
            new URL(request.url).searchParams.get('format') === 'pdf'
              ? { body: new Blob(['%PDF-1.7'], { type: 'application/pdf' }), headers: { 'Content-Disposition': 'attachment; filename="case-file-R-1-prosecution.pdf"' } }
              : { status: 403, body: { statusCode: 403, error: 'Forbidden', message: 'Not for you.' } },
        },
      });
      await userEvent.click(await screen.findByRole('button', { name: 'Case file for the prosecution (PDF)' }));
      expect(await screen.findByText('Downloaded case-file-R-1-prosecution.pdf.')).toBeTruthy();
      expect(saved).toEqual(['case-file-R-1-prosecution.pdf']);
      const sent = requests.find((request) => request.url.includes('/case-file'));
      expect(new URL(sent!.url).search).toBe('?recipient=prosecution&format=pdf');
      expect(sent?.headers.get('Authorization')).toBe('Bearer token-0123456789abcdef');

      await userEvent.click(screen.getByRole('button', { name: 'Case file for the app stores (JSON)' }));
      expect((await screen.findByRole('alert')).textContent).toContain('Not for you.');
      expect(saved).toHaveLength(1);
      click.mockRestore();
    });
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
