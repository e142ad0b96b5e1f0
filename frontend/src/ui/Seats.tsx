import { Badge } from '@mantine/core';

/** Seats left, with an unmistakable sold-out state. `available` undefined/null: nothing on sale. */
export function SeatsBadge({ available }: { available: number | null | undefined }) {
  if (available === undefined || available === null) return <Badge variant="light" color="gray.9">Not on sale</Badge>;
  if (available <= 0) return <Badge variant="light" color="red.9" size="lg">Sold out</Badge>;
  return <Badge variant="light" color="green.9">{available === 1 ? '1 seat left' : `${available} seats left`}</Badge>;
}
