import { Button, type ButtonProps, Group, Modal, Text } from '@mantine/core';
import { useState } from 'react';

/** A button whose action runs only after "Yes" in a dialog. */
export function ConfirmButton({ label, question, confirmLabel, onConfirm, loading, ...props }: ButtonProps & {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  loading?: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button color="red.9" variant="light" {...props} loading={loading} onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label} centered closeButtonProps={{ 'aria-label': 'Close' }}>
        <Text mb="md">{question}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setOpen(false)}>
            Keep it
          </Button>
          <Button color="red.9" onClick={() => { setOpen(false); onConfirm(); }}>
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
