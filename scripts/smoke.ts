/**
 * `npm run smoke -- <base-url>`: the user stories, once, against any deployment — AWS
 * (`https://<id>.execute-api.<region>.amazonaws.com/api`), LocalStack, or `npm start`
 * (`http://127.0.0.1:3000`). Registers an organiser and a client, creates an event and a packet and
 * binds them, buys a ticket of each kind, lists and cancels, then removes what it created and logs
 * out. Exits 0, or 1 naming the step that failed (after cleaning up what it can).
 */
import { randomBytes, randomUUID } from 'node:crypto';

type Json = Record<string, any>;
interface Account {
  email: string;
  password: string;
  id: string;
  token: string;
}

class StepFailed extends Error {}

const base = (process.argv[2] ?? '').replace(/\/+$/, '');
if (!/^https?:\/\/[^/]+/.test(base)) {
  console.error('usage: npm run smoke -- <base-url>   (e.g. http://127.0.0.1:3000 or https://<id>.execute-api.<region>.amazonaws.com/api)');
  process.exit(2);
}

const run = randomUUID().slice(0, 8);
const password = () => `Smoke-${randomBytes(9).toString('base64url')}`; // ≥ 8 characters
let current = '';

/** One HTTP call of a step: JSON in, JSON out; anything but the expected status fails the step. */
async function api(method: string, path: string, expected: number[], options: { token?: string; body?: unknown } = {}): Promise<Json> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new StepFailed(`${method} ${path}: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (!expected.includes(res.status)) throw new StepFailed(`${method} ${path} → ${res.status} (expected ${expected.join(' or ')}): ${text.slice(0, 300)}`);
  try {
    return text ? (JSON.parse(text) as Json) : {};
  } catch {
    throw new StepFailed(`${method} ${path} → ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
}

async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  current = name;
  const started = Date.now();
  const result = await action();
  console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  return result;
}

function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new StepFailed(message);
}

async function register(role: 'owner' | 'client'): Promise<Account> {
  const email = `smoke-${role}-${run}@example.com`;
  const secret = password();
  const registered = await api('POST', '/api/idm/auth/register', [201], { body: { email, password: secret, role } });
  const login = await api('POST', '/api/idm/auth/login', [200], { body: { email, password: secret } });
  expect(login.token && String(login.user_id) === String(registered.user_id), `login of the new ${role} returned no token or another user id`);
  return { email, password: secret, id: String(registered.user_id), token: login.token as string };
}

/** What the walk created, so that cleanup undoes exactly that (in reverse dependency order). */
const created: { organiser?: Account; client?: Account; eventId?: number; packetId?: number; bound?: boolean; tickets: string[] } = { tickets: [] };

async function walk() {
  const organiser = (created.organiser = await step('register and log in an organiser', () => register('owner')));
  const client = (created.client = await step('register and log in a client', () => register('client')));
  const EM = '/api/event-manager';
  created.eventId = await step('organiser creates an event', async () => {
    const body = await api('POST', `${EM}/events`, [201], { token: organiser.token, body: { name: `Smoke event ${run}`, location: 'Smoke hall', seats: 10 } });
    return body.event.id as number;
  });
  created.packetId = await step('organiser creates a packet', async () => {
    const body = await api('POST', `${EM}/event-packets`, [201], { token: organiser.token, body: { name: `Smoke packet ${run}`, allocated_seats: 5 } });
    return body.event_packet.id as number;
  });
  await step('organiser binds the event into the packet', async () => {
    await api('POST', `${EM}/event-packet-inclusions/event/${created.eventId}/packet/${created.packetId}`, [201], { token: organiser.token, body: {} });
    created.bound = true;
  });
  const tickets = `/api/user-manager/clients/${client.id}/tickets`;
  const eventTicket = await step('client buys an event ticket', async () => {
    const body = await api('POST', tickets, [201], { token: client.token, body: { event_id: created.eventId } });
    created.tickets.push(body.ticket_code);
    return body.ticket_code as string;
  });
  await step('client buys a packet ticket', async () => {
    const body = await api('POST', tickets, [201], { token: client.token, body: { packet_id: created.packetId } });
    created.tickets.push(body.ticket_code);
  });
  await step("client lists its tickets (both there)", async () => {
    const body = await api('GET', tickets, [200], { token: client.token });
    const codes = (body.tickets as Json[]).map((t) => t.code);
    expect(created.tickets.every((code) => codes.includes(code)), `listed ${JSON.stringify(codes)}, bought ${JSON.stringify(created.tickets)}`);
  });
  await step('client cancels the event ticket', async () => {
    await api('DELETE', `${tickets}/${encodeURIComponent(eventTicket)}`, [200], { token: client.token });
    created.tickets = created.tickets.filter((code) => code !== eventTicket);
    const body = await api('GET', tickets, [200], { token: client.token });
    expect(!(body.tickets as Json[]).some((t) => t.code === eventTicket), 'the cancelled ticket is still listed');
  });
}

