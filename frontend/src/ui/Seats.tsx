import { Badge } from '@mantine/core';

/**
 * Seats left, with an unmistakable sold-out state. `available` undefined/null: nothing on sale.
 * Filled badges in dark shades: white text on them keeps WCAG AA contrast (≥ 4.5:1).
 */
export function SeatsBadge({ available }: { available: number | null | undefined }) {
  if (available === undefined || available === null) return <Badge variant="filled" color="gray.7">Not on sale</Badge>;
  if (available <= 0) return <Badge variant="filled" color="red.9" size="lg">Sold out</Badge>;
  return <Badge variant="filled" color="teal.9">{available === 1 ? '1 seat left' : `${available} seats left`}</Badge>;
}
