import { Anchor, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, data } from '../api/client.ts';
import { useSession } from '../auth/session.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { TicketQr } from '../ui/TicketQr.tsx';

/** A user's tickets with what each is for and its QR code; cancel frees the seat. Used by admins too. */
export function TicketList({ userId }: { userId: number }) {
  const queryClient = useQueryClient();
  const tickets = useQuery({
    queryKey: ['tickets', userId],
    queryFn: () => data(api().GET('/api/user-manager/clients/{user_id}/tickets', { params: { path: { user_id: userId } } })),
  });
  const cancel = useMutation({
    mutationFn: (code: string) => data(api().DELETE('/api/user-manager/clients/{user_id}/tickets/{code}', { params: { path: { user_id: userId, code } } })),
    onSettled: () => queryClient.invalidateQueries(),
  });
  if (tickets.isPending) return <Loader aria-label="Loading" />;
  if (tickets.error) return <ErrorAlert error={tickets.error} title="Could not load the tickets" />;
  if (tickets.data.tickets.length === 0) {
    return (
      <Text>
        No tickets yet. <Anchor component={Link} to="/events">Find an event</Anchor>
      </Text>
    );
  }
  return (
    <Stack>
      <ErrorAlert error={cancel.error} title="The ticket was not cancelled" />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {tickets.data.tickets.map((t) => {
          const what = t.event ?? t.event_packet;
          const href = t.event_id ? `/events/${t.event_id}` : `/packets/${t.packet_id}`;
          return (
            <Card withBorder key={t.code} component="article" aria-label={`Ticket for ${what?.name ?? 'a removed item'}`}>
              <Group align="flex-start" wrap="nowrap">
                <TicketQr code={t.code} />
                <Stack gap={4}>
                  <Text fw={700}>
                    {what ? <Anchor component={Link} to={href}>{what.name}</Anchor> : 'No longer listed'}
                  </Text>
                  <Text size="sm">{t.event_id ? 'Event' : 'Packet'}{what?.location ? ` · ${what.location}` : ''}</Text>
                  <Text size="xs" style={{ wordBreak: 'break-all' }}>
                    Code: {t.code}
                  </Text>
                  <ConfirmButton
                    size="xs"
                    label="Cancel ticket"
                    question={`Cancel this ticket for ${what?.name ?? 'this item'}? The seat goes back on sale.`}
                    confirmLabel="Yes, cancel it"
                    loading={cancel.isPending && cancel.variables === t.code}
                    onConfirm={() => cancel.mutate(t.code)}
                  />
                </Stack>
              </Group>
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

export function MyTickets() {
  const s = useSession()!;
  return (
    <Stack>
      <Title order={1}>My tickets</Title>
      <TicketList userId={s.userId} />
    </Stack>
  );
}
