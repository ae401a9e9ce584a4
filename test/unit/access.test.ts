import { describe, expect, it } from 'vitest';
import { apiAccess, eventAccess, mayHear, refusal } from '#shared/access';
import { apiMethods, eventNames } from '#shared/contract';

describe('the access table', () => {
  it('has an entry, of a known kind, for every method of the contract and for nothing else', () => {
    const kinds = new Set(['audience-readable', 'open', 'staff-on-kiosk', 'staff', 'rep']);
    for (const method of apiMethods) expect(kinds.has(apiAccess[method]), method).toBe(true);
    expect(Object.keys(apiAccess).sort()).toEqual([...apiMethods].sort());
  });

  it("keeps rehearsing to the rep's profile: refused on a kiosk even unlocked, and in the audience window", () => {
    const rehearse = [
      'listPracticePrompts',
      'listRehearsalTakes',
      'saveRehearsalTake',
      'getRehearsalTakeAudio',
      'markBestTake',
      'deleteRehearsalTake',
    ] as const;
    for (const method of rehearse) {
      expect(refusal(method, { profileKind: 'standard', staffUnlocked: false }), method).toBeNull();
      expect(refusal(method, { profileKind: 'kiosk', staffUnlocked: false }), method).toMatch(/not a kiosk/);
      expect(refusal(method, { profileKind: 'kiosk', staffUnlocked: true }), method).toMatch(/not a kiosk/);
      expect(refusal(method, { profileKind: 'standard', staffUnlocked: false, audience: true }), method).not.toBeNull();
    }
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
    // The staff screen's lead list, qualification and export are the booth staff's alone.
    expect(rep.sort()).toEqual([
      'exportLeadsCsv',
      'exportLeadsToFile',
      'exportLeadsToFolder',
      'listBoothLeads',
      'listExportFolders',
      'qualifyLead',
    ]);
  });
});

describe('the access table of events', () => {
  it('has an entry, of a known kind, for every event and for nothing else', () => {
    const kinds = new Set(['audience-readable', 'open', 'staff-on-kiosk', 'staff', 'rep']);
    for (const event of eventNames) expect(kinds.has(eventAccess[event]), event).toBe(true);
    expect(Object.keys(eventAccess).sort()).toEqual([...eventNames].sort());
  });

  it('keeps delivery, CRM and fleet events from a locked kiosk, and gives them to staff and the rep', () => {
    const locked = { profileKind: 'kiosk', staffUnlocked: false } as const;
    expect(eventNames.filter((e) => !mayHear(e, locked)).sort()).toEqual([
      'crm.changed',
      'delivery.status',
      'fleet.changed',
      'fleet.enrolLink',
      'rehearse.changed',
    ]);
    for (const event of eventNames) {
      // Rehearsing and enrolment links are the rep's alone: a kiosk hears nothing of them, even behind the PIN.
      expect(mayHear(event, { profileKind: 'kiosk', staffUnlocked: true }), event).toBe(
        event !== 'rehearse.changed' && event !== 'fleet.enrolLink',
      );
      expect(mayHear(event, { profileKind: 'standard', staffUnlocked: false }), event).toBe(true);
    }
    // The audience window hears what it shows, and nothing else.
    expect(
      eventNames.filter((e) => mayHear(e, { profileKind: 'standard', staffUnlocked: true, audience: true })),
    ).toEqual(['presenter.audience']);
  });
});
