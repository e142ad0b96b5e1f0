import { readFileSync } from 'node:fs';
import { account, audit, createEvent, expect, screenshots, signIn, test, unique, visit } from './support.ts';

test('organiser: create with field errors, edit, bind with a capacity refusal, overview, customers CSV, delete', async ({ page, request }) => {
  const owner = await account(request, 'owner');
  // every page of my events: more than one API page (100) would be slow to set up; 3 + per_page 100 is enough to prove owner_id
  const others = await account(request, 'owner');
  await createEvent(request, others, { name: unique('Not mine'), seats: 5 });
  await signIn(page, owner);
  await visit(page, '/manage', 'My events and packets');

  const name = unique('Gala');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Seats', { exact: true }).fill('-3');
  page.allow(/status of 422/);
  await page.getByRole('button', { name: 'Create event' }).click();
  await expect(page.getByLabel('Seats', { exact: true })).toHaveAccessibleDescription(/./);
  await audit(page);
  await page.getByLabel('Seats', { exact: true }).fill('5');
  await page.getByLabel('Location').fill('Sibiu');
  await page.getByRole('button', { name: 'Create event' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const eventId = Number(page.url().split('/').pop());
  await audit(page);

  // a packet larger than the event: binding is refused, with the API's explanation
  await page.goto('/manage?tab=packets');
  const packetName = unique('Season pass');
  await page.getByLabel('Name').fill(packetName);
  await page.getByLabel('Seats allocated to the packet').fill('8');
  await page.getByRole('button', { name: 'Create packet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: packetName })).toBeVisible();
  await page.getByRole('combobox', { name: 'Add an event to this packet' }).click();
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await page.getByRole('button', { name: 'Add to packet' }).click();
  await expect(page.getByRole('alert')).toContainText('packet requires 8 allocated seats');
  await page.getByLabel('Seats allocated to the packet').fill('2');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Add to packet' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
  await audit(page);

  // a buyer buys one direct ticket; the overview and the customers list show it
  const buyer = await account(request, 'client');
  await request.patch(`/api/user-manager/users/${buyer.id}`, { data: { first_name: 'Ion', last_name: 'Secret', last_name_private: true }, headers: { Authorization: `Bearer ${buyer.token}` } });
  expect((await request.post(`/api/user-manager/clients/${buyer.id}/tickets`, { data: { event_id: eventId }, headers: { Authorization: `Bearer ${buyer.token}` } })).status()).toBe(201);
  await page.goto(`/manage/events/${eventId}`);
  const overview = page.getByRole('region', { name: 'Sales overview' });
  await expect(overview).toContainText('Sold directly1');
  await expect(overview).toContainText('Allocated to packets2');
  await expect(overview).toContainText('Left for direct sale2');
  const customers = page.getByRole('region', { name: `Customers of ${name}` });
  await expect(customers.getByRole('cell', { name: 'Ion' })).toBeVisible();
  await expect(customers.getByRole('cell', { name: '[Private]' })).toBeVisible();
  await audit(page);
  await screenshots(page, 'manage-event');
  const download = page.waitForEvent('download');
  await customers.getByRole('button', { name: 'Export CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv).toContain('"id","first_name","last_name","email","social_media_links"');
  expect(csv).toContain(`"${buyer.id}","Ion","[Private]","${buyer.email}"`);

  // my lists: every one of mine, none of the others'
  await page.goto('/manage');
  await expect(page.getByRole('table', { name: 'My events' }).getByRole('link')).toHaveCount(1);

  // delete refused while tickets exist (API text), then allowed for an empty packet after unbinding
  await page.goto(`/manage/events/${eventId}`);
  await page.getByRole('button', { name: 'Delete event' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('alert')).toContainText('cannot delete event with sold tickets');
  await page.getByRole('link', { name: packetName }).click();
  await page.getByRole('button', { name: 'Unbind' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, unbind' }).click();
  await expect(page.getByText('None.')).toBeVisible();
  await page.getByRole('button', { name: 'Delete packet' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page).toHaveURL(/\/manage\?tab=packets/);
  await expect(page.getByText('None yet.')).toBeVisible();
});
