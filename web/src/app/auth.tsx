import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken, setSetupRequiredHandler, setUnauthorizedHandler } from './api';
import type { Permission, Session } from './types';

export const ME_KEY = ['me'] as const;

const isSessionKey = (key: readonly unknown[]) => key.length === 1 && key[0] === ME_KEY[0];

export interface LoginInput {
  username: string;
  password: string;
  totpCode?: string;
}

interface AuthValue {
  session: Session | null;
  loading: boolean;
  /** the session check itself failed (server down): not the same as "logged out" */
  error: Error | null;
  login: (input: LoginInput) => Promise<Session>;
  logout: () => Promise<void>;
  refresh: () => Promise<unknown>;
  can: (permission: Permission) => boolean;
  /** the account must fix something (password, second factor) before using anything else */
  needsSetup: boolean;
  /** the session ended by the user's own logout (not expiry): the next login starts from home */
  loggedOutByUser: () => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

async function fetchSession(): Promise<Session | null> {
  try {
    const me = await api.get<Session>('/api/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: fetchSession,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
  });

  const userLoggedOut = useRef(false);

  const dropSession = useCallback(() => {
    setCsrfToken(null);
    queryClient.setQueryData(ME_KEY, null);
    queryClient.removeQueries({ predicate: (q) => !isSessionKey(q.queryKey) });
  }, [queryClient]);

  const refetchMe = me.refetch;
  useEffect(() => {
    setUnauthorizedHandler(dropSession);
    // the session now needs a new password or second factor: reload it so the shell sends the user to the profile page
    setSetupRequiredHandler(() => void refetchMe());
    return () => {
      setUnauthorizedHandler(null);
      setSetupRequiredHandler(null);
    };
  }, [dropSession, refetchMe]);

  const login = useCallback(
    async (input: LoginInput) => {
      const body: LoginInput = { username: input.username, password: input.password };
      if (input.totpCode) body.totpCode = input.totpCode;
      const result = await api.post<Session>('/api/auth/login', body);
      userLoggedOut.current = false;
      setCsrfToken(result.csrfToken);
      queryClient.removeQueries({ predicate: (q) => !isSessionKey(q.queryKey) });
      // /api/me carries the full user record (flags the login answer may omit).
      const full = await fetchSession().catch(() => null);
      const session = full ?? result;
      queryClient.setQueryData(ME_KEY, session);
      return session;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      // the session may already be gone; the user wants out either way
    }
    userLoggedOut.current = true;
    // clear() would detach the session observer from the cache; drop everything but it instead
    dropSession();
  }, [dropSession]);

  const session = me.data ?? null;
  const value = useMemo<AuthValue>(() => {
    const perms = new Set(session?.permissions ?? []);
    const u = session?.user;
    return {
      session,
      loading: me.isPending,
      error: me.isError ? me.error : null,
      login,
      logout,
      refresh: () => me.refetch(),
      can: (p) => perms.has(p),
      needsSetup: !!u && (u.mustChangePassword || (u.totpRequired && !u.totpEnabled)),
      loggedOutByUser: () => userLoggedOut.current,
    };
  }, [session, me, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
