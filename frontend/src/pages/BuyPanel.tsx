import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { isBuyer, useSession } from '../auth/session.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';
import { TicketQr } from '../ui/TicketQr.tsx';
import { buyTicket, type Target } from './purchase.ts';

/** Buy a ticket for an event or a packet; the confirmation shows the ticket's QR code. */
export function BuyPanel({ target, available, name }: { target: Target; available: number | null | undefined; name: string }) {
  const s = useSession();
  const location = useLocation();
  const queryClient = useQueryClient();
  const buy = useMutation({
    mutationFn: () => buyTicket(s!.userId, target),
    onSettled: () => queryClient.invalidateQueries(),
  });

  if (!s) {
    return (
      <Text>
        <Anchor component={Link} to={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>Sign in</Anchor> as a buyer to get a ticket.
      </Text>
    );
  }
  if (!isBuyer(s)) return <Text c="gray.7">Tickets are bought with a buyer account.</Text>;

  if (buy.data) {
    return (
      <Card withBorder role="status" aria-labelledby="bought">
        <Group align="flex-start">
          <TicketQr code={buy.data} size={160} />
          <Stack gap="xs">
            <Title order={2} size="h3" id="bought">You have a ticket</Title>
            <Text>{name}</Text>
            <Text size="sm">
              Ticket code: <code>{buy.data}</code>
            </Text>
            <Text size="sm">Show the QR code at the entrance.</Text>
            <Group>
              <Button component={Link} to="/tickets" variant="light">
                My tickets
              </Button>
              <Button variant="default" onClick={() => buy.reset()} disabled={!available}>
                Buy another
              </Button>
            </Group>
          </Stack>
        </Group>
      </Card>
    );
  }

  const soldOut = available !== undefined && available !== null && available <= 0;
  return (
    <Stack gap="xs">
      {soldOut ? (
        <Alert color="red" title="Sold out">No seats are left.</Alert>
      ) : available === undefined || available === null ? (
        <Text c="gray.7">Tickets are not on sale.</Text>
      ) : null}
      <ErrorAlert error={buy.error} title="No ticket was bought" />
      <Group>
        <Button size="md" onClick={() => buy.mutate()} loading={buy.isPending} disabled={buy.isPending || soldOut || available === undefined || available === null}>
          {buy.error ? 'Try again' : 'Buy ticket'}
        </Button>
      </Group>
    </Stack>
  );
}
