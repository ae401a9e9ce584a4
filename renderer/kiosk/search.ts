/** The kiosk's search: every word typed must start a word of an item's title, description, tags or products. */
import type { ItemSummary } from '#shared/library';

function words(text: string): string[] {
  return text
    .toLocaleLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export function filterKioskItems(items: readonly ItemSummary[], query: string): ItemSummary[] {
  const wanted = words(query);
  if (wanted.length === 0) return [...items];
  return items.filter((item) => {
    const haystack = words([item.title, item.description, item.category ?? '', ...item.tags, ...item.products].join(' '));
    return wanted.every((word) => haystack.some((candidate) => candidate.startsWith(word)));
  });
}
