// In a real browser against `npm start`'s stack: an admin changes a platform's escalation policy for running
// cases and watches the rollout finish; a duration that cannot be read is marked at its cell; only admins see the
// policy editor; the platforms page shows the scorecard and the app-store dossier.

import { BackOffice, checkPage, signIn, startBackOffice, takePageErrors } from './back-office';
import { runningCase } from './cases';

describe('administration in the back office (browser)', () => {
  let office: BackOffice;
  beforeAll(async () => {
    office = await startBackOffice();
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

  it('shows the policy editor to admins only', async () => {
    const page = await office.newPage();
    await signIn(page, 'staff');
    await page.getByRole('navigation').getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).count()).toBe(0);
    await page.goto('/policies/telegram');
    await page.getByText('This page needs the role admin.').waitFor();
    expect(await page.getByRole('button', { name: /Save as version/ }).count()).toBe(0);
  }, 60_000);
});
