import { Alert, Loader } from '@mantine/core';
import { type ReactNode, Suspense } from 'react';
import { Navigate, useLocation } from 'react-router';
import { type Role, useSession } from '../auth/session.ts';

/** Pages for signed-in people of some roles: others are sent to sign in (and back), or told why not. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const s = useSession();
  const location = useLocation();
  if (!s) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (!roles.includes(s.role)) return <Alert color="orange" title="Not available">This page is not available to your account.</Alert>;
  return <Suspense fallback={<Loader aria-label="Loading" />}>{children}</Suspense>;
}
