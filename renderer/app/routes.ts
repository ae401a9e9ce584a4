/**
 * Hash routes, so the browser/Electron Back button and deep links work without a server:
 * `#/` home, `#/item/<id>`, `#/item/<id>/page/<n>`, `#/glossary/<id>`.
 * Search and pitches add their routes here later.
 */
export type Route =
  | { name: 'home' }
  | { name: 'item'; id: string; page: number | null }
  | { name: 'glossary'; id: string };

export const homeRoute: Route = { name: 'home' };

function decode(segment: string | undefined): string | null {
  if (!segment) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = path.split('/');
  if (parts[0] === 'item') {
    const id = decode(parts[1]);
    if (!id) return homeRoute;
    if (parts.length === 2) return { name: 'item', id, page: null };
    if (parts.length === 4 && parts[2] === 'page' && /^\d{1,5}$/.test(parts[3] ?? '')) {
      const page = Number(parts[3]);
      return { name: 'item', id, page: page >= 1 ? page : null };
    }
    return { name: 'item', id, page: null };
  }
  if (parts[0] === 'glossary') {
    const id = decode(parts[1]);
    return id && parts.length === 2 ? { name: 'glossary', id } : homeRoute;
  }
  return homeRoute;
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'item': {
      const base = `#/item/${encodeURIComponent(route.id)}`;
      return route.page && route.page > 1 ? `${base}/page/${route.page}` : base;
    }
    case 'glossary':
      return `#/glossary/${encodeURIComponent(route.id)}`;
  }
}
