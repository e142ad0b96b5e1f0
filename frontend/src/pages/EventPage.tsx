import { Anchor, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, data } from '../api/client.ts';
import { useSession } from '../auth/session.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { SeatsBadge } from '../ui/Seats.tsx';
import { BuyPanel } from './BuyPanel.tsx';

/** Anyone: one event, its seats left, the packets that contain it; buyers buy here. */
export function EventPage() {
  const id = Number(useParams().id);
  const s = useSession();
  const event = useQuery({ queryKey: ['event', id], queryFn: () => data(api().GET('/api/event-manager/events/{id}', { params: { path: { id } } })) });
  const packets = useQuery({
    queryKey: ['event-packets', id],
    enabled: !!s,
    queryFn: () => data(api().GET('/api/event-manager/event-packet-inclusions/event/{event_id}', { params: { path: { event_id: id } } })),
  });
  if (event.isPending) return <Loader aria-label="Loading" />;
  if (event.error) return <ErrorAlert error={event.error} title="Could not load the event" />;
  const e = event.data.event;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{e.name}</Title>
        <SeatsBadge available={e.available_seats} />
      </Group>
      <Text>{e.location || 'Location not announced'}</Text>
      {e.description && <Text>{e.description}</Text>}
      <Text size="sm">
        {e.seats ? `${e.seats} seats in total, ${e.available_seats} on sale directly` : 'No seats defined'} · organiser #{e.id_owner}
      </Text>
      <BuyPanel target={{ event_id: e.id }} available={e.available_seats} name={e.name} />
      <Title order={2} size="h3">Packets with this event</Title>
      {!s ? (
        <Text>Sign in to see the packets that include this event.</Text>
      ) : packets.error ? (
        <ErrorAlert error={packets.error} />
      ) : packets.data?.event_packets.length === 0 ? (
        <Text>No packet includes this event.</Text>
      ) : (
        <List>
          {packets.data?.event_packets.map((p) => (
            <List.Item key={p.id}>
              <Anchor component={Link} to={`/packets/${p.id}`}>{p.name}</Anchor> — <SeatsBadge available={p.available_seats} />
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
