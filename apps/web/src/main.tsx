// The back office's entry: i18n, React Query, the session, the router, all under one error boundary.
// How the app is organised: apps/web/README-dev.md.

import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { createQueryClient } from './app/query-client';
import { ROUTES } from './app/routes';
import { SessionProvider } from './auth/session';
import { ErrorBoundary } from './components/ErrorBoundary';
import './i18n';
import './styles.css';

const router = createBrowserRouter(ROUTES);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={createQueryClient()}>
        <SessionProvider>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);
