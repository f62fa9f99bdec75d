// Settings of the web back office the API serves: where its built files are, and how a browser signs in
// (a bearer token typed in, or OpenID Connect with the authorization code flow and PKCE).

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidConfigurationError, packageRoot } from '@engine/config';

/** What the web app needs to sign a user in through the issuer the API trusts (OIDC_ISSUER). */
export interface OidcSignIn {
  /** The issuer (its discovery document is at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  /** The public client registered at the issuer for the web app (OIDC_WEB_CLIENT_ID). */
  clientId: string;
  /** Space-separated scopes asked for (OIDC_WEB_SCOPES). */
  scopes: string;
}

/** Answered to the browser before sign-in: `oidc` when the issuer's web client is configured, else `token`. */
export type WebSignIn = { auth: 'token' } | { auth: 'oidc'; oidc: OidcSignIn };

export interface WebAppConfig {
  /** The built single-page app (index.html and its assets); when it holds no index.html, none is served. */
  directory: string;
  signIn: WebSignIn;
}

export const DEFAULT_OIDC_WEB_SCOPES = 'openid profile email';
/** Where `npm run build` writes the web app (vite's outDir in apps/web/vite.config.ts), from the repository root. */
export const WEB_APP_BUILD_DIRECTORY = 'dist/web';

/** The web app's files: WEB_APP_DIR, else the build's output in the repository. */
export function webAppDirectory(env: NodeJS.ProcessEnv): string {
  return env.WEB_APP_DIR ? resolve(env.WEB_APP_DIR) : join(packageRoot(__dirname), WEB_APP_BUILD_DIRECTORY);
}

/** Whether the directory holds a built app (its index.html). */
export function webAppBuilt(directory: string): boolean {
  return existsSync(join(directory, 'index.html'));
}

/**
 * WEB_APP_DIR (the built app; default dist/web), OIDC_WEB_CLIENT_ID (the issuer's client for the web app: turns
 * on OIDC sign-in; needs the API's OIDC_ISSUER, OIDC_JWKS_URL and OIDC_AUDIENCE) and OIDC_WEB_SCOPES.
 */
export function readWebAppConfig(env: NodeJS.ProcessEnv): WebAppConfig {
  const problems: string[] = [];
  const directory = webAppDirectory(env);
  const clientId = env.OIDC_WEB_CLIENT_ID?.trim();
  const scopesText = env.OIDC_WEB_SCOPES?.trim();
  let signIn: WebSignIn = { auth: 'token' };
  if (clientId) {
    const issuer = env.OIDC_ISSUER?.trim();
    if (!issuer) problems.push('OIDC_WEB_CLIENT_ID needs OIDC_ISSUER (with OIDC_JWKS_URL and OIDC_AUDIENCE): the issuer the API accepts tokens from');
    else if (!isHttpUrl(issuer)) problems.push(`OIDC_ISSUER "${issuer}" is not an http(s) URL: the web app cannot sign in through it`);
    const scopes = (scopesText || DEFAULT_OIDC_WEB_SCOPES).split(/\s+/).filter(Boolean);
    if (!scopes.includes('openid')) problems.push(`OIDC_WEB_SCOPES "${scopesText}" must include openid`);
    if (issuer && problems.length === 0) signIn = { auth: 'oidc', oidc: { issuer, clientId, scopes: [...new Set(scopes)].join(' ') } };
  } else if (env.OIDC_WEB_CLIENT_ID !== undefined && env.OIDC_WEB_CLIENT_ID !== '') {
    problems.push('OIDC_WEB_CLIENT_ID is blank');
  } else if (scopesText) {
    problems.push('OIDC_WEB_SCOPES is set but OIDC_WEB_CLIENT_ID is not: set both for OIDC sign-in in the web app');
  }
  if (problems.length > 0) throw new InvalidConfigurationError(problems);
  return { directory, signIn };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The origins the browser must be allowed to fetch from besides the API (the issuer's discovery and token endpoints). */
export function webAppConnectSources(signIn: WebSignIn): string[] {
  return signIn.auth === 'oidc' ? [new URL(signIn.oidc.issuer).origin] : [];
}
