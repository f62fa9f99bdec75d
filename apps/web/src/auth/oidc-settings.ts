// How the web app talks to the OIDC issuer the API trusts, from what GET /api/web-config answers: pure, so the
// settings are tested without a browser or an issuer.

import type { UserManagerSettings } from 'oidc-client-ts';

/** GET /api/web-config's OIDC part. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scopes: string;
}

/** Where the issuer sends the browser back with the authorization code (register it at the issuer). */
export const OIDC_CALLBACK_PATH = '/sign-in/callback';

/**
 * Authorization code with PKCE (oidc-client-ts's default for response_type code), a public client (no secret),
 * the user kept in sessionStorage like the token session (it ends with the tab). No silent renew: it would need
 * an iframe to the issuer, which the page's CSP does not allow; an expired token leads back to sign-in.
 */
export function oidcSettings(config: OidcConfig, origin: string): Omit<UserManagerSettings, 'userStore' | 'stateStore'> {
  return {
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}${OIDC_CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/sign-in`,
    response_type: 'code',
    scope: config.scopes,
    automaticSilentRenew: false,
    loadUserInfo: false,
    monitorSession: false,
  };
}

/** Where to go after sign-in: the page the user asked for, never another origin. */
export function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null | undefined)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/inbox';
}

/** Renewed this long before the access token runs out, so that no call meets an expired one. */
export const RENEW_BEFORE_EXPIRY_SECONDS = 30;

/** When to renew an access token that expires in `expiresInSeconds`: shortly before, never in the past. */
export function renewalDelayMs(expiresInSeconds: number): number {
  return Math.max(0, (expiresInSeconds - RENEW_BEFORE_EXPIRY_SECONDS) * 1000);
}
