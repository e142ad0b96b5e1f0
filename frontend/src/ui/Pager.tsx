import { Button, Group, Text } from '@mantine/core';

type PageLink = { href: string };
export interface PageLinks {
  first?: PageLink;
  prev?: PageLink;
  next?: PageLink;
  last?: PageLink;
  [rel: string]: PageLink | undefined;
}

/**
 * Paging that follows the list's `_links`: a button exists only when the API offers that link, and
 * choosing it hands on the link's query string (filters and ordering included).
 */
export function Pager({ links, page, pages, onFollow }: { links: PageLinks; page: number; pages: number; onFollow: (query: URLSearchParams) => void }) {
  const follow = (rel: 'first' | 'prev' | 'next' | 'last') => {
    const link = links[rel];
    return link ? () => onFollow(new URL(link.href, location.origin).searchParams) : undefined;
  };
  const buttons = [
    ['first', 'First page', 'First'],
    ['prev', 'Previous page', 'Previous'],
    ['next', 'Next page', 'Next'],
    ['last', 'Last page', 'Last'],
  ] as const;
  return (
    <Group component="nav" aria-label="Pages" gap="xs" justify="center" my="md">
      {buttons.map(([rel, label, text]) => {
        const onClick = follow(rel);
        return (
          <Button key={rel} variant="default" size="compact-sm" aria-label={label} disabled={!onClick || (rel === 'first' && page === 1) || (rel === 'last' && page === pages)} onClick={onClick}>
            {text}
          </Button>
        );
      })}
      <Text size="sm" aria-live="polite">
        Page {page} of {pages}
      </Text>
    </Group>
  );
}
