import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { api, pool, startBenchRuntime } from './runtime.ts';
const rt = await startBenchRuntime({ ADMIN_PASSWORD: 'bench-admin-password', MAX_TICKETS_PER_BUYER: '1000000' }, { pooled: true });
try {
  const owner = `owner-${randomUUID()}@bench.example.com`;
  await api(rt.url, 'POST', '/api/idm/auth/register', { email: owner, password: 'secret123', role: 'owner' });
  const ownerToken = (await api(rt.url, 'POST', '/api/idm/auth/login', { email: owner, password: 'secret123' })).token as string;
  const buyers = await pool(Array.from({ length: 200 }, (_, i) => i), 16, async (i) => {
    const email = `buyer-${i}-${randomUUID()}@bench.example.com`;
    await api(rt.url, 'POST', '/api/idm/auth/register', { email, password: 'secret123', role: 'client' });
    const login = await api(rt.url, 'POST', '/api/idm/auth/login', { email, password: 'secret123' });
    return { id: Number(login.user_id), token: login.token as string };
  });
  const buy = async (eventId: number, n: number) => pool(Array.from({ length: n }, (_, i) => i), 16, async (i) => {
    const b = buyers[i % buyers.length]!;
    const res = await fetch(`${rt.url}/api/user-manager/clients/${b.id}/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${b.token}` }, body: JSON.stringify({ event_id: eventId }) });
    await res.text();
    return res.status;
  });
  const newEvent = async (seats: number) => (await api(rt.url, 'POST', '/api/event-manager/events', { name: `p-${randomUUID()}`, seats }, ownerToken)).event.id as number;
  await buy(await newEvent(1000), 1000); // warm
  const mode = process.env.PROBE ?? 'sold';
  const ev = await newEvent(mode === 'sold' ? 1000 : 0);
  const N = 1000;
  const strace = spawn('strace', ['-c', '-f', '-p', String(rt.pid)], { stdio: ['ignore', 'inherit', 'inherit'] });
  await new Promise((r) => setTimeout(r, 1000));
  const cpu0 = rt.cpuSeconds();
  const statuses = await buy(ev, N);
  const cpu = rt.cpuSeconds() - cpu0;
  strace.kill('SIGINT');
  await new Promise((r) => strace.once('exit', r));
  console.log(mode, 'statuses', statuses.reduce((a: Record<number, number>, s) => ({ ...a, [s]: (a[s] ?? 0) + 1 }), {}), 'cpu ms/attempt (straced)', (cpu * 1000) / N);
} finally { await rt.stop(); }
