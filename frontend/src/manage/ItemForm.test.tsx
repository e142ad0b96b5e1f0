import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { renderInApp } from '../test/render.tsx';
import { ItemForm } from './ItemForm.tsx';

describe('event and packet form', () => {
  it("shows an API field error at its field (the body's `field`), not as a general alert", () => {
    const error = new ApiError('cannot reduce seats to 2: total required is 3', 422, 'CAPACITY_EXCEEDED', 'seats');
    renderInApp(<ItemForm kind="events" onSubmit={() => {}} pending={false} error={error} submitLabel="Save" />);
    const seats = screen.getByRole('textbox', { name: 'Seats' });
    expect(seats).toHaveAttribute('aria-invalid', 'true');
    expect(seats).toHaveAccessibleDescription(expect.stringContaining('cannot reduce seats to 2'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a packet error names allocated_seats; an error without a field is an alert', () => {
    const { unmount } = renderInApp(
      <ItemForm kind="packets" onSubmit={() => {}} pending={false} error={new ApiError('too many', 422, 'X', 'allocated_seats')} submitLabel="Save" />,
    );
    expect(screen.getByRole('textbox', { name: 'Seats allocated to the packet' })).toHaveAccessibleDescription(expect.stringContaining('too many'));
    unmount();
    renderInApp(<ItemForm kind="packets" onSubmit={() => {}} pending={false} error={new ApiError('event 3 is busy', 422)} submitLabel="Save" />);
    expect(screen.getByRole('alert')).toHaveTextContent('event 3 is busy');
  });

  it('submits only what was filled in, seats as a number', async () => {
    const onSubmit = vi.fn();
    renderInApp(<ItemForm kind="events" onSubmit={onSubmit} pending={false} error={undefined} submitLabel="Create" />);
    await userEvent.type(screen.getByRole('textbox', { name: /^Name/ }), 'Gala');
    await userEvent.type(screen.getByRole('textbox', { name: 'Seats' }), '12');
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(onSubmit).toHaveBeenCalledWith({ name: 'Gala', seats: 12 });
  });
});
