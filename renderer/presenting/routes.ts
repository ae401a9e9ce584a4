/**
 * The presenting screens' hash routes, parsed and formatted here and plugged into the app's
 * router: `#/pitches` (the list), `#/pitches/new` and `#/pitches/<id>` (the builder),
 * `#/present/<id>` (presenter mode, then the meeting wrap-up), `#/meetings` (meetings saved for
 * later), `#/meetings/<id>` (completing one) and `#/report` (usage report).
 */
export type PresentingRoute =
  | { name: 'pitches' }
  | { name: 'pitch'; id: string | null }
  | { name: 'present'; id: string }
  | { name: 'meetings' }
  | { name: 'meeting'; id: string }
  | { name: 'report' };

function decode(segment: string | undefined): string | null {
  if (!segment) return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The route for the path's segments, or null when the path is not one of these screens. */
export function parsePresentingRoute(parts: readonly string[]): PresentingRoute | null {
  const [first, second] = parts;
  if (first === 'pitches') {
    if (parts.length === 1) return { name: 'pitches' };
    if (parts.length !== 2) return null;
    if (second === 'new') return { name: 'pitch', id: null };
    const id = decode(second);
    return id ? { name: 'pitch', id } : null;
  }
  if (first === 'present' && parts.length === 2) {
    const id = decode(second);
    return id ? { name: 'present', id } : null;
  }
  if (first === 'meetings') {
    if (parts.length === 1) return { name: 'meetings' };
    const id = parts.length === 2 ? decode(second) : null;
    return id ? { name: 'meeting', id } : null;
  }
  if (first === 'report' && parts.length === 1) return { name: 'report' };
  return null;
}

export function formatPresentingRoute(route: PresentingRoute): string {
  switch (route.name) {
    case 'pitches':
      return '#/pitches';
    case 'pitch':
      return route.id === null ? '#/pitches/new' : `#/pitches/${encodeURIComponent(route.id)}`;
    case 'present':
      return `#/present/${encodeURIComponent(route.id)}`;
    case 'meetings':
      return '#/meetings';
    case 'meeting':
      return `#/meetings/${encodeURIComponent(route.id)}`;
    case 'report':
      return '#/report';
  }
}

/**
 * The audience screen of a presentation, `#/audience/<sessionId>`: a window of its own (the
 * second display, or a second browser window), outside the app's router and chrome.
 */
export function parseAudienceHash(hash: string): string | null {
  const match = /^#\/audience\/([^/?#]+)\/?$/.exec(hash);
  return match ? decode(match[1]) : null;
}

export function formatAudienceHash(sessionId: string): string {
  return `#/audience/${encodeURIComponent(sessionId)}`;
}
