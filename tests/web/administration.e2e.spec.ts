// In a real browser against `npm start`'s stack: an admin previews the impact of a stricter deadline on past
// cases, changes a platform's escalation policy for running cases and watches the rollout finish; a duration that cannot be read is marked at its cell; only admins see the
// policy editor; the platforms page shows the scorecard and the app-store dossier; an admin registers a platform that
// a report was refused on, and files the report on it.

import { eventually } from '../support/eventually';
import { BackOffice, checkPage, signIn, startBackOffice, takePageErrors, TOKENS } from './back-office';
import { drillRules, evidenceHash, runningCase } from './cases';

describe('administration in the back office (browser)', () => {
  let office: BackOffice;
  beforeAll(async () => {
    // vk: the platform whose cases climb a drill ladder of seconds up to the app-store dossier.
    office = await startBackOffice({ PLATFORMS: 'telegram,vk' });
  }, 120_000);
  afterAll(() => office?.stop(), 30_000);
  afterEach(() => expect(takePageErrors()).toEqual([]));

  it('an admin changes a policy for running cases and sees the rollout finish', async () => {
    const ids = [await runningCase(office.http, 'LKA-ADMIN-1'), await runningCase(office.http, 'LKA-ADMIN-2')];

    const page = await office.newPage();
    await signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).click();
    await page.getByLabel('Platform').selectOption('telegram');
    await page.getByRole('heading', { name: 'Version 1 in force' }).waitFor();
    await checkPage(page, 'policies');

    // Before changing anything: what a one-second first deadline would have done to the cases of the last 90 days.
    const standardContact = page.getByLabel('Duration: High, Deletion request, Standard contact');
    await standardContact.fill('1 s');
    const preview = page.getByRole('region', { name: 'Preview the impact' });
    await preview.getByRole('button', { name: 'Preview the impact' }).click();
    const steps = preview.getByRole('table', { name: /Ladder steps/ });
    const reminderRow = steps.getByRole('row', { name: /Deletion request Reminder/ });
    await reminderRow.waitFor();
    // Both cases sent their deletion request more than a second ago and have no answer: both would have had a reminder.
    expect(await reminderRow.getByRole('cell').allTextContents()).toEqual(['Deletion request', `0 → ${ids.length}`, '0', '0', '0', '0', `${ids.length}`, expect.stringMatching(/^— → \d+ s$/)]);
    await preview.getByText(/^Of 2 cases filed from .*, 2 would have gone differently\.$/).waitFor();
    for (const id of ids) expect(await preview.getByRole('link', { name: id }).getAttribute('href')).toBe(`/cases/${id}`);
    await checkPage(page, 'policies-preview');
    await standardContact.fill('24 h');
    await preview.getByRole('status').filter({ hasText: 'changed since this preview' }).waitFor();
    expect((await office.http.get('/api/policies/telegram/versions')).body).toHaveLength(1);

    await page.getByLabel('Duration: High, Deletion request, Reminder').fill('3 days');
    await page.getByLabel('Time basis: High, Deletion request, Reminder').selectOption('business');
    await page.getByLabel('Holidays of the state (business time)').selectOption('BW');
    const changes = page.getByRole('region', { name: 'Changes against the version in force' });
    await changes.getByText('High, Deletion request, Reminder').waitFor();
    await changes.getByText('Baden-Württemberg').waitFor();

    await page.getByLabel(/Also running cases/).check();
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    // The reason is required, and said so where it is missing.
    await page.getByText('Say why the policy changes').waitFor();
    await page.getByLabel('Reason').fill('Reminders on working days in Baden-Württemberg');
    await page.getByRole('button', { name: 'Save as version 2' }).click();
    await page.getByText('Version 2 saved.').waitFor();
    await page.getByText(`Completed — ${ids.length} of ${ids.length} running cases handled`).waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Version 2 in force' }).waitFor();
    const history = page.getByRole('region', { name: 'Versions' });
    await history.getByRole('cell', { name: 'Reminders on working days in Baden-Württemberg' }).waitFor();
    await checkPage(page, 'policies-rollout');

    const policy = await office.http.get('/api/policies/telegram');
    expect(policy.body).toMatchObject({
      policy: { version: 2, holidayState: 'BW', rules: { high: { deletion: { reminder: { duration: 'P3D', basis: 'business' } } } } },
      appliesTo: 'running-cases',
      changedBy: 'admin.kurz',
    });
    for (const id of ids) expect((await office.http.get(`/api/reports/${id}`)).body.policy).toMatchObject({ version: 2 });
  }, 150_000);

  it('marks a duration it cannot read at its cell, and changes nothing', async () => {
    const page = await office.newPage();
    await signIn(page, 'admin');
    await page.goto('/policies/telegram');
    const cell = page.getByLabel('Duration: Critical, Subscriber-data request, Standard contact');
    await cell.fill('2 months');
    await page.getByLabel('Reason').fill('A typo');
    await page.getByRole('button', { name: /Save as version/ }).click();
    await page.getByText('Months and years vary in length').waitFor();
    await page.getByRole('alert').filter({ hasText: 'cannot be read' }).waitFor();
    expect(await cell.getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'policies-invalid');
    const versions = await office.http.get('/api/policies/telegram/versions');
    expect(versions.body).toHaveLength(2);
  }, 60_000);

  it('speaks German to a browser that asks for it: policy durations as German writes them, the platform page', async () => {
    const page = await office.newPage({ locale: 'de-DE' });
    await page.goto('/');
    await page.getByLabel('Bearer-Token').fill(TOKENS.admin);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Richtlinien' }).click();
    await page.getByLabel('Plattform').selectOption('telegram');
    await page.getByRole('heading', { name: /^Version \d+ in Kraft$/ }).waitFor();
    const durations = await page.getByRole('textbox', { name: /^Dauer: / }).evaluateAll((inputs) => inputs.map((input) => (input as unknown as { value: string }).value));
    expect(durations).toHaveLength(24);
    expect(durations).toContain('24 Std.');
    expect(durations.some((text) => /Tage$/.test(text))).toBe(true);
    await checkPage(page, 'policies-de');
    await page.goto('/platforms/telegram');
    await page.getByRole('region', { name: 'App-Store-Dossier' }).waitFor();
    await page.getByRole('heading', { name: 'Kooperation in den letzten 30 Tagen' }).waitFor();
    await checkPage(page, 'platform-de');
  }, 60_000);

  it('shows the policy editor to admins only', async () => {
    const page = await office.newPage();
    await signIn(page, 'staff');
    await page.getByRole('navigation').getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).count()).toBe(0);
    await page.goto('/policies/telegram');
    await page.getByText('This page needs the role admin.').waitFor();
    expect(await page.getByRole('button', { name: /Save as version/ }).count()).toBe(0);
  }, 60_000);

  it("shows a platform's scorecard and app-store dossier; an admin changes threshold and interval and files it now", async () => {
    expect((await office.http.put('/api/policies/vk', { rules: drillRules('PT1S'), appliesTo: 'new-cases', reason: 'Escalation drill' })).status).toBe(200);
    const id = await runningCase(office.http, 'LKA-DOSSIER-1', 'vk');
    await eventually(async () => ((await office.http.get('/api/platforms/vk/dossier')).body.members?.length === 1 ? true : undefined), 60_000, 'the case to join the dossier');

    const page = await office.newPage();
    await signIn(page, 'admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Platforms' }).click();
    await page.getByRole('link', { name: 'vk' }).click();
    await page.getByRole('heading', { name: 'Cooperation in the last 30 days' }).waitFor();
    const dossier = page.getByRole('region', { name: 'App-store dossier' });
    await dossier.getByRole('link', { name: id }).waitFor();
    await page.getByText('1 deletion requests', { exact: false }).waitFor();
    await page.getByRole('img').first().waitFor().catch(() => undefined); // the charts' SVGs, where Recharts labels them
    await checkPage(page, 'platform');

    await dossier.getByRole('spinbutton', { name: 'Threshold (reports)' }).fill('5');
    await dossier.getByRole('textbox', { name: 'Interval' }).fill('3 Tage');
    await dossier.getByRole('button', { name: 'Change threshold and interval' }).click();
    await dossier.getByText('The running dossier now uses the new threshold and interval.').waitFor();
    await dossier.getByText('5 reports', { exact: true }).waitFor();
    await dossier.getByText('3 days', { exact: true }).waitFor();

    await dossier.getByRole('button', { name: 'File the dossier with the app stores now' }).click();
    await dossier.getByText('Filed: 1 report goes to the app stores.').waitFor();
    await dossier.getByRole('cell', { name: 'an admin filed it' }).waitFor({ timeout: 30_000 });
    await dossier.getByText('No report is waiting.').waitFor();
    await checkPage(page, 'platform-dossier-filed');

    // Filing an empty dossier is refused with the API's reason, where the admin clicked.
    await dossier.getByRole('button', { name: 'File the dossier with the app stores now' }).click();
    await dossier.getByRole('alert').waitFor();
    expect(await dossier.getByRole('alert').textContent()).toMatch(/\S/);

    const viewer = await office.newPage();
    await signIn(viewer, 'viewer');
    await viewer.goto('/platforms/vk');
    await viewer.getByRole('region', { name: 'App-store dossier' }).getByText('an admin filed it').waitFor();
    expect(await viewer.getByRole('button', { name: /File the dossier/ }).count()).toBe(0);
    expect(await viewer.getByLabel('Threshold (reports)').count()).toBe(0);
  }, 150_000);
  it('an admin registers a platform a report was refused on, then files the report on it', async () => {
    const page = await office.newPage();
    await signIn(page, 'admin');
    const fileOnMastodon = async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'File a report' }).click();
      await page.getByRole('heading', { name: 'File a report', level: 1 }).waitFor();
      await page.getByLabel('Platform').fill('Mastodon');
      await page.getByLabel('Reported via').selectOption({ label: 'State police' });
      await page.getByLabel('Reporter reference').fill('LKA-MASTODON-1');
      await page.getByLabel('Seen at').fill('2026-11-20T10:00:00');
      await page.getByRole('group', { name: 'Location 1' }).getByLabel('URL').fill('https://mastodon.social/@someone/113');
      await page.getByLabel('Excerpt').fill('Threat against a mayor');
      await page.getByLabel('Evidence hash').fill(evidenceHash);
      await page.getByRole('button', { name: 'File the report' }).click();
    };

    await fileOnMastodon();
    await page.getByRole('alert').waitFor();
    await page.getByText('Reports can only be filed on a registered platform', { exact: false }).waitFor();
    await checkPage(page, 'file-report-unknown-platform');
    await page.getByRole('link', { name: 'Platforms page' }).click();

    const form = page.getByRole('form', { name: 'Register a platform' });
    await form.getByLabel('Name', { exact: true }).fill('Mastodon');
    await form.getByLabel('Reason (optional)').fill('Threats arrive from Mastodon instances');
    await form.getByRole('button', { name: 'Register' }).click();
    await form.getByText('Mastodon is registered', { exact: false }).waitFor();
    await page.getByRole('table').getByRole('link', { name: 'Mastodon' }).waitFor();
    // The same name in another case is the same platform: refused at the field.
    await form.getByLabel('Name', { exact: true }).fill('MASTODON');
    await form.getByRole('button', { name: 'Register' }).click();
    await form.getByText('Registered already.', { exact: false }).waitFor();
    await checkPage(page, 'platform-registered');

    await fileOnMastodon();
    await page.waitForURL(/\/cases\/[^/]+$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const filed = await office.http.get(`/api/reports/${encodeURIComponent(id)}`);
    expect(filed.body.report.platform).toBe('mastodon');
  }, 90_000);
});
