// The port through which the guard turns a bearer token into an Actor; static tokens and OIDC JWTs implement it.

import type { Actor } from '../reports/reports.service';

/** The token is unknown, malformed, expired or not signed by the issuer (HTTP 401). */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** The token is genuine but grants none of the API's roles (HTTP 403). */
export class NoRoleError extends Error {
  override readonly name = 'NoRoleError';
}

export abstract class TokenVerifier {
  /** The actor the token stands for. Throws InvalidTokenError or NoRoleError. */
  abstract verify(token: string): Promise<Actor>;
}

/** Tries each verifier in turn: the first that knows the token decides. */
export class FirstMatchTokenVerifier extends TokenVerifier {
  constructor(private readonly verifiers: readonly TokenVerifier[]) {
    super();
  }

  async verify(token: string): Promise<Actor> {
    let lastError: unknown = new InvalidTokenError('The bearer token is not valid.');
    for (const verifier of this.verifiers) {
      try {
        return await verifier.verify(token);
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        lastError = error;
      }
    }
    throw lastError;
  }
}
