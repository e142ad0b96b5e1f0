import { useSyncExternalStore } from 'react';

/** Who is signed in. Kept in localStorage, so a reload or a new tab stays signed in. */
export type Role = 'client' | 'owner-event' | 'admin' | 'serviciu_clienti';
export interface Session {
  token: string;
  userId: number;
  role: Role;
  email: string;
}

const KEY = 'tix.session';
const EXPIRED_KEY = 'tix.session-ended';
type Listener = () => void;
const listeners = new Set<Listener>();

function read(): Session | null {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && !isExpired(s.token) ? s : null;
  } catch {
    return null;
  }
}

/** The token's own expiry (`exp`), read without verifying: the API verifies; this only saves a round trip. */
function isExpired(token: string): boolean {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return typeof payload.exp === 'number' && payload.exp * 1000 <= Date.now();
  } catch {
    return false;
  }
}

let current: Session | null = typeof localStorage === 'undefined' ? null : read();

function publish(next: Session | null) {
  current = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export const session = {
  get: () => current,
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  start(s: Session) {
    sessionStorage.removeItem(EXPIRED_KEY);
    publish(s);
  },
  end: () => publish(null),
  /** The API refused the token (expired or revoked): sign in again, then come back here. */
  expire() {
    if (!current) return;
    sessionStorage.setItem(EXPIRED_KEY, '1');
    publish(null);
  },
  /** Whether the last session ended because the API refused it (cleared once read by sign-in). */
  endedByApi: () => sessionStorage.getItem(EXPIRED_KEY) === '1',
  clearEnded: () => sessionStorage.removeItem(EXPIRED_KEY),
};

export const useSession = () => useSyncExternalStore(session.subscribe, session.get, () => null);

export const isOrganiser = (s: Session | null) => s?.role === 'owner-event' || s?.role === 'admin';
export const isBuyer = (s: Session | null) => s?.role === 'client';
export const roleLabel = (role: Role) => ({ client: 'Buyer', 'owner-event': 'Organiser', admin: 'Admin', serviciu_clienti: 'Service' })[role];
