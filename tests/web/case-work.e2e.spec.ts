// In a real browser against `npm start`'s stack, the staff's day: file a report through the form, triage it, send
// the deletion request, watch the case climb an admin's drill ladder of seconds on its own (no reload), record the
// platform's answer, see a refused step's reason where it was tried, verify and close; a viewer sees no action
// buttons; a bulk assignment shows each case's result, one failure included. Every page passes axe.

import type { Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { BackOffice, checkPage, signIn, startBackOffice, takePageErrors } from './back-office';
import { drillRules, evidenceHash, filedCase, runningCase } from './cases';

/** Opens an action's form on the case page, fills it with `fill`, and submits it. */
async function act(page: Page, action: string, fill: (form: ReturnType<Page['getByRole']>) => Promise<void> = async () => undefined) {
  await page.getByRole('region', { name: 'Actions' }).getByRole('button', { name: action, exact: true, expanded: false }).click();
  const form = page.getByRole('form', { name: action });
  await fill(form);
  await form.getByRole('button', { name: action, exact: true }).click();
  return form;
}

describe("the staff's day in the back office (browser)", () => {
  let office: BackOffice;
  beforeAll(async () => {
    // vk: a platform whose cases run on an admin's drill ladder of seconds; telegram keeps the default deadlines.
    office = await startBackOffice({ PLATFORMS: 'telegram,vk' });
    const drill = await office.http.put('/api/policies/vk', { rules: drillRules('PT3S'), appliesTo: 'new-cases', reason: 'Escalation drill' });
    expect(drill.status).toBe(200);
  }, 120_000);
  afterAll(() => office?.stop(), 30_000);
  afterEach(() => expect(takePageErrors()).toEqual([]));

  it('files a report, triages it, sends the deletion request, watches it climb the ladder, records the answer and closes it', async () => {
    const page = await office.newPage();
    await signIn(page, 'staff');
    await page.getByRole('navigation').getByRole('link', { name: 'File a report' }).click();
    await page.getByRole('heading', { name: 'File a report', level: 1 }).waitFor();
    await checkPage(page, 'file-report');

    // Validation as the API validates, before anything is sent.
    await page.getByRole('button', { name: 'File the report' }).click();
    await page.getByText('Required.').first().waitFor();
    await page.getByLabel('Platform').fill('vk');
    await page.getByLabel('Reported via').selectOption({ label: 'State police' });
    await page.getByLabel('Reporter reference').fill('LKA-BW-WEB-1');
    await page.getByLabel('Seen at').fill('2026-11-20T10:00:00');
    const firstLocation = page.getByRole('group', { name: 'Location 1' });
    await firstLocation.getByLabel('URL').fill('https://vk.com/wall-4711_1');
    await page.getByRole('button', { name: 'Add a content location' }).click();
    await page.getByRole('group', { name: 'Location 2' }).getByLabel('URL').fill('https://vk.com/wall-4711_2');
    await page.getByLabel('Excerpt').fill('Call to murder a named virologist');
    await page.getByLabel('Evidence hash').fill(evidenceHash);
    await page.getByRole('button', { name: 'File the report' }).click();

    await page.waitForURL(/\/cases\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    await page.getByRole('heading', { name: `Case ${id}`, level: 1 }).waitFor();
    await page.getByRole('link', { name: 'https://vk.com/wall-4711_2' }).waitFor();
    await checkPage(page, 'case-filed');

    await act(page, 'Triage', async (form) => {
      await form.getByLabel('Actionable').check();
      await form.getByLabel('Category').selectOption({ label: 'Call to murder' });
      await form.getByLabel('Severity').selectOption({ label: 'Critical' });
      await form.getByLabel('Deletion request').check();
    });
    await page.getByText('Done: Triage.').waitFor();
    await act(page, 'Send deletion request');
    await page.getByText('Done: Send deletion request.').waitFor();

    // The drill ladder (3 s a step) climbs on its own; the page follows without a reload.
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    const ladder = page.getByRole('list', { name: 'Escalation ladder' });
    await ladder.locator('[aria-current="step"]', { hasText: 'App-store pressure' }).waitFor({ timeout: 60_000 });
    await page.getByRole('region', { name: 'Timeline' }).getByText(/Deadline elapsed/).first().waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await checkPage(page, 'case-escalated');
    // Until the ladder has run out its timer keeps changing the case, and an action taken on the version shown
    // (If-Match) is refused as stale; once it has, nothing but staff changes it.
    await page.getByText(/Deletion request: Ladder run out/).waitFor({ timeout: 20_000 });

    await act(page, 'Record platform answer', async (form) => {
      await form.getByLabel('Request').selectOption({ label: 'Deletion request' });
      await form.getByLabel('Answer', { exact: true }).selectOption({ label: 'Removed' });
    });
    await page.getByText('Done: Record platform answer.').waitFor();

    // Closing as "removed" before the removal is verified is refused, with the domain's reason, in the form.
    const closing = await act(page, 'Close', async (form) => {
      await form.getByLabel('Outcome').selectOption({ label: 'Removed' });
    });
    await closing.getByRole('alert').waitFor();
    expect(await closing.getByRole('alert').textContent()).toMatch(/verified|verifiziert/i);
    await checkPage(page, 'case-refused');
    await closing.getByRole('button', { name: 'Cancel' }).click();

    await act(page, 'Verify removal', async (form) => {
      await form.getByLabel('Gone').check();
    });
    await page.getByText('Done: Verify removal.').waitFor();
    await act(page, 'Close', async (form) => {
      await form.getByLabel('Outcome').selectOption({ label: 'Removed after escalation' });
    });
    await page.getByText('Done: Close.').waitFor();
    await page.locator('.page-header').getByText('Closed', { exact: true }).waitFor();
    await page.getByText('verifies: every event chains to the one before').waitFor();
    await checkPage(page, 'case-closed');

    const detail = await office.http.get(`/api/reports/${id}`);
    expect(detail.body).toMatchObject({ status: 'closed', closure: { outcome: 'removed-after-escalation' }, clocks: { deletion: { escalated: true } } });
  }, 180_000);

  it('shows a viewer the case without any action button', async () => {
    const id = await filedCase(office.http, 'LKA-VIEWER-1');
    const page = await office.newPage();
    await signIn(page, 'viewer');
    await page.goto(`/cases/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { name: `Case ${id}`, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Hash chain' }).waitFor();
    expect(await page.getByRole('region', { name: 'Actions' }).count()).toBe(0);
    for (const action of ['Triage', 'Close', 'Assign', 'Add note', 'Mark as duplicate']) {
      expect({ action, buttons: await page.getByRole('button', { name: action, exact: true }).count() }).toEqual({ action, buttons: 0 });
    }
    expect(await page.getByRole('navigation').getByRole('link', { name: 'File a report' }).count()).toBe(0);
    await checkPage(page, 'case-viewer');
  }, 60_000);

  it('assigns several cases at once from the inbox and shows each result, the one refused with its reason', async () => {
    const ids = [await filedCase(office.http, 'LKA-BULK-1'), await filedCase(office.http, 'LKA-BULK-2'), await filedCase(office.http, 'LKA-BULK-3')];
    // The first is assigned to the same person already: the domain refuses assigning it again.
    expect((await office.http.post(`/api/reports/${ids[0]}/assignment`, { assignee: 'analyst.schulz' })).status).toBe(200);

    const page = await office.newPage();
    await signIn(page, 'staff');
    for (const id of ids) await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    await page.getByText('3 selected').waitFor();
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Assign' });
    await page.getByLabel('Username').fill('analyst.schulz');
    await page.getByRole('button', { name: 'Run on 3 cases' }).click();
    const results = page.getByRole('status').filter({ hasText: 'Results' });
    await results.getByText('2 done, 1 failed').waitFor();
    await results.getByRole('listitem').filter({ hasText: ids[0] }).getByText(/failed \(409\): .*already assigned/).waitFor();
    for (const id of ids.slice(1)) await results.getByRole('listitem').filter({ hasText: id }).getByText(/done/).waitFor();
    await checkPage(page, 'inbox-bulk');
    for (const id of ids) expect((await office.http.get(`/api/reports/${id}`)).body.assignee).toBe('analyst.schulz');
  }, 90_000);

  it('shows the inbox most urgent first, each row with its ladder step and live countdown', async () => {
    // A case whose drill ladder runs out (the most urgent), and two waiting on telegram's default deadlines.
    const ranOut = await runningCase(office.http, 'LKA-URGENT-1', 'vk');
    await runningCase(office.http, 'LKA-WAITING-1');
    await runningCase(office.http, 'LKA-WAITING-2');
    const page = await office.newPage();
    await signIn(page, 'staff');
    const rows = page.getByRole('table', { name: 'Inbox' }).getByRole('row');
    await eventually(async () => {
      const first = (await rows.nth(1).textContent()) ?? '';
      return first.includes(ranOut) && first.includes('Ladder run out') ? true : undefined;
    }, 60_000, 'the run-out case to lead the inbox');
    await rows.nth(1).getByText(/overdue by/).waitFor();
    await page.getByText(/^in 2[0-9] h/).first().waitFor();
    await checkPage(page, 'inbox-overview');
  }, 120_000);
});
