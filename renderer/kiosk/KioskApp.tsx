/**
 * The trade-show kiosk: an attract loop while nobody is there, a visitor's session from the
 * first touch until "Done" or the idle reset. Each visitor gets a fresh tree (a new React key),
 * so nothing typed, searched or opened survives into the next visit.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KioskConfig } from '#shared/kiosk';
import type { ItemSummary } from '#shared/library';
import { useClient } from '../data/ClientProvider';
import { AttractLoop } from './AttractLoop';
import { useKioskGuards } from './guards';
import { useAttractItems, useBoothLibrary } from './queries';
import { StaffPad } from './StaffPad';
import { StaffScreen } from './StaffScreen';
import { useStaffHold } from './useStaffHold';
import { SetUpByStaff } from './SetUpByStaff';
import { openVisitorSession, type VisitorSession } from './visitor-session';
import { VisitorScreens } from './VisitorScreens';
import { wipeVisitorTraces } from './wipe';

/** The booth's items as the visitor screens see them: null while loading, or why they cannot show. */
export interface KioskLibrary {
  items: ItemSummary[] | null;
  failure: string | null;
}

export function KioskApp({ config: initialConfig }: { config: KioskConfig }) {
  const client = useClient();
  // The library and the attract loop are the booth's, not a visitor's: they survive resets and
  // follow new releases; a failed reload keeps what was shown.
  const booth = useBoothLibrary();
  const config = booth.data?.config ?? initialConfig;
  const library = useMemo<KioskLibrary>(
    () => ({ items: booth.data?.library.items ?? null, failure: booth.error?.message ?? null }),
    [booth],
  );
  const attractItems = useAttractItems(config.attract.itemIds).data ?? null;
  const [visit, setVisit] = useState<{ key: number; session: VisitorSession } | null>(null);
  const visits = useRef(0);
  /** The staff side: closed, the PIN pad over the kiosk, or the staff screen (unlocked). */
  const [staff, setStaff] = useState<'closed' | 'pad' | 'unlocked'>('closed');
  useKioskGuards();

  // Whatever a crashed or reloaded window left behind is wiped before the first visitor, and
  // again once a visitor's screens have unmounted (in case anything wrote on its way out).
  const visiting = visit !== null;
  useEffect(() => {
    if (!visiting) wipeVisitorTraces();
  }, [visiting]);

  const start = useCallback(() => {
    visits.current += 1;
    setVisit({ key: visits.current, session: openVisitorSession(client) });
  }, [client]);

  const reset = useCallback(
    (reason: 'idle' | 'done') => {
      if (visit) void visit.session.end(reason);
      wipeVisitorTraces();
      setVisit(null);
    },
    [visit],
  );

  const openPad = useCallback(() => setStaff((current) => (current === 'closed' ? 'pad' : current)), []);
  const closePad = useCallback(() => setStaff((current) => (current === 'pad' ? 'closed' : current)), []);
  useStaffHold(visit === null && staff === 'closed', openPad);

  // Unlocking ends whatever visit was under way; the staff screen is wiped like a visit.
  const unlocked = useCallback(() => {
    if (visit) void visit.session.end('done');
    wipeVisitorTraces();
    setVisit(null);
    setStaff('unlocked');
  }, [visit]);
  const lock = useCallback(() => {
    void client.lockKiosk({}).catch(() => {
      /* the core's staff session also ends by itself after a few minutes */
    });
    wipeVisitorTraces();
    setStaff('closed');
  }, [client]);

  // Staff set the PIN on the computer: the booth reloads and the kiosk opens.
  const checkSetUp = useCallback(async () => {
    const fresh = await client.getKioskConfig({});
    if (fresh.staffPinSet) booth.refresh();
    return fresh.staffPinSet;
  }, [client, booth]);

  // No staff PIN yet: nothing of the kiosk shows, and nothing here can set one.
  if (!config.staffPinSet) {
    return (
      <div className="kiosk" data-testid="kiosk">
        <SetUpByStaff onCheck={checkSetUp} />
      </div>
    );
  }

  return (
    <div className="kiosk" data-testid="kiosk">
      {staff === 'unlocked' ? (
        <StaffScreen config={config} onLock={lock} />
      ) : visit ? (
        <VisitorScreens
          key={visit.key}
          config={config}
          library={library}
          session={visit.session}
          onReset={reset}
          onStaffHold={openPad}
        />
      ) : (
        <AttractLoop items={attractItems} secondsPerItem={config.attract.secondsPerItem} onWake={start} />
      )}
      {staff === 'pad' ? (
        <StaffPad unlock={(pin) => client.unlockKiosk({ pin })} onUnlocked={unlocked} onCancel={closePad} />
      ) : null}
    </div>
  );
}
