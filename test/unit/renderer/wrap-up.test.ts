import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../../renderer/app/routes';
import { cachedLabel, crmRecordDetail, followUpDraft, meetingWhen } from '../../../renderer/presenting/wrap-up';

/** The wrap-up's wording and routes: meetings saved for later, the CRM picker, the follow-up. */
describe('meeting routes', () => {
  it.each([
    ['#/meetings', { name: 'meetings' }],
    ['#/meetings/m%201', { name: 'meeting', id: 'm 1' }],
  ] as const)('%s round-trips', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(formatRoute(route)).toBe(hash);
  });

  it('sends malformed meeting paths home', () => {
    expect(parseRoute('#/meetings/a/b')).toEqual({ name: 'home' });
    expect(parseRoute('#/meetings/%E0%A4%A')).toEqual({ name: 'home' });
  });
});

describe('the CRM picker', () => {
  const now = Date.parse('2026-05-12T12:00:00Z');
  it('says how old the cache is', () => {
    expect(cachedLabel(null, now)).toBe('not cached yet');
    expect(cachedLabel('2026-05-12T11:59:30Z', now)).toBe('cached just now');
    expect(cachedLabel('2026-05-12T11:55:00Z', now)).toBe('cached 5 min ago');
    expect(cachedLabel('2026-05-12T09:00:00Z', now)).toBe('cached 3 h ago');
    expect(cachedLabel('2026-05-01T09:00:00Z', now, 'en-GB')).toBe('cached 1 May');
    // A clock set back does not make the cache "from the future".
    expect(cachedLabel('2026-05-12T12:10:00Z', now)).toBe('cached just now');
  });

  it('describes a suggestion by what tells records apart', () => {
    const base = { email: '', title: '', stage: '', accountName: '' };
    expect(
      crmRecordDetail({ ...base, kind: 'contact', title: 'Buyer', accountName: 'Marston', email: 'd@m.example' }),
    ).toBe('Buyer · Marston · d@m.example');
    expect(crmRecordDetail({ ...base, kind: 'contact', email: 'd@m.example' })).toBe('d@m.example');
    expect(crmRecordDetail({ ...base, kind: 'opportunity', stage: 'Proposal', accountName: 'Marston' })).toBe(
      'Proposal · Marston',
    );
    expect(crmRecordDetail({ ...base, kind: 'account', accountName: 'ignored' })).toBe('');
  });
});

describe('the follow-up draft', () => {
  it('addresses a picked contact by name and sends to their CRM e-mail', () => {
    const draft = followUpDraft({
      contact: 'Dana Whitfield',
      email: 'dana@marston.example',
      account: 'Marston',
      lines: [],
    });
    expect(draft.to).toBe('dana@marston.example');
    expect(draft.body.startsWith('Hello Dana,')).toBe(true);
    expect(followUpDraft({ contact: 'Dana Whitfield', email: 'not an address', account: '', lines: [] }).to).toBe('');
    expect(
      followUpDraft({ contact: 'ana@lima.example', email: 'dana@marston.example', account: '', lines: [] }).to,
    ).toBe('ana@lima.example');
  });
});

describe('the meeting list', () => {
  it('shows when and how long', () => {
    expect(meetingWhen('2026-05-12T09:00:00Z', '2026-05-12T09:45:00Z', 'en-GB')).toMatch(
      /^12 May 2026, \d\d:\d\d · 45 min$/,
    );
    expect(meetingWhen('nonsense', '2026-05-12T09:45:00Z')).toBe('');
  });
});
