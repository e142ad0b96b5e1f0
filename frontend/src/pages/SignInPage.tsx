import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { signIn } from '../auth/identity.ts';
import { session } from '../auth/session.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';

/** Only paths of this app (never another site) are followed after sign-in. */
export const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/events');

export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [ended] = useState(() => session.endedByApi());
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email.trim(), password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper maw={420} mx="auto" p="lg" withBorder>
      <Title order={1} mb="md">Sign in</Title>
      {ended && (
        <Alert color="orange" title="Your session has ended" mb="md">
          You were signed out (the session expired or was revoked). Sign in again to continue where you were.
        </Alert>
      )}
      {params.get('registered') && <Alert color="green" mb="md" title="Account created">You can sign in now.</Alert>}
      <form onSubmit={submit}>
        <Stack>
          <TextInput label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <ErrorAlert error={error} title="Could not sign in" />
          <Button type="submit" loading={busy}>Sign in</Button>
        </Stack>
      </form>
      <Text mt="md" size="sm">
        New here? <Anchor component={Link} to="/register">Create an account</Anchor>
      </Text>
    </Paper>
  );
}
