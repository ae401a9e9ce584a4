import { describe, expect, it } from 'vitest';
import type { GlossaryEntry } from '#shared/library';
import { glossaryLookup, termSegments, type TermSegment } from '../../../renderer/glossary/term-text';

const entries: GlossaryEntry[] = [
  { id: 'lead', term: 'Lead', definition: 'Someone interested.', aliases: [] },
  { id: 'qualified-lead', term: 'Qualified lead', definition: 'A checked lead.', aliases: [] },
];
const lookup = glossaryLookup(entries);

/** Segments as compact strings: terms in {id:...}, marks in [...]. */
function show(segments: TermSegment[]): string {
  return segments
    .map((segment) => {
      const inner = segment.parts.map((part) => (part.marked ? `[${part.text}]` : part.text)).join('');
      return segment.entryId ? `{${segment.entryId}:${inner}}` : inner;
    })
    .join('');
}

function text(segments: TermSegment[]): string {
  return segments.flatMap((segment) => segment.parts.map((part) => part.text)).join('');
}

describe('glossary terms in a snippet', () => {
  it('wraps terms around the search marks inside them', () => {
    const snippet = 'Only qualified leads are converted.';
    expect(show(termSegments(snippet, [[15, 20]], lookup))).toBe(
      'Only {qualified-lead:qualified [leads]} are converted.',
    );
  });

  it('splits a mark that crosses a term edge instead of overlapping it', () => {
    const snippet = 'Every lead counts';
    // The engine marked "ry lead co" (say, a phrase match): the term cuts it in three.
    expect(show(termSegments(snippet, [[3, 13]], lookup))).toBe('Eve[ry ]{lead:[lead]}[ co]unts');
  });

  it('keeps every character exactly once, whatever the ranges', () => {
    const snippet = 'A lead, a qualified lead and a lead again.';
    const cases: [number, number][][] = [
      [],
      [[0, 100]],
      [
        [-5, 3],
        [2, 9],
        [30, 34],
      ],
      [[9, 9]],
      [
        [40, 41],
        [0, 1],
      ],
    ];
    for (const highlights of cases) expect(text(termSegments(snippet, highlights, lookup))).toBe(snippet);
  });

  it('leaves markup in a snippet as text: a term next to it is still found, nothing is parsed', () => {
    const snippet = '<img src=x onerror=alert(1)> a lead </mark><script>x</script>';
    const segments = termSegments(snippet, [[0, 5]], lookup);
    expect(text(segments)).toBe(snippet);
    expect(show(segments)).toBe('[<img ]src=x onerror=alert(1)> a {lead:lead} </mark><script>x</script>');
  });

  it('shows plain text without a glossary, and ignores matches for entries it cannot show', () => {
    expect(termSegments('a lead', [[2, 6]], null)).toEqual([
      {
        entryId: null,
        parts: [
          { text: 'a ', marked: false },
          { text: 'lead', marked: true },
        ],
      },
    ]);
    const partial = { matcher: lookup.matcher, entries: new Map([['qualified-lead', entries[1]!]]) };
    expect(show(termSegments('a lead, a qualified lead', [], partial))).toBe(
      'a lead, a {qualified-lead:qualified lead}',
    );
  });
});