/** Undoes what the walk created; every undo runs even if an earlier one fails. Returns the failures. */
async function cleanup(): Promise<string[]> {
  const failures: string[] = [];
  const undo = async (name: string, action: () => Promise<unknown>) => {
    try {
      await step(name, action);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
      console.log(`  ✗ ${name}: ${(error as Error).message}`);
    }
  };
  const { organiser, client, eventId, packetId } = created;
  const EM = '/api/event-manager';
  if (client) {
    for (const code of [...created.tickets]) {
      await undo(`cleanup: cancel ticket ${code}`, () => api('DELETE', `/api/user-manager/clients/${client.id}/tickets/${encodeURIComponent(code)}`, [200, 404], { token: client.token }));
    }
  }
  if (organiser) {
    if (created.bound) await undo('cleanup: unbind', () => api('DELETE', `${EM}/event-packet-inclusions/event/${eventId}/packet/${packetId}`, [200, 404], { token: organiser.token }));
    if (packetId) await undo('cleanup: delete the packet', () => api('DELETE', `${EM}/event-packets/${packetId}`, [200, 404], { token: organiser.token }));
    if (eventId) await undo('cleanup: delete the event', () => api('DELETE', `${EM}/events/${eventId}`, [200, 404], { token: organiser.token }));
  }
  // Accounts last: the tokens are needed above. An organiser may have no profile (404).
  if (client) await undo("cleanup: delete the client's account", () => api('DELETE', `/api/user-manager/users/${client.id}`, [200, 204], { token: client.token }));
  if (organiser) await undo("cleanup: delete the organiser's account", () => api('DELETE', `/api/user-manager/users/${organiser.id}`, [200, 204, 404], { token: organiser.token }));
  return failures;
}

async function logOut() {
  for (const account of [created.organiser, created.client]) {
    if (!account) continue;
    await step(`log out (${account.email}); the token is refused afterwards`, async () => {
      await api('POST', '/api/idm/auth/logout', [200], { token: account.token });
      const after = await api('POST', '/api/idm/auth/verify', [200, 401], { body: { token: account.token } });
      expect(after.valid !== true, 'the token still verifies after logout');
    });
  }
}

console.log(`smoke: ${base} (run ${run})`);
let failed: string | undefined;
try {
  await walk();
} catch (error) {
  failed = `step "${current}" failed: ${(error as Error).message}`;
  console.log(`  ✗ ${current}`);
}
const leftovers = await cleanup();
if (!failed) {
  try {
    await logOut();
  } catch (error) {
    failed = `step "${current}" failed: ${(error as Error).message}`;
  }
}
if (failed || leftovers.length > 0) {
  if (failed) console.error(`smoke: FAILED — ${failed}`);
  for (const leftover of leftovers) console.error(`smoke: cleanup incomplete — ${leftover}`);
  process.exit(1);
}
console.log('smoke: passed');
