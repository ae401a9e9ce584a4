/** How search results read on screen; pure, so the wording and the marking are unit-tested. */
import type { SearchFilters, SearchItemHit, SearchResponse } from '#shared/search';
import type { SearchFacets } from '#shared/library';
import { badgeLabel } from '../library/presentation';

export interface SnippetPart {
  text: string;
  marked: boolean;
}

/**
 * Cuts a snippet into plain and marked runs from the engine's [start, end) ranges. Ranges are
 * clamped, sorted and merged first, so overlapping or out-of-bounds ranges never duplicate or
 * drop text. The result is rendered as text nodes and <mark> elements, never as HTML.
 */
export function snippetParts(snippet: string, highlights: readonly (readonly [number, number])[]): SnippetPart[] {
  const ranges = highlights
    .map(
      ([start, end]) =>
        [Math.max(0, Math.min(start, snippet.length)), Math.max(0, Math.min(end, snippet.length))] as const,
    )
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const [start, end] of merged) {
    if (start > at) parts.push({ text: snippet.slice(at, start), marked: false });
    parts.push({ text: snippet.slice(start, end), marked: true });
    at = end;
  }
  if (at < snippet.length || parts.length === 0) parts.push({ text: snippet.slice(at), marked: false });
  return parts;
}

const wordPattern = /[\p{L}\p{N}'’]+/gu;

/**
 * What the query reads after picking a suggestion. The engine may offer a completion of the last
 * word ("hydramax") or the whole query completed, maybe with earlier words corrected
 * ("comparison hydramax"): a suggestion with as many words as the query replaces it whole; a
 * shorter one replaces only as many trailing words as it has. Either way no word is repeated.
 */
export function applySuggestion(query: string, suggestion: string): string {
  const picked = suggestion.trim();
  const queryWords = [...query.matchAll(wordPattern)];
  const pickedWords = picked.match(wordPattern) ?? [];
  if (pickedWords.length === 0) return query;
  if (pickedWords.length >= queryWords.length) return `${picked} `;
  const trailingEnd = /[\p{L}\p{N}'’]+$/u.test(query);
  // Only words still being typed are replaced; after a space the suggestion adds a word.
  const replaced = trailingEnd ? pickedWords.length : 0;
  const firstReplaced = queryWords[queryWords.length - replaced];
  const head =
    firstReplaced?.index !== undefined && replaced > 0
      ? query.slice(0, firstReplaced.index)
      : query.replace(/\s*$/, query.trim() ? ' ' : '');
  return `${head}${picked} `;
}

/** Completions worth offering: each changes the query, none twice, at most `limit` of them. */
export function usefulSuggestions(query: string, suggestions: readonly string[], limit = 5): string[] {
  const lastWord = (/[\p{L}\p{N}'’]+$/u.exec(query)?.[0] ?? '').toLowerCase();
  if (!lastWord) return [];
  const typed = query.trim().toLowerCase();
  const seen = new Set<string>();
  const out: string[] = [];
  for (const suggestion of suggestions) {
    const key = applySuggestion(query, suggestion).trim().toLowerCase();
    if (key === typed || key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(suggestion);
    if (out.length === limit) break;
  }
  return out;
}

export type FilterGroup = 'kinds' | 'products' | 'collections';

export interface FilterOption {
  group: FilterGroup;
  /** What the engine is sent. */
  value: string;
  label: string;
}

export interface FilterSection {
  group: FilterGroup;
  label: string;
  options: FilterOption[];
}

const groupLabels: Record<FilterGroup, string> = { kinds: 'Type', products: 'Product', collections: 'Collection' };

/**
 * The filter chips the library can actually use: the products, types (marketing's category, or
 * the kind when there is none) and collections that at least one item has, in a stable order;
 * products first, because that is how reps narrow ("only AquaCore 500").
 * A group with a single option filters nothing and is left out.
 */
export function filterSections(facets: SearchFacets): FilterSection[] {
  const sections: FilterSection[] = [
    {
      group: 'products',
      label: groupLabels.products,
      options: [...facets.products]
        .sort((a, b) => a.localeCompare(b))
        .map((value) => ({ group: 'products', value, label: value })),
    },
    {
      group: 'kinds',
      label: groupLabels.kinds,
      options: facets.types
        .map(({ value, kind, category }) => ({ group: 'kinds' as const, value, label: badgeLabel({ kind, category }) }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    },
    {
      group: 'collections',
      label: groupLabels.collections,
      options: facets.collections.map((collection) => ({
        group: 'collections',
        value: collection.id,
        label: collection.title,
      })),
    },
  ];
  return sections.filter((section) => section.options.length > 1);
}

export function isFilterOn(filters: SearchFilters, option: FilterOption): boolean {
  return filters[option.group]?.includes(option.value) ?? false;
}

/** Turns one chip on or off; empty groups are removed so the request stays minimal. */
export function toggleFilter(filters: SearchFilters, option: FilterOption): SearchFilters {
  const current = filters[option.group] ?? [];
  const next = current.includes(option.value)
    ? current.filter((value) => value !== option.value)
    : [...current, option.value];
  const out: SearchFilters = { ...filters };
  if (next.length > 0) out[option.group] = next;
  else delete out[option.group];
  return out;
}

export function activeFilterCount(filters: SearchFilters): number {
  return (
    (filters.kinds?.length ?? 0) +
    (filters.products?.length ?? 0) +
    (filters.collections?.length ?? 0) +
    (filters.tags?.length ?? 0)
  );
}

/** One thing the keyboard can land on in the results: an item, or one of its page hits. */
export type SearchTarget = { type: 'item'; item: SearchItemHit } | { type: 'page'; item: SearchItemHit; page: number };

/** The results in reading order, as ArrowUp/ArrowDown walk them. */
export function searchTargets(response: Pick<SearchResponse, 'items'> | null, pagesPerItem: number): SearchTarget[] {
  if (!response) return [];
  const targets: SearchTarget[] = [];
  for (const item of response.items) {
    targets.push({ type: 'item', item });
    for (const hit of item.pages.slice(0, pagesPerItem)) targets.push({ type: 'page', item, page: hit.page });
  }
  return targets;
}

export function targetKey(target: SearchTarget): string {
  return target.type === 'item' ? `item:${target.item.id}` : `page:${target.item.id}:${target.page}`;
}

/** "3 results" / "1 result" / "No results", for the status line and screen readers. */
export function resultCountLabel(total: number): string {
  if (total === 0) return 'No results';
  return total === 1 ? '1 result' : `${total} results`;
}
