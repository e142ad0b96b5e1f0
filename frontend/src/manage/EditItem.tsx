import { Anchor, Button, Card, Group, List, Loader, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, data } from '../api/client.ts';
import { type Event, fetchAll, type Packet } from '../api/lists.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { SeatsBadge } from '../ui/Seats.tsx';
import { download, toCsv } from './csv.ts';
import { ItemForm, type ItemFields } from './ItemForm.tsx';

const EM = '/api/event-manager';

export function EditEvent() {
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const event = useQuery({ queryKey: ['event', id], queryFn: () => data(api().GET(`${EM}/events/{id}`, { params: { path: { id } } })) });
  const packets = useQuery({
    queryKey: ['event-packets', id],
    queryFn: () => data(api().GET(`${EM}/event-packet-inclusions/event/{event_id}`, { params: { path: { event_id: id } } })),
  });
  const save = useMutation({
    mutationFn: (body: ItemFields) => data(api().PATCH(`${EM}/events/{id}`, { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (event.isPending) return <Loader aria-label="Loading" />;
  if (event.error) return <ErrorAlert error={event.error} title="Could not load the event" />;
  const e = event.data.event;
  const allocated = (packets.data?.event_packets ?? []).reduce((sum, p) => sum + (p.allocated_seats ?? 0), 0);
  const left = e.available_seats;
  const sold = e.seats !== undefined && left !== undefined ? e.seats - allocated - left : 0;
  return (
    <Stack>
      <Anchor component={Link} to="/manage">← My events and packets</Anchor>
      <Title order={1}>{e.name}</Title>
      <Overview rows={[['Seats', e.seats ?? 'not defined'], ['Sold directly', sold], ['Allocated to packets', allocated], ['Left for direct sale', left ?? '—']]} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">Edit</Title>
          <ItemForm key={JSON.stringify(e)} kind="events" item={e} onSubmit={(f) => save.mutate(f)} pending={save.isPending} error={save.error} submitLabel="Save changes" />
          {save.isSuccess && <Text role="status" fw={700} mt="xs">Saved.</Text>}
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">In packets</Title>
          {packets.error ? <ErrorAlert error={packets.error} /> : (
            <Bindings eventId={id} rows={(packets.data?.event_packets ?? []).map((p) => ({ eventId: id, packetId: p.id, label: p.name, href: `/manage/packets/${p.id}`, note: `${p.allocated_seats ?? 0} seats allocated` }))} />
          )}
          <Text size="sm" mt="sm">Bind events to a packet from the packet's page.</Text>
        </Card>
      </SimpleGrid>
      <Customers kind="events" id={id} name={e.name} />
      <DeleteItem kind="events" id={id} name={e.name} />
    </Stack>
  );
}

export function EditPacket() {
  const id = Number(useParams().id);
  const queryClient = useQueryClient();
  const packet = useQuery({ queryKey: ['packet', id], queryFn: () => data(api().GET(`${EM}/event-packets/{id}`, { params: { path: { id } } })) });
  const events = useQuery({
    queryKey: ['packet-events', id],
    queryFn: () => data(api().GET(`${EM}/event-packet-inclusions/packet/{packet_id}`, { params: { path: { packet_id: id } } })),
  });
  const save = useMutation({
    mutationFn: (body: ItemFields) => data(api().PATCH(`${EM}/event-packets/{id}`, { params: { path: { id } }, body })),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  if (packet.isPending) return <Loader aria-label="Loading" />;
  if (packet.error) return <ErrorAlert error={packet.error} title="Could not load the packet" />;
  const p = packet.data.event_packet;
  const sold = p.allocated_seats !== null && p.available_seats !== null ? p.allocated_seats - p.available_seats : 0;
  const bound = events.data?.events ?? [];
  return (
    <Stack>
      <Anchor component={Link} to="/manage?tab=packets">← My events and packets</Anchor>
      <Title order={1}>{p.name}</Title>
      <Overview rows={[['Seats allocated', p.allocated_seats ?? 'none'], ['Sold', sold], ['Left', p.available_seats ?? '—']]} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">Edit</Title>
          <ItemForm key={JSON.stringify(p)} kind="packets" item={p} onSubmit={(f) => save.mutate(f)} pending={save.isPending} error={save.error} submitLabel="Save changes" />
          {save.isSuccess && <Text role="status" fw={700} mt="xs">Saved.</Text>}
        </Card>
        <Card withBorder>
          <Title order={2} size="h3" mb="sm">Events in this packet</Title>
          {events.error ? <ErrorAlert error={events.error} /> : (
            <Bindings rows={bound.map((e) => ({ eventId: e.id, packetId: id, label: e.name, href: `/manage/events/${e.id}`, note: e.seats ? `${e.available_seats} of ${e.seats} seats left for direct sale` : 'no seats' }))} />
          )}
          <BindForm packet={p} bound={bound} />
        </Card>
      </SimpleGrid>
      <Customers kind="packets" id={id} name={p.name} />
      <DeleteItem kind="packets" id={id} name={p.name} />
    </Stack>
  );
}

function Overview({ rows }: { rows: Array<[string, string | number]> }) {
  return (
    <Card withBorder component="section" aria-label="Sales overview">
      <Title order={2} size="h3" mb="xs">Sales</Title>
      <Group gap="xl">
        {rows.map(([label, value]) => (
          <div key={label}>
            <Text size="sm" c="gray.7">{label}</Text>
            <Text fw={700} size="xl">{value}</Text>
          </div>
        ))}
      </Group>
    </Card>
  );
}

type BindingRow = { eventId: number; packetId: number; label: string; href: string; note: string };

function Bindings({ rows }: { rows: BindingRow[]; eventId?: number }) {
  const queryClient = useQueryClient();
  const unbind = useMutation({
    mutationFn: (r: BindingRow) =>
      data(api().DELETE(`${EM}/event-packet-inclusions/event/{event_id}/packet/{packet_id}`, { params: { path: { event_id: r.eventId, packet_id: r.packetId } } })),
    onSettled: () => queryClient.invalidateQueries(),
  });
  if (rows.length === 0) return <Text>None.</Text>;
  return (
    <Stack gap="xs">
      <ErrorAlert error={unbind.error} title="Not unbound" />
      <List spacing="xs">
        {rows.map((r) => (
          <List.Item key={`${r.eventId}-${r.packetId}`}>
            <Group gap="xs">
              <Anchor component={Link} to={r.href}>{r.label}</Anchor>
              <Text size="sm">({r.note})</Text>
              <ConfirmButton size="compact-xs" label="Unbind" question={`Remove the event from the packet (${r.label})? Its allocated seats go back to the event.`} confirmLabel="Yes, unbind" onConfirm={() => unbind.mutate(r)} />
            </Group>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** Bind one of the packet owner's events; a capacity refusal is explained by the API's text. */
function BindForm({ packet, bound }: { packet: Packet; bound: Event[] }) {
  const queryClient = useQueryClient();
  const [eventId, setEventId] = useState<string | null>(null);
  const candidates = useQuery({ queryKey: ['own', 'events', packet.id_owner], queryFn: () => fetchAll('events', { owner_id: packet.id_owner }) });
  const bind = useMutation({
    mutationFn: (event_id: number) =>
      data(api().POST(`${EM}/event-packet-inclusions/event/{event_id}/packet/{packet_id}`, { params: { path: { event_id, packet_id: packet.id } }, body: {} })),
    onSuccess: () => {
      setEventId(null);
      void queryClient.invalidateQueries();
    },
  });
  const options = (candidates.data ?? [])
    .filter((e) => !bound.some((b) => b.id === e.id))
    .map((e) => ({ value: String(e.id), label: `${e.name}${e.seats ? ` (${e.available_seats} of ${e.seats} free)` : ' (no seats)'}` }));
  return (
    <Stack gap="xs" mt="md">
      <Select label="Add an event to this packet" placeholder="Choose an event" data={options} value={eventId} onChange={setEventId} searchable nothingFoundMessage="No event of this organiser" />
      <ErrorAlert error={bind.error} title="The event was not added" />
      <Button w="fit-content" disabled={!eventId} loading={bind.isPending} onClick={() => eventId && bind.mutate(Number(eventId))}>
        Add to packet
      </Button>
    </Stack>
  );
}

/** Who bought, as the API shows them to organisers (private names come masked), with a CSV export. */
function Customers({ kind, id, name }: { kind: 'events' | 'packets'; id: number; name: string }) {
  const customers = useQuery({
    queryKey: ['customers', kind, id],
    queryFn: () =>
      kind === 'events'
        ? data(api().GET('/api/user-manager/events/{event_id}/customers', { params: { path: { event_id: id } } }))
        : data(api().GET('/api/user-manager/packets/{packet_id}/customers', { params: { path: { packet_id: id } } })),
  });
  const users = customers.data?.users ?? [];
  const exportCsv = () =>
    download(
      `customers-${kind === 'events' ? 'event' : 'packet'}-${id}.csv`,
      toCsv(['id', 'first_name', 'last_name', 'email', 'social_media_links'], users.map((u) => [u.id, u.first_name, u.last_name, u.email, u.social_media_links])),
    );
  return (
    <Card withBorder component="section" aria-labelledby={`customers-${id}`}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id={`customers-${id}`}>Customers of {name}</Title>
        <Button variant="light" onClick={exportCsv} disabled={users.length === 0}>
          Export CSV
        </Button>
      </Group>
      {customers.isPending ? <Loader aria-label="Loading" /> : customers.error ? <ErrorAlert error={customers.error} /> : users.length === 0 ? <Text>No customers yet.</Text> : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Id</Table.Th>
                <Table.Th>First name</Table.Th>
                <Table.Th>Last name</Table.Th>
                <Table.Th>E-mail</Table.Th>
                <Table.Th>Social link</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.id}</Table.Td>
                  <Table.Td>{u.first_name}</Table.Td>
                  <Table.Td>{u.last_name}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>{u.social_media_links ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

function DeleteItem({ kind, id, name }: { kind: 'events' | 'packets'; id: number; name: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (): Promise<unknown> =>
      kind === 'events'
        ? data(api().DELETE(`${EM}/events/{id}`, { params: { path: { id } } }))
        : data(api().DELETE(`${EM}/event-packets/{id}`, { params: { path: { id } } })),
    onSuccess: () => {
      // Everything is stale, but nothing refetches here: this page's queries would ask for what is gone.
      void queryClient.invalidateQueries({ refetchType: 'none' });
      navigate(kind === 'events' ? '/manage' : '/manage?tab=packets');
    },
  });
  return (
    <Stack gap="xs">
      <ErrorAlert error={remove.error} title="Not deleted" />
      <ConfirmButton w="fit-content" label={kind === 'events' ? 'Delete event' : 'Delete packet'} question={`Delete ${name}?`} confirmLabel="Yes, delete" loading={remove.isPending} onConfirm={() => remove.mutate()} />
    </Stack>
  );
}
