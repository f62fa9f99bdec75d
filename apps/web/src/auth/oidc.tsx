// OpenID Connect sign-in (production): the button on the sign-in page sends the browser to the issuer the API
// trusts (authorization code with PKCE); the callback page takes the code back, obtains the access token and
// opens the session with it, checked by GET /api/me like a typed token. Shown only when GET /api/web-config
// says auth is oidc (OIDC_WEB_CLIENT_ID set on the API).

import { useQuery } from '@tanstack/react-query';
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api, call } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';
import { OidcConfig, oidcSettings, renewalDelayMs, returnPath } from './oidc-settings';
import { useSessionContext } from './session';

/** GET /api/web-config, asked once per page load (it changes only with the API's settings). */
export function useWebConfig(enabled = true) {
  return useQuery({
    queryKey: ['web-config'],
    queryFn: () => call(api(undefined).GET('/api/web-config'), { signOutOn401: false }),
    staleTime: Infinity,
    enabled,
  });
}

const managers = new Map<string, UserManager>();

/** One UserManager per issuer and client, its state and user in sessionStorage. */
export function userManager(config: OidcConfig): UserManager {
  const key = `${config.issuer} ${config.clientId}`;
  let manager = managers.get(key);
  if (!manager) {
    const store = new WebStorageStateStore({ store: window.sessionStorage });
    manager = new UserManager({ ...oidcSettings(config, window.location.origin), userStore: store, stateStore: store });
    managers.set(key, manager);
  }
  return manager;
}

/** The sign-in page's button for OIDC; nothing when the API signs in with tokens only. */
export function OidcSignInButton() {
  const { t } = useTranslation('oidc');
  const config = useWebConfig();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/inbox';
  const [error, setError] = useState<unknown>(null);
  const [leaving, setLeaving] = useState(false);
  const configured = config.data?.auth === 'oidc' ? config.data.oidc : undefined;
  // On the sign-in page no session is open: a user (and refresh token) kept from one that ended goes.
  useEffect(() => {
    if (configured) void userManager(configured).removeUser();
  }, [configured]);
  if (!configured) return null;
  const oidc = configured;
  const signIn = async () => {
    setLeaving(true);
    setError(null);
    try {
      await userManager(oidc).signinRedirect({ state: { from } });
    } catch (failure) {
      // The issuer's discovery document could not be read: say so here instead of leaving the page.
      setError(new Error(t('unreachable', { issuer: oidc.issuer, reason: failure instanceof Error ? failure.message : String(failure) })));
      setLeaving(false);
    }
  };
  return (
    <div className="other-sign-in">
      <p>{t('translation:signIn.or')}</p>
      <button type="button" className="primary" onClick={() => void signIn()} disabled={leaving}>
        {t('signIn', { issuer: new URL(oidc.issuer).host })}
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}

/** The page the issuer sends the browser back to (OIDC_CALLBACK_PATH). */
export function OidcCallbackPage() {
  const { t } = useTranslation('oidc');
  const config = useWebConfig();
  const { establish } = useSessionContext();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const handled = useRef(false);

  useEffect(() => {
    const oidc = config.data?.auth === 'oidc' ? config.data.oidc : undefined;
    if (!oidc || handled.current) return;
    // Once: the code can be redeemed only once (StrictMode runs effects twice in development).
    handled.current = true;
    void (async () => {
      try {
        const user = await userManager(oidc).signinRedirectCallback();
        await establish(user.access_token, 'oidc');
        navigate(returnPath(user.state), { replace: true });
      } catch (failure) {
        setError(failure);
      }
    })();
  }, [config.data, establish, navigate]);

  const notConfigured = config.data && config.data.auth !== 'oidc';
  return (
    <main id="content" className="sign-in">
      <h1>{t('translation:signIn.title')}</h1>
      {!error && !notConfigured && !config.error && <p role="status">{t('completing')}</p>}
      <ErrorMessage error={error ?? config.error ?? (notConfigured ? new Error(t('notConfigured')) : null)} />
      {(error || notConfigured || config.error) && (
        <p>
          <Link to="/sign-in">{t('backToSignIn')}</Link>
        </p>
      )}
    </main>
  );
}

/**
 * Keeps an OIDC session's access token fresh: shortly before it runs out, the refresh token the issuer gave is
 * exchanged for a new one (oidc-client-ts's signinSilent uses the refresh grant, no iframe), and the session
 * goes on with it. Without a refresh token, or when the issuer refuses, the token runs out and the next call's
 * 401 leads back to sign-in, saying why.
 */
export function OidcTokenRenewal() {
  const { session, establish } = useSessionContext();
  const oidcSession = session?.method === 'oidc';
  const config = useWebConfig(oidcSession);
  const oidc = config.data?.auth === 'oidc' ? config.data.oidc : undefined;
  const token = session?.token;
  useEffect(() => {
    if (!oidcSession || !oidc) return;
    const manager = userManager(oidc);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    void manager.getUser().then((user) => {
      if (cancelled || !user?.refresh_token || user.access_token !== token || user.expires_in === undefined) return;
      timer = setTimeout(() => {
        void manager
          .signinSilent()
          .then((renewed) => (renewed && !cancelled ? establish(renewed.access_token, 'oidc') : undefined))
          .catch(() => undefined);
      }, renewalDelayMs(user.expires_in));
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [oidcSession, oidc, token, establish]);
  return null;
}
