// Sign-in with a bearer token (the embedded stack's static tokens). OpenID Connect adds its button in the
// slot below the form (see README-dev.md).

import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { OidcSignInButton } from './oidc';
import { useSessionContext } from './session';

/** Other ways to sign in, shown under the token form, each in an OtherSignInMethod block (OIDC's button). */
export const otherSignInMethods: Array<() => ReactNode> = [OidcSignInButton];

export function SignInPage() {
  const { t } = useTranslation();
  const { session, endedBecause, establish } = useSessionContext();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/inbox';
  const [token, setToken] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);

  if (session) return <Navigate to={from} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = token.trim();
    setMissing(!trimmed);
    if (!trimmed) return;
    setChecking(true);
    setError(null);
    try {
      await establish(trimmed, 'token');
      navigate(from, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setChecking(false);
    }
  }

  return (
    <main id="content" className="sign-in">
      <h1>{t('signIn.title')}</h1>
      {endedBecause && (
        <p role="alert" className="notice">
          {t('signIn.sessionEnded', { reason: endedBecause })}
        </p>
      )}
      <p>{t('signIn.intro')}</p>
      <form onSubmit={submit} noValidate>
        <Field label={t('signIn.token')} error={missing ? t('signIn.tokenRequired') : undefined}>
          <input type="password" autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} autoFocus />
        </Field>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={checking}>
          {checking ? t('signIn.checking') : t('signIn.submit')}
        </button>
      </form>
      {/* Each method renders its own "or" block, or nothing when the engine does not offer it. */}
      {otherSignInMethods.map((Method, index) => (
        <Method key={index} />
      ))}
    </main>
  );
}
