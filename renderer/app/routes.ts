/**
 * Hash routes, so the browser/Electron Back button and deep links work without a server:
 * `#/` home, `#/item/<id>`, `#/item/<id>/page/<n>`, `#/glossary/<id>`, `#/sync`, `#/privacy` (what is recorded about the rep), `#/collection/<id>` (a collection's "See all" grid), `#/connect?studio=…&code=…` (the connect screen filled in from an enrolment link).
 * An item opened from search carries the query (`#/item/<id>/page/<n>?q=twin+train`) so the
 * viewer can highlight its terms on the page. Pitches, presenting and the usage report have
 * theirs in ../presenting/routes.
 */
import { connectRouteHash, readEnrolLink, type EnrolLink } from '#shared/enrol-link';
import { formatPresentingRoute, parsePresentingRoute, type PresentingRoute } from '../presenting/routes';
import { formatQuizzesRoute, parseQuizzesRoute, type QuizzesRoute } from '../quizzes/routes';
import { formatRehearseRoute, parseRehearseRoute, type RehearseRoute } from '../rehearse/routes';

export type Route =
  | { name: 'home' }
  | { name: 'item'; id: string; page: number | null; query?: string }
  | { name: 'glossary'; id: string }
  | { name: 'sync' }
  | { name: 'privacy' }
  | { name: 'collection'; id: string }
  | ({ name: 'connect' } & EnrolLink)
  | PresentingRoute
  | RehearseRoute
  | QuizzesRoute;

export const homeRoute: Route = { name: 'home' };

function decode(segment: string | undefined): string | null {
  if (!segment) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The search query of `?q=...` after a route, or undefined when absent, empty or malformed. */
function parseQuery(search: string): string | undefined {
  if (!search) return undefined;
  try {
    const query = new URLSearchParams(search).get('q')?.trim();
    return query ? query : undefined;
  } catch {
    return undefined;
  }
}

function itemRoute(id: string, page: number | null, query: string | undefined): Route {
  return query === undefined ? { name: 'item', id, page } : { name: 'item', id, page, query };
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const mark = raw.indexOf('?');
  const path = (mark === -1 ? raw : raw.slice(0, mark)).replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = path.split('/');
  if (parts[0] === 'item') {
    const id = decode(parts[1]);
    if (!id) return homeRoute;
    const query = mark === -1 ? undefined : parseQuery(raw.slice(mark + 1));
    if (parts.length === 4 && parts[2] === 'page' && /^\d{1,5}$/.test(parts[3] ?? '')) {
      const page = Number(parts[3]);
      return itemRoute(id, page >= 1 ? page : null, query);
    }
    return itemRoute(id, null, query);
  }
  if (parts[0] === 'glossary') {
    const id = decode(parts[1]);
    return id && parts.length === 2 ? { name: 'glossary', id } : homeRoute;
  }
  if (parts[0] === 'sync' && parts.length === 1) return { name: 'sync' };
  if (parts[0] === 'privacy' && parts.length === 1) return { name: 'privacy' };
  if (parts[0] === 'collection') {
    const id = decode(parts[1]);
    return id && parts.length === 2 ? { name: 'collection', id } : homeRoute;
  }
  if (parts[0] === 'connect' && parts.length === 1 && mark !== -1) {
    // Read as the enrolment link it came from, so a hand-typed route passes the same checks.
    const link = readEnrolLink(`pitchcase-enrol://connect?${raw.slice(mark + 1)}`);
    return link ? { name: 'connect', ...link } : homeRoute;
  }
  return parseRehearseRoute(parts) ?? parseQuizzesRoute(parts) ?? parsePresentingRoute(parts) ?? homeRoute;
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'item': {
      const base = `#/item/${encodeURIComponent(route.id)}`;
      const path = route.page && route.page > 1 ? `${base}/page/${route.page}` : base;
      const query = route.query?.trim();
      return query ? `${path}?${new URLSearchParams({ q: query }).toString()}` : path;
    }
    case 'glossary':
      return `#/glossary/${encodeURIComponent(route.id)}`;
    case 'sync':
      return '#/sync';
    case 'privacy':
      return '#/privacy';
    case 'collection':
      return `#/collection/${encodeURIComponent(route.id)}`;
    case 'connect':
      return connectRouteHash(route);
    case 'rehearse':
      return formatRehearseRoute(route);
    case 'quizzes':
      return formatQuizzesRoute(route);
    default:
      return formatPresentingRoute(route);
  }
}
