import { Anchor, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { type Event, type EventPage, fetchEvents, fetchPackets, type ListKind, listQuery, ORDER_BY, type Packet, type PacketPage } from '../api/lists.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { Pager } from '../ui/Pager.tsx';
import { SeatsBadge } from '../ui/Seats.tsx';

const ORDER_LABELS: Record<(typeof ORDER_BY)[number], string> = {
  name_asc: 'Name (A–Z)', name_desc: 'Name (Z–A)', seats_asc: 'Fewest seats first', seats_desc: 'Most seats first',
};

/** Anyone: browse and search events or packets; the state (filters, page) lives in the URL. */
export function Catalogue({ kind, manage = false }: { kind: ListKind; manage?: boolean }) {
  const [params, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  // Inside the manage page the tab is part of the URL too.
  const setParams = (next: URLSearchParams) => {
    if (manage && kind === 'packets') next.set('tab', 'packets');
    setSearchParams(next);
  };
  const query = listQuery(params);
  const list = useQuery({
    queryKey: [kind, query],
    queryFn: (): Promise<EventPage | PacketPage> => (kind === 'events' ? fetchEvents(query) : fetchPackets(query)),
    placeholderData: keepPreviousData,
  });
  const items: Array<Event | Packet> = list.data ? ('events' in list.data ? list.data.events : list.data.event_packets) : [];

  return (
    <Stack>
      {!manage && (
        <>
          <Title order={1}>{kind === 'events' ? 'Events' : 'Event packets'}</Title>
          <Tabs value={kind} onChange={(v) => v && navigate(`/${v}`)}>
            <Tabs.List>
              <Tabs.Tab value="events">Events</Tabs.Tab>
              <Tabs.Tab value="packets">Packets</Tabs.Tab>
            </Tabs.List>
          </Tabs>
        </>
      )}
      <SearchForm key={params.toString()} params={params} onSearch={(next) => setParams(next)} />
      <ErrorAlert error={list.error} title="Could not load the list" />
      {list.data && items.length === 0 && <Text>Nothing matches your search.</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} aria-busy={list.isFetching}>
        {items.map((item) => (
          <ItemCard key={item.id} kind={kind} item={item} href={`${manage ? '/manage' : ''}/${kind}/${item.id}`} />
        ))}
      </SimpleGrid>
      {list.data && (
        <Pager links={list.data._links} page={list.data._metadata.page} pages={list.data._metadata.total_pages} onFollow={(q) => setParams(q)} />
      )}
    </Stack>
  );
}

function ItemCard({ kind, item, href }: { kind: ListKind; item: Event | Packet; href: string }) {
  const seats = 'allocated_seats' in item ? item.allocated_seats : item.seats;
  return (
    <Card withBorder component="article" aria-labelledby={`${kind}-${item.id}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Title order={2} size="h4" id={`${kind}-${item.id}`}>
          <Anchor component={Link} to={href}>
            {item.name}
          </Anchor>
        </Title>
        <SeatsBadge available={item.available_seats} />
      </Group>
      <Text size="sm" c="gray.7">{item.location || 'Location not announced'}</Text>
      {item.description && <Text size="sm" lineClamp={3}>{item.description}</Text>}
      <Text size="sm" mt="xs">
        {seats ? `${seats} seats in total` : 'No seats defined'} · organiser #{item.id_owner}
      </Text>
    </Card>
  );
}

function SearchForm({ params, onSearch }: { params: URLSearchParams; onSearch: (p: URLSearchParams) => void }) {
  const q = listQuery(params);
  const [name, setName] = useState(q.name ?? '');
  const [place, setPlace] = useState(q.location ?? '');
  const [min, setMin] = useState(String(q.min_seats ?? ''));
  const [max, setMax] = useState(String(q.max_seats ?? ''));
  const [owner, setOwner] = useState(String(q.owner_id ?? ''));
  const [order, setOrder] = useState<string>(q.order_by ?? '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (name.trim()) next.set('name', name.trim());
    if (place.trim()) next.set('location', place.trim());
    if (min !== '') next.set('min_seats', String(min));
    if (max !== '') next.set('max_seats', String(max));
    if (owner !== '') next.set('owner_id', String(owner));
    if (order) next.set('order_by', order);
    onSearch(next);
  };

  return (
    <form onSubmit={submit} role="search" aria-label="Search">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput label="Location" value={place} onChange={(e) => setPlace(e.currentTarget.value)} />
        <TextInput label="Organiser id" type="number" min={1} inputMode="numeric" value={owner} onChange={(e) => setOwner(e.currentTarget.value)} />
        <TextInput label="At least this many seats" type="number" min={1} inputMode="numeric" value={min} onChange={(e) => setMin(e.currentTarget.value)} />
        <TextInput label="At most this many seats" type="number" min={1} inputMode="numeric" value={max} onChange={(e) => setMax(e.currentTarget.value)} />
        <NativeSelect label="Order by" data={[{ value: '', label: 'Default order' }, ...ORDER_BY.map((value) => ({ value, label: ORDER_LABELS[value] }))]} value={order} onChange={(e) => setOrder(e.currentTarget.value)} />
      </SimpleGrid>
      <Group mt="sm">
        <Button type="submit">Search</Button>
        <Button variant="default" onClick={() => onSearch(new URLSearchParams())}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
