import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page, test as base, expect } from '@playwright/test';

export { expect };
export const SCREENSHOTS = new URL('../../test-results/e2e/screenshots/', import.meta.url).pathname;

/**
 * The fixture every test uses: it fails the test on any console error, page error or failed request
 * the test did not announce (`page.allow(/status of 422/)`), and runs axe (WCAG 2 A + AA) on every
 * page the test visits through `visit()` or `audit()`.
 */
export const test = base.extend<{ page: Page & { allow(pattern: RegExp): void } }>({
  page: async ({ page }, use) => {
    const allowed: RegExp[] = [];
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !allowed.some((p) => p.test(msg.text()))) problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (req) => {
      const failure = req.failure()?.errorText ?? '';
      // A navigation away aborts what the old page still loaded: not a failure of the app.
      if (!/ERR_ABORTED/.test(failure) && !allowed.some((p) => p.test(req.url()))) problems.push(`request failed: ${req.url()} ${failure}`);
    });
    await use(Object.assign(page, { allow: (pattern: RegExp) => void allowed.push(pattern) }));
    expect(problems, 'no console error, page error or failed request').toEqual([]);
  },
});

/** axe, WCAG 2 A and AA: zero violations. */
export async function audit(page: Page) {
  await page.waitForLoadState('networkidle');
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')}`)).toEqual([]);
}

/** Go to a page, wait for it, audit it. */
export async function visit(page: Page, path: string, heading?: string | RegExp) {
  await page.goto(path);
  if (heading) await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await audit(page);
}

/** Screenshots at phone and desktop width (artifacts). */
export async function screenshots(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 800 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: `${SCREENSHOTS}${name}-${width}.png`, fullPage: width === 1280 });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

// ── data set-up through the API (the journeys themselves go through the UI) ─────────────────

export interface Account {
  email: string;
  password: string;
  id: number;
  token: string;
}

export const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

export async function account(request: APIRequestContext, role: 'client' | 'owner'): Promise<Account> {
  const email = `${role}-${randomUUID().slice(0, 12)}@tix-e2e.com`;
  const password = `pw-${randomUUID()}`;
  const reg = await request.post('/api/idm/auth/register', { data: { email, password, role } });
  expect(reg.status(), await reg.text()).toBe(201);
  return login(request, email, password);
}

export async function login(request: APIRequestContext, email: string, password: string): Promise<Account> {
  const res = await request.post('/api/idm/auth/login', { data: { email, password } });
  expect(res.status(), await res.text()).toBe(200);
  const body = await res.json();
  return { email, password, id: Number(body.user_id), token: body.token };
}

export async function createEvent(request: APIRequestContext, owner: Account, fields: Record<string, unknown>) {
  const res = await request.post('/api/event-manager/events', { data: { name: unique('Event'), ...fields }, headers: { Authorization: `Bearer ${owner.token}` } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).event as { id: number; name: string };
}

export async function tickets(request: APIRequestContext, who: Account) {
  const res = await request.get(`/api/user-manager/clients/${who.id}/tickets`, { headers: { Authorization: `Bearer ${who.token}` } });
  expect(res.status()).toBe(200);
  return (await res.json()).tickets as Array<{ code: string; event_id?: number; packet_id?: number }>;
}

/** Signs in through the sign-in page. */
export async function signIn(page: Page, who: { email: string; password: string }, next?: string) {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
