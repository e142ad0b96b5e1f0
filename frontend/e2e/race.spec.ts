import { account, createEvent, expect, signIn, test, unique } from './support.ts';

test('two buyers in two browsers click Buy for the last seat at the same moment: one ticket, one "sold out"', async ({ browser, request }) => {
  const owner = await account(request, 'owner');
  const event = await createEvent(request, owner, { name: unique('Last seat'), seats: 1 });
  const buyers = [await account(request, 'client'), await account(request, 'client')];
  const pages = await Promise.all(
    buyers.map(async (buyer) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, buyer);
      await page.goto(`/events/${event.id}`);
      await expect(page.getByText('1 seat left')).toBeVisible();
      return page;
    }),
  );
  await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Buy ticket' }).click()));

  const outcomes = await Promise.all(
    pages.map(async (page) => {
      const won = page.getByText('You have a ticket');
      const lost = page.getByRole('alert').filter({ hasText: /no available seats/ });
      await expect(won.or(lost)).toBeVisible();
      return (await won.isVisible()) ? 'ticket' : 'sold out';
    }),
  );
  expect(outcomes.sort()).toEqual(['sold out', 'ticket']);

  // the organiser's overview: one sold
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, owner);
  await page.goto(`/manage/events/${event.id}`);
  await expect(page.getByRole('region', { name: 'Sales overview' })).toContainText('Sold directly1');
  await expect(page.getByRole('region', { name: 'Sales overview' })).toContainText('Left for direct sale0');
  for (const p of [...pages, page]) await p.context().close();
});
