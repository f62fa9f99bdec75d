// The signed-in session: a bearer token (kept in sessionStorage, so it ends with the tab) and who it stands
// for, as GET /api/me answers. Sign-in with a pasted token calls signInWithToken; OpenID Connect obtains an
// access token and calls establish(token, 'oidc') the same way. A 401 from any call ends the session with the
// API's message, which the sign-in page shows.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ApiRequestError, call, configureApi } from '../api/client';
import type { Role } from './roles';

export type SignInMethod = 'token' | 'oidc';

export interface Session {
  token: string;
  actor: string;
  role: Role;
  method: SignInMethod;
}

export interface SessionContextValue {
  session: Session | null;
  /** Why the last session ended (a 401's message), shown on the sign-in page. */
  endedBecause: string | null;
  /** Checks the token with GET /api/me and keeps it; throws ApiRequestError when the API refuses it. */
  establish(token: string, method: SignInMethod): Promise<Session>;
  signOut(): void;
}

const STORAGE_KEY = 'back-office.session';
const SessionContext = createContext<SessionContextValue | null>(null);

function readStored(): Session | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null>(readStored);
  const [endedBecause, setEndedBecause] = useState<string | null>(null);

  const end = useCallback(
    (reason: string | null) => {
      sessionStorage.removeItem(STORAGE_KEY);
      setSession(null);
      setEndedBecause(reason);
      queryClient.clear();
    },
    [queryClient],
  );

  // Set during render (not in an effect) so that the first queries of a restored session already carry the token.
  configureApi(session?.token, (message) => end(message));

  const establish = useCallback(async (token: string, method: SignInMethod) => {
    // Checked with this token alone: a refusal must not end a session that is still open in the tab.
    const me = await call(api(token).GET('/api/me'), { signOutOn401: false });
    const next: Session = { token, actor: me.actor, role: me.role, method };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setEndedBecause(null);
    setSession(next);
    return next;
  }, []);

  // A restored session is re-checked once: the token may have expired or the role changed meanwhile.
  useEffect(() => {
    const stored = readStored();
    if (!stored) return;
    establish(stored.token, stored.method).catch((error: unknown) => {
      if (error instanceof ApiRequestError && error.status === 401) end(error.message);
    });
  }, [establish, end]);

  const value = useMemo<SessionContextValue>(
    () => ({ session, endedBecause, establish, signOut: () => end(null) }),
    [session, endedBecause, establish, end],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

const NO_SESSION: SessionContextValue = {
  session: null,
  endedBecause: null,
  establish: () => Promise.reject(new Error('no SessionProvider')),
  signOut: () => undefined,
};

/** The session and its operations; outside a SessionProvider (a component rendered alone in a test) no session. */
export function useSessionContext(): SessionContextValue {
  return useContext(SessionContext) ?? NO_SESSION;
}

/** The session of a page behind RequireSession: never null there. */
export function useSession(): Session {
  const { session } = useSessionContext();
  if (!session) throw new Error('useSession on a page without a session (wrap it in RequireSession)');
  return session;
}
