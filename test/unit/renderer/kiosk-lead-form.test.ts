import { describe, expect, it } from 'vitest';
import { defaultLeadForm, leadSubmission, validateLead } from '#shared/kiosk';
import { emptyDraft, firstInvalid, inputHints, messagesByField, thankYouLine, toggled, toSubmission } from '../../../renderer/kiosk/lead-form';
import { filterKioskItems } from '../../../renderer/kiosk/search';
import type { ItemSummary } from '#shared/library';

const fieldNames = defaultLeadForm.fields.map((field) => field.name);
const options = { sessionId: 's-1', fieldNames, consentVersion: defaultLeadForm.consent.version, interests: ['AquaCore 200', 'FlowSense'] };

describe('lead form', () => {
  it('starts empty, with consent never given', () => {
    const draft = emptyDraft();
    expect(draft).toEqual({ fields: {}, interests: [], rating: null, consent: false, sendViewed: false });
    expect(emptyDraft()).not.toBe(draft);
  });

  it('submits trimmed configured fields, offered interests and the shown consent version', () => {
    const submission = toSubmission(
      {
        fields: { firstName: '  Ana ', lastName: 'Novak', email: ' ana@marston.example ', company: 'Marston', role: '   ', phone: '+386 1 234' },
        interests: ['FlowSense', 'Not offered'],
        rating: 'warm',
        consent: true,
        sendViewed: true,
      },
      options,
    );
    expect(submission).toEqual({
      sessionId: 's-1',
      fields: { firstName: 'Ana', lastName: 'Novak', email: 'ana@marston.example', company: 'Marston' },
      interests: ['FlowSense'],
      rating: 'warm',
      consent: { given: true, version: '2026-01' },
      sendViewed: true,
    });
    // What the core accepts, and finds nothing wrong with.
    expect(leadSubmission.safeParse(submission).success).toBe(true);
    expect(validateLead(leadSubmission.parse(submission), defaultLeadForm)).toEqual([]);
  });

  it('an unticked box is the consent message, at the consent field', () => {
    const submission = toSubmission({ ...emptyDraft(), fields: { firstName: 'Ana', lastName: 'N', email: 'a@b.example', company: 'C' } }, options);
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
    expect(inputHints('email')).toMatchObject({ type: 'email', inputMode: 'email', autoCapitalize: 'off', spellCheck: false });
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

  it('matches every word typed as the start of a word, ignoring case and accents', () => {
    expect(filterKioskItems(items, '').map((i) => i.id)).toEqual(['a200', 'tour', 'case']);
    expect(filterKioskItems(items, 'aqua').map((i) => i.id)).toEqual(['a200']);
    expect(filterKioskItems(items, 'REMOTE mon').map((i) => i.id)).toEqual(['tour']);
    expect(filterKioskItems(items, 'brewéry').map((i) => i.id)).toEqual(['case']);
    expect(filterKioskItems(items, 'core')).toEqual([]);
  });
});
