// The browser tests' harness: `npm start`'s program on a fresh data directory and free ports, Debian's Chromium
// driven by playwright-core, signing in with the known tokens, screenshots of each page, and axe on each page.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { repositoryRoot } from '../support/repository-root';
import { EngineProcess, freeEnginePorts, httpClient, startEngine, TOKENS } from '../e2e/engine-process';

export { TOKENS };

/** Where each page's screenshot is kept (CI keeps the folder as an artifact; git ignores it). */
export const SCREENSHOTS_DIR = join(repositoryRoot(), 'artifacts', 'screenshots');

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH for another one. Never downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type Role = keyof typeof TOKENS;

/** Uncaught errors of the pages so far (a test ends with expect(takePageErrors()).toEqual([])). */
const pageErrors: string[] = [];
export function takePageErrors(): string[] {
  return pageErrors.splice(0);
}

export interface BackOffice {
  engine: EngineProcess;
  baseUrl: string;
  http: ReturnType<typeof httpClient>;
  browser: Browser;
  /** A fresh browser (its own storage: signed out), English, in Berlin's time zone. */
  newPage(options?: { locale?: string }): Promise<Page>;
  stop(): Promise<void>;
}

/** The built web app's index.html: the browser tests fail, never skip, without it (or without Chromium). */
export function requireBuiltAppAndBrowser(): void {
  const index = join(repositoryRoot(), 'dist', 'web', 'index.html');
  if (!existsSync(index)) throw new Error(`${index} is missing: build the web app (npm run build)`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
}

export interface BrowserSession {
  browser: Browser;
  /** A fresh browser (its own storage: signed out), English, in Berlin's time zone. */
  newPage(options?: { locale?: string }): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium on the app at `baseUrl`. */
export async function openBrowser(baseUrl: string): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const contexts: BrowserContext[] = [];
  return {
    browser,
    async newPage({ locale = 'en-US' } = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, locale, timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      // Shorter than jest's per-test limit, so that a missing element fails with Playwright's account of it.
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      // A page's script error fails the test that caused it, with the message, instead of a blank page later.
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      return page;
    },
    async close() {
      await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * Starts the engine with the built web app and a browser. Fails, never skips, when the app is not built or
 * Chromium is missing: these tests are the proof that the back office works.
 */
export async function startBackOffice(env: Record<string, string> = {}): Promise<BackOffice> {
  requireBuiltAppAndBrowser();
  const dataDir = mkdtempSync(join(tmpdir(), 'back-office-'));
  const engine = await startEngine(dataDir, await freeEnginePorts(), { env }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const stopEngine = async () => {
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let browser: BrowserSession;
  const http = httpClient(engine.baseUrl);
  try {
    // Ready for actions: a worker polls the task queue (the start line comes before its first poll).
    await eventually(async () => ((await http.get('/health', null)).status === 200 ? true : undefined), 60_000, 'the engine to be healthy');
    browser = await openBrowser(engine.baseUrl);
  } catch (error) {
    await stopEngine();
    throw error;
  }
  return {
    engine,
    baseUrl: engine.baseUrl,
    http,
    browser: browser.browser,
    newPage: browser.newPage,
    async stop() {
      await browser.close();
      await stopEngine();
    },
  };
}

/** Signs in on the sign-in page with the role's token and waits for the inbox. */
export async function signIn(page: Page, role: Role): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Bearer token').fill(TOKENS[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
}

/** Keeps a screenshot of the whole page as artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/**
 * Runs axe (WCAG 2.x A and AA rules) on the page as it is and returns its serious and critical violations, each
 * as one readable line (rule, impact, the first elements): a test expects none.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}; ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
}

/** A page checked the way every page is: a screenshot kept, and no serious accessibility violation. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({ page: name, violations: [] });
}
