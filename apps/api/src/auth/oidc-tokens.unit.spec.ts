import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import { bearer, createTestApi, TestApi } from '../testing/api-test-app';
import { OidcTokenVerifier } from './oidc-tokens';
import { StaticTokenVerifier } from './static-tokens';
import { AUTH_TOKENS } from '../testing/api-test-app';
import { FirstMatchTokenVerifier, InvalidTokenError, NoRoleError } from './token-verifier';

const ISSUER = 'https://id.example.test/realms/bka';
const AUDIENCE = 'escalation-engine';

let privateKey: CryptoKey;
let otherKey: CryptoKey;
let server: Server;
let jwksUrl: URL;
let jwksRequests = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
  // A local JWKS endpoint, as an OIDC issuer publishes it.
  server = createServer((_request, response) => {
    jwksRequests += 1;
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/protocol/openid-connect/certs`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function token(claims: Record<string, unknown>, options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? privateKey);
}

const verifier = (rolesClaim?: string) => new OidcTokenVerifier({ jwks: jwksUrl, issuer: ISSUER, audience: AUDIENCE, rolesClaim });

describe('OIDC JWTs against the issuer JWKS', () => {
  it('accepts a signed token and takes the user and role from its claims', async () => {
    const requestsBefore = jwksRequests;
    const jwt = await token({ sub: 'f3a1', preferred_username: 'kim', roles: ['staff'] });
    await expect(verifier().verify(jwt)).resolves.toEqual({ username: 'kim', role: 'staff' });
    expect(jwksRequests).toBeGreaterThan(requestsBefore);
  });

  it('gives a user with several roles the strongest, ignoring roles the API does not know', async () => {
    const jwt = await token({ sub: 'u2', roles: ['offline_access', 'viewer', 'admin', 'staff'] });
    await expect(verifier().verify(jwt)).resolves.toEqual({ username: 'u2', role: 'admin' });
  });

  it('reads roles from a configured, nested claim', async () => {
    const jwt = await token({ preferred_username: 'lee', realm_access: { roles: ['viewer'] } });
    await expect(verifier('realm_access.roles').verify(jwt)).resolves.toEqual({ username: 'lee', role: 'viewer' });
    await expect(verifier().verify(jwt)).rejects.toBeInstanceOf(NoRoleError);
  });

  it.each([
    ['another issuer', { issuer: 'https://evil.example' }],
    ['another audience', { audience: 'someone-else' }],
    ['an expired token', { expiresIn: Math.floor(Date.now() / 1000) - 3600 }],
  ])('refuses %s', async (_what, options) => {
    const jwt = await token({ sub: 'u', roles: ['admin'] }, options);
    await expect(verifier().verify(jwt)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token signed by another key, an unsigned one, and garbage', async () => {
    await expect(verifier().verify(await token({ sub: 'u', roles: ['admin'] }, { key: otherKey }))).rejects.toBeInstanceOf(InvalidTokenError);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'u', roles: ['admin'], iss: ISSUER, aud: AUDIENCE })).toString('base64url');
    await expect(verifier().verify(`${header}.${payload}.`)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier().verify('garbage')).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a genuine token without any role of the API as forbidden, not unauthenticated', async () => {
    await expect(verifier().verify(await token({ sub: 'u', roles: ['uma_authorization'] }))).rejects.toBeInstanceOf(NoRoleError);
  });

  describe('over HTTP, next to static tokens', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi({ tokenVerifier: new FirstMatchTokenVerifier([StaticTokenVerifier.fromText(AUTH_TOKENS), verifier()]) });
    });
    afterAll(() => api.close());

    it('lets a JWT admin change a policy and refuses a JWT staff member (403) and a role-less user (403)', async () => {
      const { defaultEscalationPolicy } = await import('@engine/domain');
      const policy = defaultEscalationPolicy('telegram');
      api.policies.change.mockResolvedValue({ policy, appliesTo: 'new-cases', changedBy: 'a', changedAt: '2026-02-01T09:00:00.000Z', reason: 'r' });
      const body = { rules: policy.rules, appliesTo: 'new-cases', reason: 'r' };
      const admin = await api.http.put('/api/policies/telegram').set('Authorization', `Bearer ${await token({ sub: 'a', roles: ['admin'] })}`).send(body);
      expect(admin.status).toBe(200);
      expect(api.policies.change).toHaveBeenCalledWith('telegram', body, { username: 'a', role: 'admin' }, { basedOnVersion: undefined });

      const staff = await api.http.put('/api/policies/telegram').set('Authorization', `Bearer ${await token({ sub: 's', roles: 'staff' })}`).send(body);
      expect(staff.status).toBe(403);
      const none = await api.http.put('/api/policies/telegram').set('Authorization', `Bearer ${await token({ sub: 'n' })}`).send(body);
      expect(none.status).toBe(403);

      const forged = await api.http
        .put('/api/policies/telegram')
        .set('Authorization', `Bearer ${await token({ sub: 'a', roles: ['admin'] }, { key: otherKey })}`)
        .send(body);
      expect(forged.status).toBe(401);
      expect(api.policies.change).toHaveBeenCalledTimes(1);

      // The static tokens still work beside the JWTs.
      expect((await api.http.put('/api/policies/telegram').set('Authorization', bearer('admin')).send(body)).status).toBe(200);
    });
  });
});
