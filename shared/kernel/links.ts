import { httpConfig } from './config.ts';

/**
 * HATEOAS links (ORIGINAL §2.6, CONTRACT F16): absolute URLs under the configured public base URL,
 * with the key `title` (lowercase) everywhere. Links name their route through the route table
 * (`routeLink` of shared/http/links.ts); the kernel knows no paths.
 */
export interface Link {
  href: string;
  rel: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  title: string;
}

export type Links = Record<string, Link>;

/** Absolute URL of an API path (`/api/event-manager/events/1`), with an optional query. */
export function apiUrl(path: string, query?: Record<string, string | number | undefined>): string {
  const url = `${httpConfig().publicBaseUrl}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${url}?${text}` : url;
}

export const link = (rel: string, method: Link['method'], title: string, href: string): Link => ({ href, rel, method, title });
