// Renders a page as the app does (React Query, a signed-in session, the router) against a fake API: a map of
// "METHOD /path" → JSON answer (or a Blob, such as a file, with its headers), every request recorded.

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { vi } from 'vitest';
import type { Role } from '../auth/roles';
import { SessionProvider } from '../auth/session';
import '../i18n';

type FakeResponse = { status?: number; body: unknown; headers?: Record<string, string> };
export type FakeAnswer = FakeResponse | ((request: Request) => FakeResponse);

export function renderPage(options: { path: string; route: string; element: ReactElement; role: Role; api: Record<string, FakeAnswer> }) {
  const requests: Request[] = [];
  const fakeApi: Record<string, FakeAnswer> = { 'GET /api/me': { body: { actor: 'sam', role: options.role } }, ...options.api };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      requests.push(input);
      const url = new URL(input.url);
      const answer = fakeApi[`${input.method} ${url.pathname}`];
      if (!answer) return new Response(JSON.stringify({ statusCode: 404, error: 'Not Found', message: `no fake for ${url.pathname}` }), { status: 404 });
      const { status = 200, body, headers } = typeof answer === 'function' ? answer(input) : answer;
      if (body instanceof Blob) return new Response(body, { status, headers: { 'content-type': body.type, ...headers } });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    }),
  );
  sessionStorage.setItem('back-office.session', JSON.stringify({ token: 'token-0123456789abcdef', actor: 'sam', role: options.role, method: 'token' }));
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const router = createMemoryRouter([{ path: options.route, element: options.element }], { initialEntries: [options.path] });
  render(
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </QueryClientProvider>,
  );
  return { requests };
}
