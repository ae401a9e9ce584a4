/**
 * Text with the glossary's terms picked out, for drawing them underlined on top of the search
 * highlights. Pure, so the cutting is unit-tested: every character of the input comes out once,
 * in order, as text (never as HTML).
 */
import type { GlossaryEntry } from '#shared/library';
import { createGlossaryMatcher, type GlossaryMatcher } from '#shared/glossary-terms';
import { snippetParts, type SnippetPart } from '../search/presentation';

/** The release's glossary, ready to find its terms and answer with a definition. */
export interface GlossaryLookup {
  matcher: GlossaryMatcher;
  entries: ReadonlyMap<string, GlossaryEntry>;
}

export function glossaryLookup(entries: readonly GlossaryEntry[]): GlossaryLookup {
  return { matcher: createGlossaryMatcher(entries), entries: new Map(entries.map((entry) => [entry.id, entry])) };
}

/** A run of text that is either plain or one glossary term; inside, the search marks. */
export interface TermSegment {
  /** The entry this run names, or null for text between terms. */
  entryId: string | null;
  parts: SnippetPart[];
}

/**
 * Cuts `text` at the glossary's terms, keeping the search highlights inside each piece: a mark
 * that crosses a term's edge is split in two, so terms and marks nest instead of overlapping.
 * Terms the lookup has no entry for are left as plain text.
 */
export function termSegments(
  text: string,
  highlights: readonly (readonly [number, number])[],
  lookup: GlossaryLookup | null,
): TermSegment[] {
  const matches = lookup ? lookup.matcher.find(text).filter((match) => lookup.entries.has(match.id)) : [];
  const parts = snippetParts(text, highlights);
  if (matches.length === 0) return [{ entryId: null, parts }];

  // Where each part starts, so a part can be sliced at term edges.
  const offsets: number[] = [];
  let at = 0;
  for (const part of parts) {
    offsets.push(at);
    at += part.text.length;
  }
  const slice = (start: number, end: number): SnippetPart[] => {
    const out: SnippetPart[] = [];
    parts.forEach((part, index) => {
      const from = Math.max(start, offsets[index]!);
      const to = Math.min(end, offsets[index]! + part.text.length);
      if (to > from)
        out.push({ text: part.text.slice(from - offsets[index]!, to - offsets[index]!), marked: part.marked });
    });
    return out;
  };

  const segments: TermSegment[] = [];
  let cursor = 0;
  for (const match of matches) {
    if (match.start > cursor) segments.push({ entryId: null, parts: slice(cursor, match.start) });
    segments.push({ entryId: match.id, parts: slice(match.start, match.end) });
    cursor = match.end;
  }
  if (cursor < text.length) segments.push({ entryId: null, parts: slice(cursor, text.length) });
  return segments;
}
