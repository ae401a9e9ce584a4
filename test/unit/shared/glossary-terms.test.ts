import { describe, expect, it } from 'vitest';
import { createGlossaryMatcher, singularOf, type GlossaryTermSource } from '#shared/glossary-terms';

const glossary: GlossaryTermSource[] = [
  { id: 'lead', term: 'Lead', aliases: ['prospect'] },
  { id: 'qualified-lead', term: 'Qualified lead', aliases: ['SQL', 'sales-qualified lead'] },
  { id: 'opportunity', term: 'Opportunity', aliases: ['deal'] },
  { id: 'account-type', term: 'Account type' },
  { id: 'cafe', term: 'Café partner' },
  { id: 'aquacore', term: 'AquaCore 500' },
];
const matcher = createGlossaryMatcher(glossary);

/** The matched words as written, with the entry they name. */
function found(text: string, m = matcher): [string, string][] {
  return m.find(text).map((match) => [text.slice(match.start, match.end), match.id]);
}

describe('glossary term matching', () => {
  it('finds terms and aliases whatever their case', () => {
    expect(found('Every LEAD is a prospect until a Deal is signed.')).toEqual([
      ['LEAD', 'lead'],
      ['prospect', 'lead'],
      ['Deal', 'opportunity'],
    ]);
  });

  it('finds plurals and possessives, not other inflections', () => {
    expect(found("Leads, opportunities and prospects; the lead’s owner and the leads' source.")).toEqual([
      ['Leads', 'lead'],
      ['opportunities', 'opportunity'],
      ['prospects', 'lead'],
      ['lead’s', 'lead'],
      ['leads', 'lead'],
    ]);
    expect(found('leading, leader, leaded, misleads')).toEqual([]);
    expect(found('Two account types.')).toEqual([['account types', 'account-type']]);
  });

  it('prefers the longest term, and the one that starts first', () => {
    expect(found('Only qualified leads become a lead of record.')).toEqual([
      ['qualified leads', 'qualified-lead'],
      ['lead', 'lead'],
    ]);
    expect(found('A sales-qualified lead; a sales qualified lead.')).toEqual([
      ['sales-qualified lead', 'qualified-lead'],
      ['sales qualified lead', 'qualified-lead'],
    ]);
  });

  it('lets a phrase run over spaces and hyphens only, not punctuation or line ends of sentences', () => {
    expect(found('Qualified\u00a0lead, qualified\n  lead, qualified-lead')).toEqual([
      ['Qualified\u00a0lead', 'qualified-lead'],
      ['qualified\n  lead', 'qualified-lead'],
      ['qualified-lead', 'qualified-lead'],
    ]);
    expect(found('They were qualified. Lead times are short.')).toEqual([['Lead', 'lead']]);
  });

  it('matches whole words only, never inside a word', () => {
    expect(found('Mislead, leadership, plead, unqualified leadership, SQLite, leads2, 3lead')).toEqual([]);
    expect(found('lead.')).toEqual([['lead', 'lead']]);
    expect(found('(lead)')).toEqual([['lead', 'lead']]);
    expect(found('AquaCore 5000 and AquaCore 500.')).toEqual([['AquaCore 500', 'aquacore']]);
  });

  it('folds accents both ways and keeps offsets into the original text', () => {
    expect(found('Ask a cafe partner. Ask a CAFÉ PARTNERS.')).toEqual([
      ['cafe partner', 'cafe'],
      ['CAFÉ PARTNERS', 'cafe'],
    ]);
    // Decomposed accents (e + combining acute) stay inside the match.
    const decomposed = 'x Cafe\u0301 partner y';
    expect(found(decomposed)).toEqual([['Cafe\u0301 partner', 'cafe']]);
    // Characters outside the BMP before a match do not shift it.
    expect(found('🚀🚀 lead 🚀')).toEqual([['lead', 'lead']]);
    // As in search: an accent or a trade mark never hides a word.
    expect(found('Leäd')).toEqual([['Leäd', 'lead']]);
    expect(found('AquaCore™ 500 and AquaCore™500')).toEqual([
      ['AquaCore™ 500', 'aquacore'],
      ['AquaCore™500', 'aquacore'],
    ]);
  });

  it('reads markup as text: it never matches inside tags and its offsets are positions in the string', () => {
    const text = '<b class="lead">qualified <mark>lead</mark></b> & <script>lead()</script>';
    const matches = matcher.find(text);
    // "lead" appears as an attribute value, inside a tag name pair, and as a function name:
    // each is a word of the string, and each match covers exactly those characters.
    for (const match of matches)
      expect(text.slice(match.start, match.end).toLowerCase()).toMatch(/^(qualified )?lead$|^lead$/);
    expect(matches.every((match, index) => index === 0 || match.start >= matches[index - 1]!.end)).toBe(true);
  });

  it('takes a term over another entry’s alias with the same words, and ignores one-letter terms', () => {
    const m = createGlossaryMatcher([
      { id: 'a', term: 'Pipeline', aliases: ['funnel'] },
      { id: 'b', term: 'Funnel', aliases: [] },
      { id: 'c', term: 'X', aliases: ['pipelines'] },
    ]);
    expect(found('funnel x pipelines', m)).toEqual([
      ['funnel', 'b'],
      ['pipelines', 'a'],
    ]);
    expect(m.size).toBe(2);
  });

  it('finds nothing with an empty glossary or text', () => {
    expect(createGlossaryMatcher([]).find('lead')).toEqual([]);
    expect(matcher.find('')).toEqual([]);
  });

  it('stays fast on a long page with many terms', () => {
    const many = Array.from({ length: 2000 }, (_, index) => ({ id: `t${index}`, term: `term${index} word` }));
    const m = createGlossaryMatcher([...many, ...glossary]);
    const page = 'A qualified lead is not yet a deal. '.repeat(20_000);
    const started = performance.now();
    const matches = m.find(page);
    expect(matches).toHaveLength(40_000);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('singularises regularly', () => {
    expect(
      ['leads', 'opportunities', 'boxes', 'classes', 'branches', 'business', 'status', 'analysis', 'gas', 'v2s'].map(
        singularOf,
      ),
    ).toEqual(['lead', 'opportunity', 'box', 'class', 'branch', 'business', 'status', 'analysis', 'gas', 'v2s']);
  });
});
