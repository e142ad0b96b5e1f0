/**
 * Listing rules shared by the events and packets lists (ORIGINAL §5.1 E5, §5.2 P5, CONTRACT F11,
 * F17): orderings, page sizes and the escaping that turns a filter into a literal substring (the
 * pagination links: shared/http/paging.ts).
 */

export const ORDER_BY = ['name_asc', 'name_desc', 'seats_asc', 'seats_desc'] as const;
export type OrderBy = (typeof ORDER_BY)[number];
export const ORDER_BY_MESSAGE = 'invalid order by. valid options: name_asc/desc, seats_asc/desc';

export const DEFAULT_PAGE = 1;
export const DEFAULT_PER_PAGE = 10;
export const MAX_PER_PAGE = 100;

export interface Paging {
  page: number;
  perPage: number;
}

/** A LIKE pattern matching `text` literally anywhere (escape character `\`). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
