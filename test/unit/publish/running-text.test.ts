import { describe, expect, it } from 'vitest';
import { stripRunningText } from '#publish/pdf';

describe('running headers and footers', () => {
  it('are removed from every page but the first, digits aside', () => {
    const bodies = ['Why pure water', 'How it works', 'Specifications'];
    const pages = bodies.map((body, i) => `ACME Systems brochure\nPage ${i + 1} of 3\n${body}`);
    expect(stripRunningText(pages)).toEqual([pages[0], 'How it works', 'Specifications']);
  });

  it('keep lines that only some pages share', () => {
    const pages = ['Intro\nSpecifications', 'Specifications\nFlow 500 l/h', 'Results', 'Contact', 'Next steps'];
    expect(stripRunningText(pages)).toEqual(pages);
  });

  it('leave a one-page document alone', () => {
    expect(stripRunningText(['Title\nPage 1 of 1'])).toEqual(['Title\nPage 1 of 1']);
  });
});
