import { Button, Group, NumberInput, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../api/errors.ts';
import type { Event, ListKind, Packet } from '../api/lists.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';

export interface ItemFields {
  name: string;
  location?: string;
  description?: string;
  seats?: number;
  allocated_seats?: number;
}

const FIELDS = ['name', 'location', 'description', 'seats', 'allocated_seats'];

/** Create or edit an event or a packet; the API's field errors appear at their fields. */
export function ItemForm({ kind, item, onSubmit, pending, error, submitLabel }: {
  kind: ListKind;
  item?: Event | Packet;
  onSubmit: (fields: ItemFields) => void;
  pending: boolean;
  error: unknown;
  submitLabel: string;
}) {
  const seatsField = kind === 'events' ? 'seats' : 'allocated_seats';
  const initialSeats = item ? ('allocated_seats' in item ? item.allocated_seats : item.seats) : undefined;
  const [name, setName] = useState(item?.name ?? '');
  const [place, setPlace] = useState(item?.location ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  const [seats, setSeats] = useState<string | number>(initialSeats ?? '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      name,
      ...(place.trim() ? { location: place } : {}),
      ...(description.trim() ? { description } : {}),
      ...(seats !== '' ? { [seatsField]: Number(seats) } : {}),
    });
  };
  const general = error && !FIELDS.some((f) => fieldError(error, f)) ? error : undefined;

  return (
    <form onSubmit={submit} aria-label={kind === 'events' ? 'Event' : 'Packet'}>
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, 'name')} />
        <TextInput label="Location" value={place} onChange={(e) => setPlace(e.currentTarget.value)} error={fieldError(error, 'location')} />
        <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fieldError(error, 'description')} />
        <NumberInput
          label={kind === 'events' ? 'Seats' : 'Seats allocated to the packet'}
          description={kind === 'events' ? 'Leave empty for an event without ticket sales' : 'Reserved in every event of the packet'}
          allowDecimal={false}
          value={seats}
          onChange={setSeats}
          error={fieldError(error, seatsField)}
        />
        <ErrorAlert error={general} title="Not saved" />
        <Group>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
