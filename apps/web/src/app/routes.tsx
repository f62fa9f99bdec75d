// Every page of the app. To add a page: a component under pages/<name>/, a route below (inside the signed-in
// layout, wrapped in RequireSession with `role` if it needs more than viewer), and an entry in navigation.ts.

import { Navigate, type RouteObject } from 'react-router-dom';
import { RequireSession } from '../auth/RequireSession';
import { SignInPage } from '../auth/SignInPage';
import { OidcCallbackPage, OidcTokenRenewal } from '../auth/oidc';
import { OIDC_CALLBACK_PATH } from '../auth/oidc-settings';
import { CasePage } from '../pages/case/CasePage';
import { CooperationReportPage } from '../pages/cooperation-report/CooperationReportPage';
import { FileReportPage } from '../pages/file-report/FileReportPage';
import { InboxPage } from '../pages/inbox/InboxPage';
import { PlatformsPage } from '../pages/platforms/PlatformsPage';
import { PoliciesPage } from '../pages/policies/PoliciesPage';
import { NotFoundPage } from './NotFoundPage';
import { Layout } from './Layout';

export const ROUTES: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage /> },
  { path: OIDC_CALLBACK_PATH, element: <OidcCallbackPage /> },
  {
    element: (
      <RequireSession>
        <OidcTokenRenewal />
        <Layout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/inbox" replace /> },
      { path: '/inbox', element: <InboxPage /> },
      { path: '/cases/:id', element: <CasePage /> },
      {
        path: '/file',
        element: (
          <RequireSession role="staff">
            <FileReportPage />
          </RequireSession>
        ),
      },
      ...['/policies', '/policies/:platform'].map((path) => ({
        path,
        element: (
          <RequireSession role="admin">
            <PoliciesPage />
          </RequireSession>
        ),
      })),
      { path: '/platforms', element: <PlatformsPage /> },
      { path: '/platforms/:platform', element: <PlatformsPage /> },
      { path: '/platforms/:platform/cooperation-report', element: <CooperationReportPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
