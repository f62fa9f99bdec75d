import { tokenVerifierFromEnv } from './auth-config';
import { OidcTokenVerifier } from './oidc-tokens';
import { AuthTokensConfigError, generateAuthTokens, parseAuthTokens, StaticTokenVerifier } from './static-tokens';
import { FirstMatchTokenVerifier, InvalidTokenError } from './token-verifier';

const TOKEN_A = 'aaaaaaaaaaaaaaaa1';
const TOKEN_B = 'bbbbbbbbbbbbbbbb2';

describe('AUTH_TOKENS', () => {
  it('parses token=role:username entries, tolerating spaces around them', () => {
    const tokens = parseAuthTokens(` ${TOKEN_A}=admin:ada , ${TOKEN_B}=viewer:vera.k@bka `);
    expect([...tokens]).toEqual([
      [TOKEN_A, { role: 'admin', username: 'ada' }],
      [TOKEN_B, { role: 'viewer', username: 'vera.k@bka' }],
    ]);
  });

  it.each([
    ['', 'AUTH_TOKENS is empty'],
    [`${TOKEN_A}=admin:ada,`, 'AUTH_TOKENS entry 2 is empty'],
    [`${TOKEN_A}admin:ada`, 'AUTH_TOKENS entry 1 has no "="'],
    [`${TOKEN_A}=admin`, 'AUTH_TOKENS entry 1 has no ":" after "="'],
    [`${TOKEN_A}=root:ada`, 'AUTH_TOKENS entry 1: unknown role "root" (expected viewer, staff, admin)'],
    [`${TOKEN_A}=staff:`, 'AUTH_TOKENS entry 1: the username "" must be'],
    ['short=staff:sam', 'AUTH_TOKENS entry 1: the token must be 16 to 512 characters'],
    [`${TOKEN_A}=staff:sam,${TOKEN_A}=admin:ada`, 'AUTH_TOKENS entry 2 repeats a token given earlier'],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseAuthTokens(text)).toThrow(AuthTokensConfigError);
    expect(() => parseAuthTokens(text)).toThrow(message);
  });

  it('never echoes a token in an error', () => {
    const secret = 'supersecret-token-value-1234';
    try {
      parseAuthTokens(`${secret}=sudo:ada`);
      throw new Error('should have failed');
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('generates tokens for an admin, a staff member and a viewer that parse back', async () => {
    const text = generateAuthTokens();
    const tokens = parseAuthTokens(text);
    expect([...tokens.values()].map((actor) => actor.role)).toEqual(['admin', 'staff', 'viewer']);
    expect(generateAuthTokens()).not.toBe(text);
    const verifier = new StaticTokenVerifier(tokens);
    const [adminToken] = [...tokens.keys()];
    await expect(verifier.verify(adminToken)).resolves.toEqual({ username: 'admin', role: 'admin' });
    await expect(verifier.verify(`${adminToken}x`)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('tokenVerifierFromEnv', () => {
  const oidc = { OIDC_JWKS_URL: 'https://id.example/jwks', OIDC_ISSUER: 'https://id.example', OIDC_AUDIENCE: 'engine' };

  it('uses static tokens, OIDC, or both (static first)', () => {
    expect(tokenVerifierFromEnv({ AUTH_TOKENS: `${TOKEN_A}=admin:ada` })).toBeInstanceOf(StaticTokenVerifier);
    expect(tokenVerifierFromEnv(oidc)).toBeInstanceOf(OidcTokenVerifier);
    expect(tokenVerifierFromEnv({ ...oidc, AUTH_TOKENS: `${TOKEN_A}=admin:ada` })).toBeInstanceOf(FirstMatchTokenVerifier);
  });

  it('refuses no configuration, half an OIDC configuration, and a bad AUTH_TOKENS', () => {
    expect(() => tokenVerifierFromEnv({})).toThrow('No authentication configured');
    expect(() => tokenVerifierFromEnv({ OIDC_JWKS_URL: oidc.OIDC_JWKS_URL })).toThrow('OIDC_ISSUER, OIDC_AUDIENCE not set');
    expect(() => tokenVerifierFromEnv({ ...oidc, OIDC_JWKS_URL: 'not a url' })).toThrow('OIDC_JWKS_URL is not a URL');
    expect(() => tokenVerifierFromEnv({ AUTH_TOKENS: 'x' })).toThrow(AuthTokensConfigError);
  });
});
