import { Anchor, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { api, data } from '../api/client.ts';
import { useSession } from '../auth/session.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { SeatsBadge } from '../ui/Seats.tsx';
import { BuyPanel } from './BuyPanel.tsx';

/** One packet and its events. The API shows single packets to signed-in people only. */
export function PacketPage() {
  const id = Number(useParams().id);
  const s = useSession();
  const location = useLocation();
  const packet = useQuery({
    queryKey: ['packet', id],
    enabled: !!s,
    queryFn: () => data(api().GET('/api/event-manager/event-packets/{id}', { params: { path: { id } } })),
  });
  const events = useQuery({
    queryKey: ['packet-events', id],
    enabled: !!s,
    queryFn: () => data(api().GET('/api/event-manager/event-packet-inclusions/packet/{packet_id}', { params: { path: { packet_id: id } } })),
  });
  if (!s) {
    return (
      <Text>
        <Anchor component={Link} to={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>Sign in</Anchor> to see this packet and the events in it.
      </Text>
    );
  }
  if (packet.isPending) return <Loader aria-label="Loading" />;
  if (packet.error) return <ErrorAlert error={packet.error} title="Could not load the packet" />;
  const p = packet.data.event_packet;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{p.name}</Title>
        <SeatsBadge available={p.available_seats} />
      </Group>
      <Text>{p.location || 'Location not announced'}</Text>
      {p.description && <Text>{p.description}</Text>}
      <Text size="sm">{p.allocated_seats ? `${p.allocated_seats} seats in this packet` : 'No seats allocated'} · organiser #{p.id_owner}</Text>
      <BuyPanel target={{ packet_id: p.id }} available={p.available_seats} name={p.name} />
      <Title order={2} size="h3">Events in this packet</Title>
      {events.error ? (
        <ErrorAlert error={events.error} />
      ) : events.data?.events.length === 0 ? (
        <Text>This packet has no events yet.</Text>
      ) : (
        <List>
          {events.data?.events.map((e) => (
            <List.Item key={e.id}>
              <Anchor component={Link} to={`/events/${e.id}`}>{e.name}</Anchor> {e.location ? `— ${e.location}` : ''}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
