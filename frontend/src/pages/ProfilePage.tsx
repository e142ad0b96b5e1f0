import { Alert, Button, Checkbox, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, data } from '../api/client.ts';
import { fieldError } from '../api/errors.ts';
import type { components } from '../api/schema';
import { signOut } from '../auth/identity.ts';
import { useSession } from '../auth/session.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';

type User = components['schemas']['User'];

export const useProfile = (userId: number) =>
  useQuery({ queryKey: ['profile', userId], queryFn: () => data(api().GET('/api/user-manager/users/{id}', { params: { path: { id: userId } } })) });

/** Names, social link and privacy flags; each API field error under its field. */
export function ProfileForm({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [first, setFirst] = useState(user.first_name);
  const [last, setLast] = useState(user.last_name);
  const [social, setSocial] = useState(user.social_media_links ?? '');
  const [firstPrivate, setFirstPrivate] = useState(user.first_name_private);
  const [lastPrivate, setLastPrivate] = useState(user.last_name_private);
  const save = useMutation({
    mutationFn: () =>
      data(
        api().PATCH('/api/user-manager/users/{id}', {
          params: { path: { id: user.id } },
          body: {
            first_name: first,
            last_name: last,
            ...(social.trim() ? { social_media_links: social.trim() } : {}),
            first_name_private: firstPrivate,
            last_name_private: lastPrivate,
          },
        }),
      ),
    onSuccess: (res) => queryClient.setQueryData(['profile', user.id], res),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const fieldless = save.error && !['first_name', 'last_name', 'social_media_links'].some((f) => fieldError(save.error, f)) ? save.error : undefined;
  return (
    <form onSubmit={submit} aria-label="Profile">
      <Stack>
        <Text>E-mail: {user.email}</Text>
        <TextInput label="First name" value={first} onChange={(e) => setFirst(e.currentTarget.value)} error={fieldError(save.error, 'first_name')} />
        <TextInput label="Last name" value={last} onChange={(e) => setLast(e.currentTarget.value)} error={fieldError(save.error, 'last_name')} />
        <TextInput label="Social media link" value={social} onChange={(e) => setSocial(e.currentTarget.value)} error={fieldError(save.error, 'social_media_links')} />
        <Checkbox label="Hide my first name from organisers" checked={firstPrivate} onChange={(e) => setFirstPrivate(e.currentTarget.checked)} />
        <Checkbox label="Hide my last name from organisers" checked={lastPrivate} onChange={(e) => setLastPrivate(e.currentTarget.checked)} />
        <ErrorAlert error={fieldless} title="Not saved" />
        {save.isSuccess && <Alert color="green" role="status">Saved.</Alert>}
        <Button type="submit" loading={save.isPending} w="fit-content">
          Save profile
        </Button>
      </Stack>
    </form>
  );
}

export function ProfilePage() {
  const s = useSession()!;
  const navigate = useNavigate();
  const profile = useProfile(s.userId);
  const remove = useMutation({
    mutationFn: () => data(api().DELETE('/api/user-manager/users/{id}', { params: { path: { id: s.userId } } })),
    onSuccess: () => signOut().finally(() => navigate('/events')),
  });
  return (
    <Stack maw={560}>
      <Title order={1}>Profile</Title>
      {profile.isPending ? <Loader aria-label="Loading" /> : profile.error ? <ErrorAlert error={profile.error} /> : <ProfileForm user={profile.data.user} />}
      <Paper withBorder p="md" mt="lg">
        <Title order={2} size="h4">Delete account</Title>
        <Text size="sm" mb="sm">Your profile and sign-in go away; this cannot be undone.</Text>
        <ErrorAlert error={remove.error} title="The account was not deleted" />
        <ConfirmButton label="Delete my account" question="Delete your account for good?" confirmLabel="Yes, delete it" loading={remove.isPending} onConfirm={() => remove.mutate()} />
      </Paper>
    </Stack>
  );
}
