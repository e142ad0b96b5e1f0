import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QRCodeSVG } from 'qrcode.react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, apiError, errorText, NETWORK_ERROR } from '../api/errors.ts';
import { renderInApp } from '../test/render.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { Pager } from './Pager.tsx';
import { TicketQr } from './TicketQr.tsx';

describe('error display', () => {
  it("shows the API's `error` text, whatever the status", () => {
    renderInApp(<ErrorAlert error={apiError(422, { error: "event 'Gala' has no available seats", code: 'SOLD_OUT', field: 'event_id' })} />);
    expect(screen.getByRole('alert')).toHaveTextContent("event 'Gala' has no available seats");
  });

  it('never "Request failed with status code N": bodies without text, network failures', () => {
    expect(errorText(apiError(502, '<html>bad gateway</html>'))).toBe('The service is unavailable right now. Please try again.');
    expect(errorText(apiError(400, {}))).toBe('The request was refused.');
    expect(errorText(new TypeError('Failed to fetch'))).toBe(NETWORK_ERROR);
    expect(apiError(422, { error: 'x', code: 'C', field: 'seats' })).toMatchObject({ status: 422, code: 'C', field: 'seats' });
  });

  it('shows nothing without an error', () => {
    const { container } = renderInApp(<ErrorAlert error={undefined} />);
    expect(container.querySelector('[role=alert]')).toBeNull();
    expect(new ApiError('m', 409)).toBeInstanceOf(Error);
  });
});

describe('Pager', () => {
  const links = {
    first: { href: 'http://x/api/event-manager/events?name=a&order_by=name_asc&page=1&per_page=2' },
    prev: { href: 'http://x/api/event-manager/events?name=a&order_by=name_asc&page=1&per_page=2' },
    next: { href: 'http://x/api/event-manager/events?name=a&order_by=name_asc&page=3&per_page=2' },
    last: { href: 'http://x/api/event-manager/events?name=a&order_by=name_asc&page=5&per_page=2' },
  };

  it("follows the API's links, filters and ordering included", async () => {
    const onFollow = vi.fn();
    renderInApp(<Pager links={links} page={2} pages={5} onFollow={onFollow} />);
    expect(screen.getByText('Page 2 of 5')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(Object.fromEntries(onFollow.mock.calls[0]![0] as URLSearchParams)).toEqual({ name: 'a', order_by: 'name_asc', page: '3', per_page: '2' });
    await userEvent.click(screen.getByRole('button', { name: 'Last page' }));
    expect((onFollow.mock.calls[1]![0] as URLSearchParams).get('page')).toBe('5');
  });

  it('offers only the links the API gave', () => {
    renderInApp(<Pager links={{ first: links.first, next: links.next }} page={1} pages={3} onFollow={() => {}} />);
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Last page' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'First page' })).toBeDisabled(); // already there
    expect(screen.getByRole('button', { name: 'Next page' })).toBeEnabled();
  });
});

describe('TicketQr', () => {
  it('encodes the ticket code and nothing else', () => {
    const code = '6f1c1a52-58a0-4b3e-9a44-2f5d0c1e9b7a';
    renderInApp(<TicketQr code={code} />);
    const svg = screen.getByRole('img', { name: `QR code of ticket ${code}` });
    const modules = (markup: string) => /<path[^>]*fill="#000000"[^>]*d="([^"]+)"/.exec(markup)?.[1];
    const reference = renderToStaticMarkup(<QRCodeSVG value={code} size={128} marginSize={2} />);
    expect(modules(svg.outerHTML)).toBe(modules(reference));
    expect(modules(svg.outerHTML)).not.toBe(modules(renderToStaticMarkup(<QRCodeSVG value={`https://tix/${code}`} size={128} marginSize={2} />)));
  });
});
