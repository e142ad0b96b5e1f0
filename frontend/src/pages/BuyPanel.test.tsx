import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureApi } from '../api/client.ts';
import { session } from '../auth/session.ts';
import { fakeFetch, json, renderInApp } from '../test/render.tsx';
import { BuyPanel } from './BuyPanel.tsx';

const buyer = { token: 'header.eyJzdWIiOiI3In0.sig', userId: 7, role: 'client' as const, email: 'b@x.io' };

beforeEach(() => session.start(buyer));
afterEach(() => {
  vi.unstubAllGlobals();
  session.end();
});

function withFetch(...answers: Parameters<typeof fakeFetch>) {
  const fake = fakeFetch(...answers);
  vi.stubGlobal('fetch', fake.fetch);
  configureApi('http://api.test');
  return fake.requests;
}

const keyOf = (req: Request) => req.headers.get('Idempotency-Key');

describe('Buy button: one Idempotency-Key per purchase intent', () => {
  it('a double click sends one request', async () => {
    let release!: () => void;
    const requests = withFetch(() => new Promise<Response>((r) => (release = () => r(json(201, { ticket_code: 'T-1' })))));
    renderInApp(<BuyPanel target={{ event_id: 5 }} available={3} name="Gala" />);
    await userEvent.dblClick(screen.getByRole('button', { name: 'Buy ticket' }));
    release();
    await screen.findByText('You have a ticket');
    expect(requests).toHaveLength(1);
    expect(await requests[0]!.json()).toEqual({ event_id: 5 });
    expect(requests[0]!.headers.get('Authorization')).toBe(`Bearer ${buyer.token}`);
  });

  it('a retry after a network error, or after a reload, resends the same key; the next purchase gets a new one', async () => {
    const requests = withFetch(
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => json(201, { ticket_code: 'T-2' }),
      () => json(201, { ticket_code: 'T-3' }),
    );
    const first = renderInApp(<BuyPanel target={{ event_id: 5 }} available={3} name="Gala" />);
    await userEvent.click(screen.getByRole('button', { name: 'Buy ticket' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Cannot reach the server');
    first.unmount(); // a reload: the page is gone, the intent is not

    renderInApp(<BuyPanel target={{ event_id: 5 }} available={3} name="Gala" />);
    await userEvent.click(screen.getByRole('button', { name: 'Buy ticket' }));
    await screen.findByText('You have a ticket');
    expect(keyOf(requests[1]!)).toBe(keyOf(requests[0]!));
    expect(keyOf(requests[0]!)).toMatch(/^[0-9a-f-]{36}$/);

    await userEvent.click(screen.getByRole('button', { name: 'Buy another' }));
    await userEvent.click(screen.getByRole('button', { name: 'Buy ticket' }));
    await waitFor(() => expect(requests).toHaveLength(3));
    expect(keyOf(requests[2]!)).not.toBe(keyOf(requests[1]!));
  });

  it("a refusal is shown in the API's words; sold out disables the button", async () => {
    withFetch(() => json(422, { error: "event 'Gala' has no available seats (total: 1, direct tickets: 1, packet allocations: 0)", code: 'SOLD_OUT', field: 'event_id' }));
    const { unmount } = renderInApp(<BuyPanel target={{ event_id: 5 }} available={1} name="Gala" />);
    await userEvent.click(screen.getByRole('button', { name: 'Buy ticket' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("event 'Gala' has no available seats");
    unmount();
    renderInApp(<BuyPanel target={{ event_id: 5 }} available={0} name="Gala" />);
    expect(screen.getByText('Sold out')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Buy ticket' })).toBeDisabled();
  });
});
