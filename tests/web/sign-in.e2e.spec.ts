// In a real browser against `npm start`'s stack: the web app is served at /, a wrong token is refused with the
// API's reason, the right one opens the inbox, which lists the cases; the pages pass axe.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeEnginePorts, startEngine } from '../e2e/engine-process';
import { eventually } from '../support/eventually';
import { BackOffice, checkPage, signIn, startBackOffice, takePageErrors, TOKENS } from './back-office';

const report = (reporterReference: string) => ({
  platform: 'telegram',
  channel: 'state-police',
  contentLocations: [{ url: 'https://t.me/examplechannel/4711' }],
  excerpt: 'Call to murder a named virologist',
  evidenceHash: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  seenAt: '2026-11-20T10:00:00Z',
  reporterReference,
});

describe('signing in to the back office (browser)', () => {
  let office: BackOffice;
  beforeAll(async () => {
    office = await startBackOffice();
  }, 120_000);
  afterAll(() => office?.stop(), 30_000);
  afterEach(() => expect(takePageErrors()).toEqual([]));

  it('is served at / and sends a visitor without a session to the sign-in page', async () => {
    const page = await office.newPage();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkPage(page, 'sign-in');
    // npm start names where the back office is.
    expect(office.engine.output()).toContain(`web app        ${office.baseUrl}/`);
  }, 60_000);

  it('refuses a wrong token with the reason, where the user typed it', async () => {
    const page = await office.newPage();
    await page.goto('/');
    await page.getByLabel('Bearer token').fill('not-a-token-of-this-engine');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/token/i);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  }, 60_000);

  it('opens the inbox with the staff token, lists the cases, and comes back to a bookmarked page after sign-in', async () => {
    const filed = await office.http.post('/api/reports', report('LKA-WEB-1'), undefined, { 'Idempotency-Key': 'web-sign-in-1' });
    expect(filed.status).toBe(201);
    const id = filed.body.report.reportId as string;

    const page = await office.newPage();
    await signIn(page, 'staff');
    await page.getByRole('link', { name: new RegExp(id) }).waitFor();
    await page.getByText('Signed in as analyst.meyer (staff)').waitFor();
    await checkPage(page, 'inbox');

    // A reload keeps the session (the tab's storage); a bookmarked address in a new tab signs in and goes there.
    await page.reload();
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    const other = await office.newPage();
    await other.goto(`/cases/${id}`);
    await other.getByLabel('Bearer token').fill(TOKENS.viewer);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.waitForURL(`**/cases/${id}`);
  }, 90_000);

  it('signs out, and a page of the app then asks for sign-in again', async () => {
    const page = await office.newPage();
    await signIn(page, 'viewer');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.goto('/inbox');
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  }, 60_000);
});

describe('npm start without a built web app', () => {
  it('starts all the same, serves the API, and says once that the web app is not built', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'no-web-app-'));
    const emptyWebApp = mkdtempSync(join(tmpdir(), 'no-web-app-dist-'));
    const engine = await startEngine(dataDir, await freeEnginePorts(), { env: { WEB_APP_DIR: emptyWebApp } });
    try {
      const health = await eventually(async () => {
        const response = await fetch(`${engine.baseUrl}/health`);
        return response.status === 200 ? response : undefined;
      }, 60_000, 'the engine to be healthy');
      expect(health.status).toBe(200);
      const page = await fetch(`${engine.baseUrl}/`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(404);
      expect(engine.output()).toContain('web app        not built (see the warning above)');
      expect(engine.output().split('The web app is not built').length - 1).toBe(1);
    } finally {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(emptyWebApp, { recursive: true, force: true });
    }
  }, 120_000);
});
