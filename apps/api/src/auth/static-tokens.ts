// Static bearer tokens from `AUTH_TOKENS` (`token=role:username,...`): the embedded stack's default.

import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../reports/reports.service';
import { isRole, ROLES } from './roles';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

/** `AUTH_TOKENS` cannot be read; the message names the entry and what is wrong with it. */
export class AuthTokensConfigError extends Error {
  override readonly name = 'AuthTokensConfigError';
}

const TOKEN = /^[A-Za-z0-9._~+/-]{16,512}$/;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** Parses `token=role:username,...`; every mistake is refused with the entry's position, never skipped. */
export function parseAuthTokens(text: string): Map<string, Actor> {
  const tokens = new Map<string, Actor>();
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === '') throw new AuthTokensConfigError('AUTH_TOKENS is empty; expected token=role:username,...');
  entries.forEach((entry, index) => {
    const where = `AUTH_TOKENS entry ${index + 1}`;
    if (entry === '') throw new AuthTokensConfigError(`${where} is empty (a stray comma?)`);
    const equals = entry.indexOf('=');
    if (equals < 0) throw new AuthTokensConfigError(`${where} has no "=": expected token=role:username`);
    const token = entry.slice(0, equals);
    const grant = entry.slice(equals + 1);
    // The token itself is never echoed: the message may end up in a log.
    if (!TOKEN.test(token)) {
      throw new AuthTokensConfigError(`${where}: the token must be 16 to 512 characters of A-Z a-z 0-9 . _ ~ + / -`);
    }
    const colon = grant.indexOf(':');
    if (colon < 0) throw new AuthTokensConfigError(`${where} has no ":" after "=": expected token=role:username`);
    const role = grant.slice(0, colon);
    const username = grant.slice(colon + 1);
    if (!isRole(role)) throw new AuthTokensConfigError(`${where}: unknown role "${role}" (expected ${ROLES.join(', ')})`);
    if (!USERNAME.test(username)) {
      throw new AuthTokensConfigError(`${where}: the username "${username}" must be 1 to 128 letters, digits, ".", "_", "@" or "-"`);
    }
    if (tokens.has(token)) throw new AuthTokensConfigError(`${where} repeats a token given earlier`);
    tokens.set(token, { username, role });
  });
  return tokens;
}

/** Fresh tokens for an admin, a staff member and a viewer, in `AUTH_TOKENS` form (for a first start). */
export function generateAuthTokens(): string {
  const token = () => randomBytes(24).toString('base64url');
  return [`${token()}=admin:admin`, `${token()}=staff:staff`, `${token()}=viewer:viewer`].join(',');
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export class StaticTokenVerifier extends TokenVerifier {
  // Looked up by digest, so that comparing a guessed token does not leak how much of a real one it matched.
  private readonly byDigest: Map<string, Actor>;

  constructor(tokens: Map<string, Actor>) {
    super();
    this.byDigest = new Map([...tokens].map(([token, actor]) => [digest(token), actor]));
  }

  static fromText(text: string): StaticTokenVerifier {
    return new StaticTokenVerifier(parseAuthTokens(text));
  }

  async verify(token: string): Promise<Actor> {
    const actor = this.byDigest.get(digest(token));
    if (!actor) throw new InvalidTokenError('The bearer token is not known.');
    return { ...actor };
  }
}
