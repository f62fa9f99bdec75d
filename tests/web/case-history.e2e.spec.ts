// In a real browser against `npm start`'s stack: the platform's answer recorded in the form with when effect was
// given (an arrival before the request refused where it was typed; axe on the form), then the case verified and closed over the
// API, and stepped back in its timeline to an earlier version,
// which the page shows marked as the past, without actions; forward again and back to now; the case file for the
// prosecution downloads as a PDF under the API's name. axe on the past state and on now.

import { readFileSync } from 'node:fs';
import { eventually } from '../support/eventually';
import { BackOffice, checkPage, signIn, startBackOffice, takePageErrors } from './back-office';
import { runningCase } from './cases';

/** A time in Berlin as a datetime-local input takes it (2026-12-01T13:29), `offsetMinutes` from now. */
const berlinLocal = (offsetMinutes: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(new Date(Date.now() + offsetMinutes * 60_000)).replace(' ', 'T');

describe("a case's history and its case file in the back office (browser)", () => {
  let office: BackOffice;
  beforeAll(async () => {
    office = await startBackOffice({ PLATFORMS: 'telegram' });
  }, 120_000);
  afterAll(() => office?.stop(), 30_000);
  afterEach(() => expect(takePageErrors()).toEqual([]));

  it('steps back to an earlier version and sees the earlier status, comes back to now, and downloads the prosecution PDF', async () => {
    const id = await runningCase(office.http, 'LKA-HISTORY-1');
    const page = await office.newPage();
    await signIn(page, 'staff');
    await page.goto(`/cases/${encodeURIComponent(id)}`);
    await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: 'Record platform answer' }).click();
    const form = page.getByRole('form', { name: 'Record platform answer' });
    await form.getByLabel('Answer', { exact: true }).selectOption({ label: 'Removed' });
    await form.getByLabel('Answer arrived at (optional)').fill(berlinLocal(-24 * 60));
    const effectGivenAt = berlinLocal(-1);
    await form.getByLabel('Effect given at (optional)').fill(effectGivenAt);
    await form.getByRole('button', { name: 'Record platform answer' }).click();
    await form.getByText('Not before the request was sent.').waitFor();
    await checkPage(page, 'case-answer-times');
    await form.getByLabel('Answer arrived at (optional)').fill('');
    await form.getByRole('button', { name: 'Record platform answer' }).click();
    await page.getByText('Done: Record platform answer.').waitFor();
    // The clock shows when effect was given, in the user's time.
    await page.getByRole('region', { name: 'Clocks' }).getByText(new RegExp(`effect given .*, ${effectGivenAt.slice(11)}$`)).waitFor();

    const steps: [string, object][] = [
      ['removal-verification', { result: 'gone' }],
      ['closure', { outcome: 'removed' }],
    ];
    for (const [action, body] of steps) {
      const answer = await office.http.post(`/api/reports/${id}/${action}`, body);
      expect({ action, status: answer.status, body: answer.status === 200 ? undefined : answer.body }).toEqual({ action, status: 200, body: undefined });
    }
    const latest = ((await office.http.get(`/api/reports/${id}`)).body as { version: number }).version;
    // The read model follows within moments: the timeline, once it holds every version, names the triage's.
    const triaged = await eventually(async () => {
      const entries = (await office.http.get(`/api/reports/${id}/timeline`)).body.entries as { streamVersion: number; type: string }[];
      return entries.some((entry) => entry.streamVersion === latest) ? entries.find((entry) => entry.type === 'ReportTriaged')?.streamVersion : undefined;
    }, 20_000, 'the timeline to hold the whole case');

    await page.locator('.page-header .badge', { hasText: 'Closed' }).waitFor();
    await page.getByRole('region', { name: 'Actions' }).waitFor();
    const stepper = page.getByRole('group', { name: 'Step through the history' });
    await stepper.getByText(`Now: version ${latest}`).waitFor();

    await page.getByRole('button', { name: 'Show the case as of version 1', exact: true }).click();
    await page.getByText(new RegExp(`As of version 1 of ${latest}, `)).waitFor();
    await page.locator('.page-header .badge', { hasText: 'In triage' }).waitFor();
    expect(await page.getByText('Past state').isVisible()).toBe(true);
    expect(await page.getByRole('region', { name: 'Actions' }).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('atVersion')).toBe('1');

    // Forward by keyboard, to the triage: active.
    await stepper.getByRole('button', { name: 'Later version →' }).focus();
    for (let version = 2; version <= triaged; version += 1) {
      await page.keyboard.press('Enter');
      await page.getByText(new RegExp(`As of version ${version} of ${latest}, `)).waitFor();
    }
    await page.locator('.page-header .badge', { hasText: 'Active' }).waitFor();
    await checkPage(page, 'case-history-past');

    await page.getByRole('button', { name: 'Back to now' }).first().click();
    await page.locator('.page-header .badge', { hasText: 'Closed' }).waitFor();
    await page.getByRole('region', { name: 'Actions' }).waitFor();
    expect(await page.getByText('Past state').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('atVersion')).toBeNull();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Case file for the prosecution (PDF)' }).click()]);
    expect(download.suggestedFilename()).toBe(`case-file-${id}-prosecution.pdf`);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.getByText(`Downloaded case-file-${id}-prosecution.pdf.`).waitFor();
    await checkPage(page, 'case-history-now');
  }, 150_000);
});
