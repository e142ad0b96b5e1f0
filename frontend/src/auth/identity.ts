import { createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-web';
import { IdentityService } from '../../../gen/idm_pb.ts';
import { type Role, type Session, session } from './session.ts';

/**
 * Sign-in, registration and sign-out through the IdentityService RPCs over Connect (JSON), the
 * platform's RPC path from the browser. Outcomes arrive in the response (`success`, `message`).
 */
let baseUrl = '';
export const configureIdentity = (url: string) => {
  baseUrl = url;
};
const identity = () => createClient(IdentityService, createConnectTransport({ baseUrl: baseUrl || location.origin, useBinaryFormat: false }));

export class SignInError extends Error {}

export async function signIn(email: string, password: string): Promise<Session> {
  const res = await call(() => identity().login({ email, password }));
  if (!res.success) throw new SignInError(res.message || 'Sign-in failed.');
  const s: Session = { token: res.token, userId: Number(res.userId), role: res.role as Role, email: res.email };
  session.start(s);
  return s;
}

export async function register(email: string, password: string, role: 'client' | 'owner'): Promise<void> {
  const res = await call(() => identity().register({ email, password, role }));
  if (!res.success) throw new SignInError(res.message || 'Registration failed.');
}

/** Revokes the token at the IDM, then forgets it (also when the IDM cannot be reached). */
export async function signOut(): Promise<void> {
  const token = session.get()?.token;
  try {
    if (token) await identity().revokeToken({ token });
  } finally {
    session.end();
  }
}

async function call<T>(rpc: () => Promise<T>): Promise<T> {
  try {
    return await rpc();
  } catch (error) {
    throw new SignInError((error as { rawMessage?: string }).rawMessage || 'Cannot reach the server. Check your connection and try again.');
  }
}
