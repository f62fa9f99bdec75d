// JWTs from an OIDC issuer, verified against its JWKS: the production way to authenticate.

import { createRemoteJWKSet, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import type { Actor } from '../reports/reports.service';
import { strongestRole } from './roles';
import { InvalidTokenError, NoRoleError, TokenVerifier } from './token-verifier';

export interface OidcOptions {
  /** The issuer's key set: a JWKS URL, or a key resolver (jose's createLocalJWKSet) for tests. */
  jwks: URL | JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** Dotted path of the claim that lists the user's roles (`roles`, `realm_access.roles`). */
  rolesClaim?: string;
  /** Claims tried in order for the username. */
  usernameClaims?: string[];
  /** Accepted signing algorithms; the default refuses `none` and symmetric keys. */
  algorithms?: string[];
  clockToleranceSeconds?: number;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export class OidcTokenVerifier extends TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: OidcOptions) {
    super();
    this.keys = options.jwks instanceof URL ? createRemoteJWKSet(options.jwks) : options.jwks;
  }

  async verify(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms ?? ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
        throw new InvalidTokenError(`The bearer token is not valid (${error.code}).`);
      }
      // The key set could not be fetched: not the caller's fault, so not a 401.
      throw error;
    }
    const username = (this.options.usernameClaims ?? ['preferred_username', 'email', 'sub'])
      .map((claim) => payload[claim])
      .find((value): value is string => typeof value === 'string' && value !== '');
    if (!username) throw new InvalidTokenError('The bearer token names no user.');
    const rolesClaim = this.options.rolesClaim ?? 'roles';
    const claimed = claimAt(payload, rolesClaim);
    const names = Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(/[\s,]+/) : [];
    const role = strongestRole(names);
    if (!role) throw new NoRoleError(`The token grants none of the roles viewer, staff, admin (claim "${rolesClaim}").`);
    return { username, role };
  }
}
