// In a real browser against `npm start`'s stack: a viewer opens a platform's cooperation report from its
// scorecard, chooses a period, reads the figures and the charts, prints it (the navigation and the controls
// leave the printed page) and downloads the CSV, which opens in a German spreadsheet (BOM, semicolons, umlauts).

import { readFileSync } from 'node:fs';
import { BackOffice, checkPage, signIn, startBackOffice, takePageErrors } from './back-office';
import { runningCase } from './cases';

/** A day in Berlin as a date input takes it (2026-12-01), `offsetDays` from today. */
const berlinDay = (offsetDays: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(Date.now() + offsetDays * 86_400_000));

describe('the cooperation report in the back office (browser)', () => {
  let office: BackOffice;
  beforeAll(async () => {
    office = await startBackOffice({ PLATFORMS: 'telegram' });
  }, 120_000);
  afterAll(() => office?.stop(), 30_000);
  afterEach(() => expect(takePageErrors()).toEqual([]));

  it('shows the figures of a chosen period with charts, prints without the controls, and downloads the CSV', async () => {
    const answered = await runningCase(office.http, 'LKA-COOP-1');
    expect((await office.http.post(`/api/reports/${answered}/platform-response`, { clock: 'deletion', response: 'removed' })).status).toBe(200);
    await runningCase(office.http, 'LKA-COOP-2');

    const page = await office.newPage();
    await signIn(page, 'viewer');
    await page.goto('/platforms/telegram');
    await page.getByRole('link', { name: /Cooperation report by month/ }).click();
    await page.getByRole('heading', { name: 'Cooperation report: telegram' }).waitFor();
    await page.getByRole('radio', { name: 'From – to' }).check();
    await page.getByLabel('From', { exact: true }).fill(berlinDay(0));
    await page.getByLabel('To (exclusive)').fill(berlinDay(1));
    await page.getByRole('button', { name: 'Show' }).click();
    // The read model follows within moments: the page is asked again until both requests are counted.
    for (let attempt = 0; ; attempt += 1) {
      const cells = await page.getByRole('row', { name: /All requests/ }).getByRole('cell').allTextContents();
      if (cells[0] === '2' || attempt === 20) break;
      await page.waitForTimeout(500);
      await page.reload();
    }
    const cells = (name: RegExp) => page.getByRole('row', { name }).getByRole('cell').allTextContents();
    expect(await cells(/All requests/)).toEqual(['2', '0', '+2']);
    expect(await cells(/Answered within the deadline/)).toEqual(['1', '0', '+1']);
    expect(await cells(/Awaiting an answer/)).toEqual(['1', '0', '+1']);
    expect(await cells(/^Removed/)).toEqual(['1', '0', '+1']);
    expect(await page.locator('.recharts-wrapper').count()).toBe(2);
    await checkPage(page, 'cooperation-report');

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await page.getByRole('row', { name: /All requests/ }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kooperationsbericht-telegram-.+\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Kennzahl;Bezeichnung;Zeitraum;Vorzeitraum;Veränderung');
    expect(lines).toContain('answers.inTime;Antwort innerhalb der Frist;1;0;1');
  }, 150_000);
});
