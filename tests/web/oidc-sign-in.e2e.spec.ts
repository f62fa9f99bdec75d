// OpenID Connect sign-in in a real browser: the API (as production wires it, its services stubbed) serves the
// web app and verifies JWTs from an issuer; the app learns the issuer from GET /api/web-config, signs in there with
// the authorization code flow and PKCE, and opens the session with the access token. The issuer is a small test
// double (fake-oidc-issuer.ts); the page's CSP must let it reach the issuer's discovery and token endpoints.

import { join } from 'node:path';
import { OidcTokenVerifier } from '../../apps/api/src/auth/oidc-tokens';
import { createTestApi, type TestApi } from '../../apps/api/src/testing/api-test-app';
import { eventually } from '../support/eventually';
import { freePort } from '../support/free-port';
import { repositoryRoot } from '../support/repository-root';
import { BrowserSession, checkPage, openBrowser, requireBuiltAppAndBrowser, takePageErrors } from './back-office';
import { FakeIssuer, startFakeIssuer } from './fake-oidc-issuer';

const CLIENT_ID = 'report-engine-web';

describe('OpenID Connect sign-in (browser)', () => {
  let issuer: FakeIssuer;
  let api: TestApi;
  let browser: BrowserSession;

  beforeAll(async () => {
    requireBuiltAppAndBrowser();
    // Access tokens of 40 s: the app renews them with the refresh token 30 s before they run out.
    issuer = await startFakeIssuer({ port: await freePort(), clientId: CLIENT_ID, audience: 'report-engine', user: { username: 'ada.oidc', roles: ['staff', 'admin'] }, accessTokenSeconds: 40 });
    api = await createTestApi({
      tokenVerifier: new OidcTokenVerifier({ jwks: new URL(`${issuer.issuer}/jwks`), issuer: issuer.issuer, audience: issuer.audience }),
      webApp: { directory: join(repositoryRoot(), 'dist', 'web'), signIn: { auth: 'oidc', oidc: { issuer: issuer.issuer, clientId: CLIENT_ID, scopes: 'openid profile email' } } },
    });
    api.reports.list.mockResolvedValue({ items: [], total: 0 });
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as { port: number };
    browser = await openBrowser(`http://127.0.0.1:${port}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await issuer?.stop();
  }, 30_000);

  afterEach(() => expect(takePageErrors()).toEqual([]));

  it('signs in at the issuer with the code flow and PKCE and comes back to the page asked for, as the user the token names', async () => {
    const page = await browser.newPage();
    await page.goto('/inbox');
    const button = page.getByRole('button', { name: `Sign in at ${new URL(issuer.issuer).host}` });
    await button.waitFor();
    await checkPage(page, 'sign-in-oidc');
    await button.click();

    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await page.getByText('Signed in as ada.oidc (admin)').waitFor();
    // Admin by the token's roles claim: the policy editor is in the navigation.
    await page.getByRole('navigation').getByRole('link', { name: 'Policies' }).waitFor();

    expect(issuer.authorizations).toHaveLength(1);
    const authorization = issuer.authorizations[0];
    expect(Object.fromEntries(authorization)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      code_challenge_method: 'S256',
      scope: 'openid profile email',
      redirect_uri: `${new URL(page.url()).origin}/sign-in/callback`,
    });
    expect(authorization.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issuer.refusedTokenRequests).toBe(0);

    // Signing out forgets the issuer's tokens too (nothing of them stays in the tab's storage).
    const storedKeys = () => page.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: { length: number; key(index: number): string | null } }).sessionStorage;
      return Array.from({ length: storage.length }, (_, index) => storage.key(index));
    });
    expect((await storedKeys()).some((key) => key?.startsWith('oidc.user:'))).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await eventually(async () => ((await storedKeys()).every((key) => !key?.startsWith('oidc.user:') && key !== 'back-office.session') ? true : undefined), 5_000, 'the tokens to be forgotten');
  }, 60_000);

  it('renews the access token with the refresh token before it runs out, and the session goes on', async () => {
    const page = await browser.newPage();
    await page.goto('/inbox');
    await page.getByRole('button', { name: `Sign in at ${new URL(issuer.issuer).host}` }).click();
    await page.getByText('Signed in as ada.oidc (admin)').waitFor();
    const before = issuer.refreshes;
    const sessionToken = () => page.evaluate(() => JSON.parse((globalThis as unknown as { sessionStorage: { getItem(key: string): string } }).sessionStorage.getItem('back-office.session')).token as string);
    const first = await sessionToken();
    await eventually(async () => (issuer.refreshes > before ? true : undefined), 30_000, 'the app to renew its access token');
    await eventually(async () => ((await sessionToken()) !== first ? true : undefined), 10_000, 'the session to take the renewed token');
    // The renewed token works: a reload re-checks the session with GET /api/me and stays signed in.
    await page.reload();
    await page.getByText('Signed in as ada.oidc (admin)').waitFor();
    expect(issuer.refusedTokenRequests).toBe(0);
  }, 60_000);

  it('leads back to sign-in, with a way back, when the callback carries no valid code', async () => {
    const page = await browser.newPage();
    await page.goto('/sign-in/callback?code=forged&state=unknown');
    await page.getByRole('alert').waitFor();
    await page.getByRole('link', { name: 'Back to sign-in' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  }, 60_000);
});
