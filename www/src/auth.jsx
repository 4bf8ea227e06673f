// Who is logged in: the demo logs in as the page's user at once; logout forgets the token.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { createApi, login as loginRequest } from './api.js';

const AuthContext = createContext(null);

/** Provides `{user, token, api, login, logout, error}` for `user`. */
export function AuthProvider({ user, children }) {
  const [token, setToken] = useState(null);
  const [error, setError] = useState(null);
  const login = useCallback(() => {
    loginRequest(user).then((r) => setToken(r.token), setError);
  }, [user]);
  const logout = useCallback(() => setToken(null), []);
  useEffect(login, [login]);
  const value = useMemo(() => ({ user, token, api: createApi(token), login, logout, error }), [user, token, login, logout, error]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The auth state of the page. */
export const useAuth = () => useContext(AuthContext);
