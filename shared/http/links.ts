import { apiUrl, type Link, link } from '../kernel/links.ts';
import { type Handler, type PathParams, pathOf, routeOf } from '../routes.ts';

/**
 * A link (F16) to the route `handler` serves: that route's method, and its path from the route table
 * with `params` filled, under the public base URL. So an href cannot name a route that does not exist.
 */
export const routeLink = (rel: string, title: string, handler: Handler, params?: PathParams, query?: Parameters<typeof apiUrl>[1]): Link =>
  link(rel, routeOf(handler).method, title, apiUrl(pathOf(handler, params), query));
