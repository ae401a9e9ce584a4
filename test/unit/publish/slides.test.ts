import { describe, expect, it } from 'vitest';
import { fingerprint, PresentationReadError, readOdpSlides, readPptxSlides } from '#publish/convert/slides';
import { makeDeck, makeOdp } from '../../support/office.ts';

/**
 * The slide facts publishing reads from a presentation's own XML: titles, speaker notes, hidden
 * slides and an identity per slide, from PowerPoint and OpenDocument packages the test writes.
 */
const slides = [
  { title: 'Why Brightwater', body: 'Reverse osmosis\nwithout the waste', notes: 'Ask about their filters' },
  { title: 'Internal margins', body: 'Margin table', notes: 'Never show this', hidden: true },
  { title: 'Pricing & tiers', body: 'Starter <growth> fleet', notes: 'Volume discount\nthen the pilot' },
  { title: 'Next steps', body: 'A pilot at one plant' },
];

describe('OpenDocument presentation slides', () => {
  it('reads titles, notes, hidden slides and the words of every slide in order', () => {
    const facts = readOdpSlides(makeOdp(slides));
    expect(facts.map((s) => [s.title, s.hidden, s.notes])).toEqual([
      ['Why Brightwater', false, 'Ask about their filters'],
      ['Internal margins', true, 'Never show this'],
      ['Pricing & tiers', false, 'Volume discount\nthen the pilot'],
      ['Next steps', false, ''],
    ]);
    expect(facts[2]!.text).toBe('Pricing & tiers\nStarter <growth> fleet');
    // Notes are the presenter's, not the slide's words: they do not change its identity.
    expect(facts[0]!.text).toBe('Why Brightwater\nReverse osmosis\nwithout the waste');
    expect(facts.some((s) => s.text.includes('filters'))).toBe(false);
    // LibreOffice renumbers page names on every save, so OpenDocument slides carry no id of their own.
    expect(facts.map((s) => s.slideId)).toEqual([null, null, null, null]);
  });

  it('gives a slide the same fingerprint in PowerPoint and OpenDocument', async () => {
    const odp = readOdpSlides(makeOdp(slides));
    const pptx = readPptxSlides(await makeDeck(slides));
    expect(odp.map((s) => fingerprint(s.text))).toEqual(pptx.map((s) => fingerprint(s.text)));
    expect(pptx.map((s) => s.notes)).toEqual(odp.map((s) => s.notes));
  });

  it('refuses a package that is not a presentation', () => {
    expect(() => readOdpSlides(new TextEncoder().encode('PK\u0003\u0004 not a zip'))).toThrow(PresentationReadError);
    expect(() => readPptxSlides(makeOdp(slides))).toThrow(/no ppt\/presentation\.xml/);
  });
});
