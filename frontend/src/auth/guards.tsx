import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { canManageUsers } from '../api/roles';
import { useAuth } from '../services';

/** Sends visitors without a session to /login, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, access } = useAuth();
  const location = useLocation();
  if (!user || !access) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}

/** Managers and superusers only; everyone else lands on /forbidden. */
export function RequireManager({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  if (!canManageUsers(user)) return <Navigate to="/forbidden" replace />;
  return <>{children}</>;
}
