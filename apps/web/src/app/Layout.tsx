// The frame of every signed-in page: skip link, header with navigation, language switch and the user.

import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { hasRole } from '../auth/roles';
import { useSession, useSessionContext } from '../auth/session';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { LanguageSwitch } from './LanguageSwitch';
import { NAVIGATION } from './navigation';

export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const { signOut } = useSessionContext();
  const location = useLocation();
  return (
    <>
      <a className="skip-link" href="#content">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <span className="app-title">{t('app.title')}</span>
        <nav aria-label={t('app.nav.label')}>
          <ul>
            {NAVIGATION.filter((item) => hasRole(session.role, item.role)).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{t(item.label)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="app-user">
          <LanguageSwitch />
          <span>{t('app.signedInAs', { actor: session.actor, role: session.role })}</span>
          <button type="button" onClick={signOut}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Suspense fallback={<p>{t('app.loading')}</p>}>
            <Outlet />
          </Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
