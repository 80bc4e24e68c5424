import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, unwrap } from "../api/client";
import type { Schemas } from "../api/client";

export type Me = Schemas["UserOut"];
export type Kind = Me["kind"];

interface AuthState {
  /** undefined while loading, null when nobody is logged in. */
  me: Me | null | undefined;
  login: (username: string, password: string) => Promise<Me>;
  /** End this session; `everywhere` ends every session of the user (issue 8). */
  logout: (everywhere?: boolean) => Promise<void>;
  refresh: () => Promise<Me | null>;
  setMe: (me: Me) => void;
}

const AuthContext = createContext<AuthState | null>(null);

/** The logged-in user of one side (customer portal or staff console). A user of the other
 * side is logged out again with a clear error. */
export function AuthProvider({ kind, children }: { kind: Kind; children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const user = await unwrap(api.GET("/api/auth/me"));
      const mine = user.kind === kind ? user : null;
      setMe(mine);
      return mine;
    } catch {
      setMe(null);
      return null;
    }
  }, [kind]);

  const logout = useCallback(async (everywhere = false) => {
    try {
      await unwrap(api.POST("/api/auth/logout",
        everywhere ? { params: { query: { everywhere: true } } } : {}));
    } finally {
      setMe(null);
    }
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const token = await unwrap(api.POST("/api/auth/login", { body: { username, password } }));
    if (token.user.kind !== kind) {
      await unwrap(api.POST("/api/auth/logout"));
      throw new ApiError(403, {
        error: "Forbidden",
        detail: kind === "staff" ? "The staff console is for staff users only"
          : "The customer portal is for customer users only",
      });
    }
    setMe(token.user);
    return token.user;
  }, [kind]);

  useEffect(() => {
    void refresh();
    const expired = () => setMe(null);
    window.addEventListener("dinghuo:unauthorized", expired);
    return () => window.removeEventListener("dinghuo:unauthorized", expired);
  }, [refresh]);

  const value = useMemo(() => ({ me, login, logout, refresh, setMe }),
    [me, login, logout, refresh]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside AuthProvider");
  return ctx;
}
