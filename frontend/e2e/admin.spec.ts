import { ADMIN } from '../playwright.config.ts';
import { account, audit, createEvent, expect, signIn, test, tickets, unique, visit } from './support.ts';

test("admin: every organiser's events, a user's profile and tickets, cancel any ticket", async ({ page, request }) => {
  const owner = await account(request, 'owner');
  const buyer = await account(request, 'client');
  const event = await createEvent(request, owner, { name: unique('Expo'), seats: 4 });
  expect((await request.post(`/api/user-manager/clients/${buyer.id}/tickets`, { data: { event_id: event.id }, headers: { Authorization: `Bearer ${buyer.token}` } })).status()).toBe(201);

  await signIn(page, ADMIN);
  await visit(page, '/manage', 'Events and packets of all organisers');
  await page.getByLabel('Name').first().fill(event.name);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: event.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sales overview' })).toContainText('Sold directly1');
  await audit(page);

  await visit(page, '/admin', 'Users and tickets');
  await page.getByLabel('User id').fill(String(buyer.id));
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByText(`E-mail: ${buyer.email}`)).toBeVisible();
  const card = page.getByRole('article', { name: `Ticket for ${event.name}` });
  await expect(card).toBeVisible();
  await audit(page);
  await card.getByRole('button', { name: 'Cancel ticket' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByText('No tickets yet.')).toBeVisible();
  expect(await tickets(request, buyer)).toEqual([]);
});
