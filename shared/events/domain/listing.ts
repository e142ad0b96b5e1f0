/**
 * Listing rules shared by the events and packets lists (ORIGINAL §5.1 E5, §5.2 P5, CONTRACT F11,
 * F17): orderings, paging arithmetic and the escaping that turns a filter into a literal substring.
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

/** `total_pages`: ceil(total / per_page), at least 1 (the original's rule). */
export const totalPages = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));

/**
 * Which pagination links a page gets (E5): self and first always, prev after page 1, next before
 * the last page, last when there is more than one page.
 */
export function pageNumbers(page: number, total: number, perPage: number) {
  const pages = totalPages(total, perPage);
  return {
    self: page,
    first: 1,
    ...(page > 1 ? { prev: page - 1 } : {}),
    ...(page < pages ? { next: page + 1 } : {}),
    ...(pages > 1 ? { last: pages } : {}),
  } as { self: number; first: number; prev?: number; next?: number; last?: number };
}

/** A LIKE pattern matching `text` literally anywhere (escape character `\`). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
