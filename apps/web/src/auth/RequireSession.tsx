// Pages behind sign-in: without a session, go to the sign-in page and come back here afterwards.
// With `role`, a signed-in user below it sees a refusal instead of the page.

import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { hasRole, type Role } from './roles';
import { useSessionContext } from './session';

export function RequireSession({ children, role }: { children: ReactNode; role?: Role }) {
  const { session } = useSessionContext();
  const location = useLocation();
  const { t } = useTranslation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (role && !hasRole(session.role, role)) {
    return (
      <p role="alert" className="error">
        {t('auth.needsRole', { role })}
      </p>
    );
  }
  return <>{children}</>;
}
