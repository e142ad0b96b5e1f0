import { account, audit, createEvent, expect, screenshots, signIn, test, tickets, unique, visit } from './support.ts';

test('buyer: buy a ticket, QR code of the code only, my tickets, cancel frees the seat', async ({ page, request }) => {
  const owner = await account(request, 'owner');
  const buyer = await account(request, 'client');
  const event = await createEvent(request, owner, { name: unique('Concert'), seats: 3, location: 'Arena' });
  await signIn(page, buyer);

  await visit(page, `/events/${event.id}`, event.name);
  await expect(page.getByText('3 seats left')).toBeVisible();
  await page.getByRole('button', { name: 'Buy ticket' }).click();
  const confirmation = page.getByRole('status').filter({ hasText: 'You have a ticket' });
  await expect(confirmation).toBeVisible();
  const [ticket] = await tickets(request, buyer);
  expect(ticket?.event_id).toBe(event.id);
  await expect(confirmation.getByText(ticket!.code, { exact: true })).toBeVisible();
  await expect(confirmation.getByRole('img', { name: `QR code of ticket ${ticket!.code}` })).toBeVisible();
  await expect(page.getByText('2 seats left')).toBeVisible();
  await audit(page);
  await screenshots(page, 'purchase');

  await page.getByRole('link', { name: 'My tickets' }).first().click();
  const card = page.getByRole('article', { name: `Ticket for ${event.name}` });
  await expect(card).toBeVisible();
  await expect(card.getByRole('img', { name: `QR code of ticket ${ticket!.code}` })).toBeVisible();
  await audit(page);
  await screenshots(page, 'tickets');

  await card.getByRole('button', { name: 'Cancel ticket' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await audit(page);
  await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByText('No tickets yet.')).toBeVisible();
  expect(await tickets(request, buyer)).toEqual([]);
  await visit(page, `/events/${event.id}`, event.name);
  await expect(page.getByText('3 seats left')).toBeVisible();
});

test('buyer: a double click on Buy buys one ticket', async ({ page, request }) => {
  const owner = await account(request, 'owner');
  const buyer = await account(request, 'client');
  const event = await createEvent(request, owner, { name: unique('Play'), seats: 10 });
  await signIn(page, buyer);
  await page.goto(`/events/${event.id}`);
  await page.getByRole('button', { name: 'Buy ticket' }).dblclick();
  await expect(page.getByText('You have a ticket')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(await tickets(request, buyer)).toHaveLength(1);
});

test('buyer: the whole purchase with the keyboard alone', async ({ page, request }) => {
  const owner = await account(request, 'owner');
  const buyer = await account(request, 'client');
  const event = await createEvent(request, owner, { name: unique('Opera'), seats: 5 });
  await page.goto(`/sign-in?next=${encodeURIComponent(`/events/${event.id}`)}`);
  const focusOn = async (name: RegExp) => {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return `${el?.getAttribute('aria-label') ?? ''} ${el?.textContent ?? ''} ${(el as HTMLInputElement | null)?.labels?.[0]?.textContent ?? ''}`;
      });
      if (name.test(label)) return;
    }
    throw new Error(`could not reach ${name} with Tab`);
  };
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await focusOn(/E-mail/);
  await expect(page.getByRole('textbox', { name: 'E-mail' })).toBeFocused();
  await page.keyboard.type(buyer.email);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Password', exact: true })).toBeFocused();
  await page.keyboard.type(buyer.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: event.name })).toBeVisible();
  await focusOn(/Buy ticket/);
  await page.keyboard.press('Enter');
  await expect(page.getByText('You have a ticket')).toBeVisible();
  expect(await tickets(request, buyer)).toHaveLength(1);
});

test('buyer: profile with a field error at its field; delete the account', async ({ page, request }) => {
  const buyer = await account(request, 'client');
  await signIn(page, buyer);
  await visit(page, '/profile', 'Profile');
  await page.getByLabel('First name', { exact: true }).fill('   ');
  page.allow(/status of 422/);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByLabel('First name', { exact: true })).toHaveAccessibleDescription(/First name cannot be empty/);
  await page.getByLabel('First name', { exact: true }).fill('Ana');
  await page.getByLabel('Last name', { exact: true }).fill('Pop');
  await page.getByLabel('Social media link').fill('https://example.com/ana');
  await page.getByLabel('Hide my last name from organisers').check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await audit(page);
  const profile = await (await request.get(`/api/user-manager/users/${buyer.id}`, { headers: { Authorization: `Bearer ${buyer.token}` } })).json();
  expect(profile.user).toMatchObject({ first_name: 'Ana', last_name: 'Pop', last_name_private: true, social_media_links: 'https://example.com/ana' });

  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  const gone = await request.get(`/api/user-manager/users/${buyer.id}`, { headers: { Authorization: `Bearer ${buyer.token}` } });
  expect([401, 404]).toContain(gone.status());
});
