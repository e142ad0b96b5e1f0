import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { call } from '../support/api.ts';
import { newUserId, tokenFor } from '../support/tokens.ts';

/** Actors and fixtures of the User-service tests, made through the public HTTP APIs only. */

export const UM = '/api/user-manager';
export const EM = '/api/event-manager';

export interface Actor {
  id: number;
  email: string;
  token: string;
}

/** A real registration and login through the IDM (which creates the profile through U1). */
export async function register(role: 'client' | 'owner'): Promise<Actor> {
  const email = `${role}-${randomUUID()}@tix-test.com`;
  const password = `pw-${randomUUID()}`;
  const registered = await call('POST', '/api/idm/auth/register', { body: { email, password, role } });
  expect(registered.status, registered.text).toBe(201);
  const login = await call('POST', '/api/idm/auth/login', { body: { email, password } });
  expect(login.status, login.text).toBe(200);
  return { id: Number(login.body.user_id), email, token: login.body.token };
}

/** A client whose profile the service account created, with a locally signed token (fast). */
export async function client(fields: Record<string, unknown> = {}): Promise<Actor> {
  const id = newUserId();
  const email = `client-${randomUUID()}@tix-test.com`;
  const service = await tokenFor('serviciu_clienti');
  const res = await call('POST', `${UM}/users`, { body: { id, email, first_name: '', last_name: '', ...fields }, token: service.token });
  expect(res.status, res.text).toBe(201);
  const { token } = await tokenFor('client', id, email);
  return { id, email, token };
}

export async function owner(): Promise<Actor> {
  const { token, userId, email } = await tokenFor('owner-event');
  return { id: userId, email, token };
}

export async function createEvent(by: Actor, seats: number | null = 10): Promise<number> {
  const res = await call('POST', `${EM}/events`, { body: { name: `event-${randomUUID()}`, location: 'Cluj', seats }, token: by.token });
  expect(res.status, res.text).toBe(201);
  return res.body.event.id;
}

export async function createPacket(by: Actor, allocatedSeats = 10): Promise<number> {
  const res = await call('POST', `${EM}/event-packets`, {
    body: { name: `packet-${randomUUID()}`, location: 'Iasi', allocated_seats: allocatedSeats },
    token: by.token,
  });
  expect(res.status, res.text).toBe(201);
  return res.body.event_packet.id;
}

export function buy(as: Actor, body: unknown, options: { userId?: number; key?: string } = {}) {
  return call('POST', `${UM}/clients/${options.userId ?? as.id}/tickets`, {
    body,
    token: as.token,
    headers: options.key ? { 'Idempotency-Key': options.key } : undefined,
  });
}

/** The event manager's view of a ticket (admin may read tickets, CONTRACT F9). */
export async function emTicket(code: string) {
  const admin = await tokenFor('admin');
  return call('GET', `${EM}/tickets/${code}`, { token: admin.token });
}

export async function profileOf(actor: Actor) {
  const res = await call('GET', `${UM}/users/${actor.id}`, { token: actor.token });
  expect(res.status, res.text).toBe(200);
  return res.body.user as { ticket_list?: Array<{ code: string; event_id?: number; packet_id?: number }> } & Record<string, unknown>;
}
