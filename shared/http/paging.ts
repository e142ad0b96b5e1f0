import type { Links } from '../kernel/links.ts';
import type { Handler } from '../routes.ts';
import { routeLink } from './links.ts';

/**
 * Paging of a list answer (ORIGINAL §5.1 E5, and the audit list like it): which pages get a link,
 * the links (each keeping the list's filters) and `_metadata`.
 */

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

const TITLES = { self: 'Current page', first: 'First page', prev: 'Previous page', next: 'Next page', last: 'Last page' };

/** The pagination links of one page of the list `list` serves (`query(n)`: page n's query) and its `_metadata`. */
export function paging(list: Handler, at: { page: number; perPage: number; total: number }, query: (page: number) => Record<string, string | number | undefined>) {
  const links: Links = {};
  for (const [rel, number] of Object.entries(pageNumbers(at.page, at.total, at.perPage))) {
    links[rel] = routeLink(rel, TITLES[rel as keyof typeof TITLES], list, {}, query(number));
  }
  return { links, metadata: { page: at.page, per_page: at.perPage, total_items: at.total, total_pages: totalPages(at.total, at.perPage) } };
}
