// A small OpenID Connect issuer for the browser test of OIDC sign-in: discovery, an authorization endpoint that
// signs one configured user in at once (no login form), a token endpoint that checks the PKCE verifier against
// the challenge, and the key set the API verifies the access tokens with. Test double only: one user, no consent.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface FakeIssuerUser {
  username: string;
  roles: string[];
}

export interface FakeIssuer {
  issuer: string;
  audience: string;
  /** Each authorization request as received (to check the code flow with PKCE was used). */
  authorizations: URLSearchParams[];
  /** Token requests that presented a verifier not matching the challenge (or an unknown refresh token). */
  refusedTokenRequests: number;
  /** Access tokens issued for a refresh token. */
  refreshes: number;
  stop(): Promise<void>;
}

const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, authorization', 'access-control-allow-methods': 'GET, POST, OPTIONS' };

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...cors, ...headers });
  response.end(JSON.stringify(body));
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

export async function startFakeIssuer({
  port,
  clientId,
  audience,
  user,
  accessTokenSeconds = 300,
}: {
  port: number;
  clientId: string;
  audience: string;
  user: FakeIssuerUser;
  /** How long an access token lasts; refresh tokens (one use each) get new ones. */
  accessTokenSeconds?: number;
}): Promise<FakeIssuer> {
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string; nonce?: string }>();
  const refreshTokens = new Set<string>();
  const state: Pick<FakeIssuer, 'authorizations' | 'refusedTokenRequests' | 'refreshes'> = { authorizations: [], refusedTokenRequests: 0, refreshes: 0 };

  const sign = (claims: Record<string, unknown>, aud: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setIssuer(issuer).setAudience(aud).setSubject(user.username).setIssuedAt().setExpirationTime(`${accessTokenSeconds}s`).sign(privateKey);
  const tokens = async (aud: string, nonce?: string) => {
    const refreshToken = randomBytes(16).toString('hex');
    refreshTokens.add(refreshToken);
    return {
      access_token: await sign({ preferred_username: user.username, roles: user.roles }, audience),
      id_token: await sign({ preferred_username: user.username, ...(nonce && { nonce }) }, aud),
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: accessTokenSeconds,
      scope: 'openid profile email',
    };
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', issuer);
      if (request.method === 'OPTIONS') return send(response, 204, {});
      if (url.pathname === '/.well-known/openid-configuration') {
        return send(response, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      }
      if (url.pathname === '/jwks') return send(response, 200, { keys: [jwk] });
      if (url.pathname === '/authorize') {
        const query = url.searchParams;
        state.authorizations.push(query);
        const redirectUri = query.get('redirect_uri') ?? '';
        if (query.get('response_type') !== 'code' || query.get('client_id') !== clientId || query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
          return send(response, 400, { error: 'invalid_request' });
        }
        const code = randomBytes(16).toString('hex');
        codes.set(code, { challenge: query.get('code_challenge') as string, redirectUri, clientId, nonce: query.get('nonce') ?? undefined });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        if (query.get('state')) back.searchParams.set('state', query.get('state') as string);
        response.writeHead(302, { location: back.toString() });
        return response.end();
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = new URLSearchParams(await bodyOf(request));
        if (form.get('grant_type') === 'refresh_token') {
          const refreshToken = form.get('refresh_token') ?? '';
          if (!refreshTokens.delete(refreshToken) || form.get('client_id') !== clientId) {
            state.refusedTokenRequests += 1;
            return send(response, 400, { error: 'invalid_grant' });
          }
          state.refreshes += 1;
          return send(response, 200, await tokens(clientId));
        }
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? ''); // a code is redeemed once
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirectUri || form.get('client_id') !== grant.clientId || challenge !== grant.challenge) {
          state.refusedTokenRequests += 1;
          return send(response, 400, { error: 'invalid_grant' });
        }
        return send(response, 200, await tokens(grant.clientId, grant.nonce));
      }
      return send(response, 404, { error: 'not_found' });
    })().catch((error: unknown) => send(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    audience,
    get authorizations() {
      return state.authorizations;
    },
    get refusedTokenRequests() {
      return state.refusedTokenRequests;
    },
    get refreshes() {
      return state.refreshes;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
