import { Button, Card, Group, Loader, NumberInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { TicketList } from '../pages/MyTickets.tsx';
import { ProfileForm, useProfile } from '../pages/ProfilePage.tsx';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';

/** Admin: find a user by id (ids appear in customer lists and on the organiser's items); profile and tickets, cancel any. */
export default function AdminPage() {
  const [params, setParams] = useSearchParams();
  const userId = Number(params.get('user') ?? 0) || undefined;
  const [input, setInput] = useState<string | number>(userId ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (input !== '') setParams({ user: String(input) });
  };
  return (
    <Stack>
      <Title order={1}>Users and tickets</Title>
      <form onSubmit={submit} role="search" aria-label="Find a user">
        <Group align="flex-end">
          <NumberInput label="User id" min={1} allowDecimal={false} value={input} onChange={setInput} />
          <Button type="submit">Find</Button>
        </Group>
      </form>
      {userId && <UserView key={userId} userId={userId} />}
    </Stack>
  );
}

function UserView({ userId }: { userId: number }) {
  const profile = useProfile(userId);
  return (
    <Stack>
      <Card withBorder>
        <Title order={2} size="h3" mb="sm">Profile of user #{userId}</Title>
        {profile.isPending ? <Loader aria-label="Loading" /> : profile.error ? <ErrorAlert error={profile.error} /> : <ProfileForm user={profile.data.user} />}
      </Card>
      <Title order={2} size="h3">Tickets</Title>
      {profile.data ? <TicketList userId={userId} /> : <Text>—</Text>}
    </Stack>
  );
}
