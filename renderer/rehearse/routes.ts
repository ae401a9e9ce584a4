/** The Rehearse screen's hash routes: `#/rehearse` (pick a prompt) and `#/rehearse/<promptId>`. */
export type RehearseRoute = { name: 'rehearse'; promptId: string | null };

export function parseRehearseRoute(parts: readonly string[]): RehearseRoute | null {
  if (parts[0] !== 'rehearse') return null;
  if (parts.length === 1) return { name: 'rehearse', promptId: null };
  if (parts.length !== 2 || !parts[1]) return null;
  try {
    return { name: 'rehearse', promptId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

export function formatRehearseRoute(route: RehearseRoute): string {
  return route.promptId === null ? '#/rehearse' : `#/rehearse/${encodeURIComponent(route.promptId)}`;
}
