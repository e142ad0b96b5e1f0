import { Anchor, Button, Paper, PasswordInput, Radio, Stack, Text, TextInput, Title, Group } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { register } from '../auth/identity.ts';
import { ErrorAlert } from '../ui/ErrorAlert.tsx';

/** Anyone: an account to buy tickets (client) or to run events (organiser). */
export function RegisterPage() {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [role, setRole] = useState<'client' | 'owner'>('client');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const mismatch = confirm.length > 0 && confirm !== password ? 'The passwords differ' : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(undefined);
    try {
      await register(email.trim(), password, role);
      navigate('/sign-in?registered=1');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper maw={460} mx="auto" p="lg" withBorder>
      <Title order={1} mb="md">Create an account</Title>
      <form onSubmit={submit}>
        <Stack>
          <Radio.Group label="I want to" value={role} onChange={(v) => setRole(v as 'client' | 'owner')}>
            <Group mt="xs">
              <Radio value="client" label="Buy tickets" />
              <Radio value="owner" label="Organise events" />
            </Group>
          </Radio.Group>
          <TextInput label="E-mail" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label="Password" description="At least 8 characters" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <PasswordInput label="Repeat the password" autoComplete="new-password" required value={confirm} error={mismatch} onChange={(e) => setConfirm(e.currentTarget.value)} />
          <ErrorAlert error={error} title="Could not create the account" />
          <Button type="submit" loading={busy}>Create account</Button>
        </Stack>
      </form>
      <Text mt="md" size="sm">
        Already registered? <Anchor component={Link} to="/sign-in">Sign in</Anchor>
      </Text>
    </Paper>
  );
}
