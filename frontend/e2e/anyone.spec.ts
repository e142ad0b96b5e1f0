import { account, audit, createEvent, expect, screenshots, signIn, test, unique, visit } from './support.ts';

test('anyone: browse, search, page through the links, see seats left and sold out', async ({ page, request }) => {
  const owner = await account(request, 'owner');
  const tag = unique('Festival');
  const open = await createEvent(request, owner, { name: `${tag} A`, seats: 40, location: 'Cluj' });
  await createEvent(request, owner, { name: `${tag} B`, seats: 10, location: 'Iasi' });
  await createEvent(request, owner, { name: `${tag} C`, location: 'Cluj' });
  // sold out: every seat allocated to a packet
  const full = await createEvent(request, owner, { name: `${tag} D`, seats: 2 });
  const auth = { Authorization: `Bearer ${owner.token}` };
  const packet = (await (await request.post('/api/event-manager/event-packets', { data: { name: `${tag} pass`, allocated_seats: 2 }, headers: auth })).json()).event_packet;
  expect((await request.post(`/api/event-manager/event-packet-inclusions/event/${full.id}/packet/${packet.id}`, { data: {}, headers: auth })).status()).toBe(201);

  await visit(page, '/', 'Events');
  await screenshots(page, 'catalogue');
  await page.getByLabel('Name').fill(tag);
  await page.getByLabel('Order by').selectOption('name_asc');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('article')).toHaveCount(4);
  await audit(page);

  // paging follows the API's links (two per page)
  await page.goto(`/events?name=${encodeURIComponent(tag)}&order_by=name_asc&per_page=2`);
  await expect(page.getByText('Page 1 of 2')).toBeVisible();
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Page 2 of 2')).toBeVisible();
  await expect(page.getByRole('heading', { name: `${tag} C` })).toBeVisible();
  await expect(page.getByRole('article').filter({ hasText: `${tag} D` }).getByText('Sold out')).toBeVisible();
  await expect(page).toHaveURL(/page=2/);

  await page.getByRole('link', { name: `${tag} D` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${tag} D` })).toBeVisible();
  await expect(page.getByText('Sold out').first()).toBeVisible();
  await audit(page);

  await visit(page, `/events/${open.id}`, `${tag} A`);
  await expect(page.getByText('40 seats left')).toBeVisible();
  await screenshots(page, 'event');

  await visit(page, `/packets?name=${encodeURIComponent(tag)}`, 'Event packets');
  await expect(page.getByRole('article')).toHaveCount(1);
});

test('anyone: register as a buyer, sign in, sign out revokes the token', async ({ page, request }) => {
  const email = `new-${Date.now()}@tix-e2e.com`;
  await visit(page, '/register', 'Create an account');
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('a-long-password');
  await page.getByLabel('Repeat the password').fill('a-long-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('You can sign in now.')).toBeVisible();
  await audit(page);

  await signIn(page, { email, password: 'a-long-password' });
  await expect(page.getByRole('link', { name: 'My tickets' })).toBeVisible();
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tix.session')!).token as string);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  const after = await request.get('/api/user-manager/clients/1/tickets', { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status(), 'the token was revoked').toBe(401);
});

test('anyone: registering an organiser; a taken e-mail is refused with the API text', async ({ page, request }) => {
  const existing = await account(request, 'owner');
  await page.goto('/register');
  await page.getByLabel('Organise events').check();
  await page.getByLabel('E-mail').fill(existing.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('a-long-password');
  await page.getByLabel('Repeat the password').fill('a-long-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText(/already/i);
  await audit(page);
});

test('anyone: a revoked session returns to sign-in with a message, and back afterwards', async ({ page, request }) => {
  const buyer = await account(request, 'client');
  await signIn(page, buyer, '/tickets');
  await expect(page.getByRole('heading', { name: 'My tickets' })).toBeVisible();
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tix.session')!).token as string);
  expect((await request.post('/api/idm/auth/revoke', { data: { token } })).status()).toBe(200);
  page.allow(/status of 401/);

  await page.goto('/profile');
  await expect(page.getByText('Your session has ended')).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fprofile/);
  await audit(page);
  await page.getByLabel('E-mail').fill(buyer.email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(buyer.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
});
