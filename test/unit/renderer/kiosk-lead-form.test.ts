import { describe, expect, it } from 'vitest';
import { defaultLeadForm, leadSubmission, validateLead } from '#shared/kiosk';
import {
  emptyDraft,
  firstInvalid,
  inputHints,
  messagesByField,
  thankYouLine,
  toggled,
  toSubmission,
} from '../../../renderer/kiosk/lead-form';
import { kioskResults } from '../../../renderer/kiosk/search';
import type { SearchResponse } from '#shared/search';
import type { ItemSummary } from '#shared/library';

const fieldNames = defaultLeadForm.fields.map((field) => field.name);
const options = {
  sessionId: 's-1',
  fieldNames,
  consentVersion: defaultLeadForm.consent.version,
  interests: ['AquaCore 200', 'FlowSense'],
};

describe('lead form', () => {
  it('starts empty, with consent never given', () => {
    const draft = emptyDraft();
    expect(draft).toEqual({ fields: {}, interests: [], consent: false, sendViewed: false });
    expect(emptyDraft()).not.toBe(draft);
  });

  it('submits trimmed configured fields, offered interests and the shown consent version', () => {
    const submission = toSubmission(
      {
        fields: {
          firstName: '  Ana ',
          lastName: 'Novak',
          email: ' ana@marston.example ',
          company: 'Marston',
          role: '   ',
          phone: '+386 1 234',
        },
        interests: ['FlowSense', 'Not offered'],
        consent: true,
        sendViewed: true,
      },
      options,
    );
    expect(submission).toEqual({
      sessionId: 's-1',
      fields: { firstName: 'Ana', lastName: 'Novak', email: 'ana@marston.example', company: 'Marston' },
      interests: ['FlowSense'],
      consent: { given: true, version: '2026-01' },
      sendViewed: true,
    });
    // What the core accepts, and finds nothing wrong with.
    expect(leadSubmission.safeParse(submission).success).toBe(true);
    expect(validateLead(leadSubmission.parse(submission), defaultLeadForm)).toEqual([]);
  });

  it('an unticked box is the consent message, at the consent field', () => {
    const submission = toSubmission(
      { ...emptyDraft(), fields: { firstName: 'Ana', lastName: 'N', email: 'a@b.example', company: 'C' } },
      options,
    );
    const messages = messagesByField(validateLead(submission, defaultLeadForm));
    expect(messages).toEqual({ consent: 'Please tick the box to agree, so we may contact you' });
    expect(firstInvalid([...fieldNames, 'consent'], messages)).toBe('consent');
  });

  it('keeps the first message per field and focuses the first field on screen that has one', () => {
    const messages = messagesByField([
      { field: 'email', message: 'Work e-mail is required' },
      { field: 'email', message: 'Enter an e-mail address like name@company.com' },
      { field: 'firstName', message: 'First name is required' },
    ]);
    expect(messages).toEqual({ email: 'Work e-mail is required', firstName: 'First name is required' });
    expect(firstInvalid([...fieldNames, 'consent'], messages)).toBe('firstName');
    expect(firstInvalid(fieldNames, {})).toBeNull();
  });

  it('gives each field keyboard hints and never autocompletes', () => {
    expect(inputHints('email')).toMatchObject({
      type: 'email',
      inputMode: 'email',
      autoCapitalize: 'off',
      spellCheck: false,
    });
    expect(inputHints('phone')).toMatchObject({ type: 'tel', inputMode: 'tel' });
    expect(inputHints('firstName')).toMatchObject({ type: 'text', autoCapitalize: 'words', multiline: false });
    expect(inputHints('note')).toMatchObject({ multiline: true, spellCheck: true });
  });

  it('toggles chips and thanks by name', () => {
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
    expect(thankYouLine(' Ana ')).toBe("Thanks, Ana — we'll be in touch");
    expect(thankYouLine('')).toBe("Thanks — we'll be in touch");
    expect(thankYouLine(undefined)).toBe("Thanks — we'll be in touch");
  });
});

describe('kiosk search', () => {
  const item = (id: string, title: string, extra: Partial<ItemSummary> = {}): ItemSummary => ({
    id,
    kind: 'pdf',
    category: null,
    title,
    description: '',
    tags: [],
    products: [],
    audiences: [],
    collectionIds: [],
    kiosk: true,
    pageCount: 1,
    thumbnail: null,
    validUntil: null,
    changedInVersion: 1,
    ...extra,
  });
  const items = [
    item('a200', 'AquaCore 200 brochure', { products: ['AquaCore 200'] }),
    item('tour', 'FlowSense tour video', { tags: ['remote monitoring'] }),
    item('case', 'Case study: Marston Brewery', { description: 'Brewery results' }),
  ];

  // Matching itself is the core engine's (test/integration/kiosk-api.test.ts); the kiosk only lays it out.
  it("shows the engine's hits in its order as the library's cards, with at most two page hits each", () => {
    const page = (n: number) => ({ page: n, score: 1, snippet: `page ${n}`, highlights: [] as [number, number][] });
    const response: SearchResponse = {
      query: 'brewery',
      items: [
        {
          id: 'case',
          title: 'Case study',
          kind: 'pdf',
          score: 3,
          matchedAll: true,
          pages: [page(2), page(1), page(3)],
        },
        { id: 'not-in-kiosk', title: 'Price sheet', kind: 'pdf', score: 2, matchedAll: true, pages: [] },
        { id: 'a200', title: 'AquaCore 200 brochure', kind: 'pdf', score: 1, matchedAll: false, pages: [page(4)] },
      ],
      glossary: [],
      total: 3,
      suggestions: [],
    };
    expect(kioskResults(response, items).map((r) => [r.item.id, r.pages.map((p) => p.page)])).toEqual([
      ['case', [2, 1]],
      ['a200', [4]],
    ]);
    expect(kioskResults(null, items)).toEqual([]);
  });
});
