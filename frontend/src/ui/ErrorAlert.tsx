import { Alert } from '@mantine/core';
import { errorText } from '../api/errors.ts';

/** Any failure, in the API's own words (its `error` text). */
export function ErrorAlert({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} role="alert">
      {errorText(error)}
    </Alert>
  );
}
