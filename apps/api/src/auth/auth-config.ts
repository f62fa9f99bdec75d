// Chooses the token verifiers from the environment, refusing at start-up what cannot work.

import { OidcTokenVerifier } from './oidc-tokens';
import { StaticTokenVerifier } from './static-tokens';
import { FirstMatchTokenVerifier, TokenVerifier } from './token-verifier';

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
}

/**
 * `AUTH_TOKENS` (static tokens) and/or `OIDC_JWKS_URL` with `OIDC_ISSUER`, `OIDC_AUDIENCE` and optionally
 * `OIDC_ROLES_CLAIM` (default `roles`). With both, a token is checked against the static list first.
 */
export function tokenVerifierFromEnv(env: NodeJS.ProcessEnv = process.env): TokenVerifier {
  const verifiers: TokenVerifier[] = [];
  if (env.AUTH_TOKENS !== undefined) verifiers.push(StaticTokenVerifier.fromText(env.AUTH_TOKENS));
  const oidc = ['OIDC_JWKS_URL', 'OIDC_ISSUER', 'OIDC_AUDIENCE'] as const;
  const given = oidc.filter((name) => env[name]);
  if (given.length > 0) {
    const missing = oidc.filter((name) => !env[name]);
    if (missing.length > 0) throw new AuthConfigError(`OIDC is half configured: ${missing.join(', ')} not set`);
    let jwks: URL;
    try {
      jwks = new URL(env.OIDC_JWKS_URL as string);
    } catch {
      throw new AuthConfigError(`OIDC_JWKS_URL is not a URL: ${env.OIDC_JWKS_URL}`);
    }
    if (jwks.protocol !== 'https:' && jwks.protocol !== 'http:') throw new AuthConfigError('OIDC_JWKS_URL must be http(s)');
    verifiers.push(
      new OidcTokenVerifier({
        jwks,
        issuer: env.OIDC_ISSUER as string,
        audience: env.OIDC_AUDIENCE as string,
        rolesClaim: env.OIDC_ROLES_CLAIM || 'roles',
      }),
    );
  }
  if (verifiers.length === 0) {
    throw new AuthConfigError('No authentication configured: set AUTH_TOKENS or OIDC_JWKS_URL, OIDC_ISSUER and OIDC_AUDIENCE');
  }
  return verifiers.length === 1 ? verifiers[0] : new FirstMatchTokenVerifier(verifiers);
}
