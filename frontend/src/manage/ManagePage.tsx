import { Anchor, Card, Loader, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, data } from '../api/client.ts';
import { type Event, fetchAll, type ListKind, type Packet } from '../api/lists.ts';
import { useSession } from '../auth/session.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { SeatsBadge } from '../ui/Seats.tsx';
import { ItemForm, type ItemFields } from './ItemForm.tsx';
import { Catalogue } from '../pages/Catalogue.tsx';

/** Organiser: every one of my events and packets (all pages, by owner_id), and new ones. Admin: all organisers'. */
export default function ManagePage() {
  const s = useSession()!;
  const [params, setParams] = useSearchParams();
  const kind: ListKind = params.get('tab') === 'packets' ? 'packets' : 'events';
  return (
    <Stack>
      <Title order={1}>{s.role === 'admin' ? 'Events and packets of all organisers' : 'My events and packets'}</Title>
      <Tabs value={kind} onChange={(v) => setParams(v === 'packets' ? { tab: 'packets' } : {})}>
        <Tabs.List>
          <Tabs.Tab value="events">Events</Tabs.Tab>
          <Tabs.Tab value="packets">Packets</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <CreateItem key={kind} kind={kind} />
      {s.role === 'admin' ? <AdminList kind={kind} /> : <OwnList kind={kind} ownerId={s.userId} />}
    </Stack>
  );
}

function CreateItem({ kind }: { kind: ListKind }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: async (fields: ItemFields) =>
      kind === 'events'
        ? (await data(api().POST('/api/event-manager/events', { body: fields }))).event.id
        : (await data(api().POST('/api/event-manager/event-packets', { body: fields }))).event_packet.id,
    onSuccess: (id) => {
      void queryClient.invalidateQueries();
      navigate(`/manage/${kind}/${id}`);
    },
  });
  return (
    <Card withBorder>
      <Title order={2} size="h3" mb="sm">
        {kind === 'events' ? 'New event' : 'New packet'}
      </Title>
      <ItemForm kind={kind} onSubmit={(f) => create.mutate(f)} pending={create.isPending} error={create.error} submitLabel={kind === 'events' ? 'Create event' : 'Create packet'} />
    </Card>
  );
}

/** The admin sees every organiser's items: the searchable, paged catalogue, linking to the editors. */
function AdminList({ kind }: { kind: ListKind }) {
  return <Catalogue kind={kind} manage />;
}

function OwnList({ kind, ownerId }: { kind: ListKind; ownerId: number }) {
  const list = useQuery({ queryKey: ['own', kind, ownerId], queryFn: () => fetchAll(kind, { owner_id: ownerId }) });
  if (list.isPending) return <Loader aria-label="Loading" />;
  if (list.error) return <ErrorAlert error={list.error} />;
  if (list.data.length === 0) return <Text>None yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped aria-label={kind === 'events' ? 'My events' : 'My packets'}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Location</Table.Th>
            <Table.Th>Seats</Table.Th>
            <Table.Th>Left</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data as Array<Event | Packet>).map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td>
                <Anchor component={Link} to={`/manage/${kind}/${item.id}`}>{item.name}</Anchor>
              </Table.Td>
              <Table.Td>{item.location ?? '—'}</Table.Td>
              <Table.Td>{('allocated_seats' in item ? item.allocated_seats : item.seats) ?? '—'}</Table.Td>
              <Table.Td>
                <SeatsBadge available={item.available_seats} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
