import { describe, expect, it } from 'vitest';
import { apiAccess, refusal } from '#shared/access';
import { apiMethods } from '#shared/contract';

describe('the access table', () => {
  it('has an entry, of a known kind, for every method of the contract and for nothing else', () => {
    const kinds = new Set(['audience-readable', 'open', 'staff-on-kiosk', 'staff']);
    for (const method of apiMethods) expect(kinds.has(apiAccess[method]), method).toBe(true);
    expect(Object.keys(apiAccess).sort()).toEqual([...apiMethods].sort());
  });

  it('lets the audience window read only what it shows', () => {
    const readable = apiMethods.filter(
      (m) => refusal(m, { profileKind: 'standard', staffUnlocked: true, audience: true }) === null,
    );
    expect(readable.sort()).toEqual(['getAudienceState', 'getItem']);
  });

  it("keeps a locked kiosk to the visitor's own calls; the rep's app is open but for leads", () => {
    const locked = { profileKind: 'kiosk', staffUnlocked: false } as const;
    const visitor = apiMethods.filter((m) => refusal(m, locked) === null);
    for (const staffOnly of [
      'updateChannelSettings',
      'checkForContent',
      'applyContent',
      'getUsageReport',
      'listMeetings',
      'getMeeting',
      'searchCrm',
      'getDeliveryStatus',
      'getDeliverySettings',
      'exportLeadsCsv',
      'setKioskPin',
    ] as const) {
      expect(visitor, staffOnly).not.toContain(staffOnly);
      expect(refusal(staffOnly, { profileKind: 'kiosk', staffUnlocked: true })).toBeNull();
    }
    for (const own of [
      'getLibrary',
      'getItem',
      'startVisitorSession',
      'captureLead',
      'unlockKiosk',
      'getKioskConfig',
    ] as const)
      expect(visitor).toContain(own);
    const rep = apiMethods.filter((m) => refusal(m, { profileKind: 'standard', staffUnlocked: false }) !== null);
    expect(rep.sort()).toEqual(['exportLeadsCsv', 'exportLeadsToFile']);
  });
});
