/**
 * The trade-show kiosk: an attract loop while nobody is there, a visitor's session from the
 * first touch until "Done" or the idle reset. Each visitor gets a fresh tree (a new React key),
 * so nothing typed, searched or opened survives into the next visit.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KioskConfig } from '#shared/kiosk';
import type { ItemDetail, LibraryView } from '#shared/library';
import { client } from '../api/client';
import { describeError, withDeadline } from '../api/deadline';
import { AttractLoop } from './AttractLoop';
import { useKioskGuards } from './guards';
import { StaffPad } from './StaffPad';
import { StaffScreen } from './StaffScreen';
import { useStaffHold } from './useStaffHold';
import { SetUpByStaff } from './SetUpByStaff';
import { openVisitorSession, type VisitorSession } from './visitor-session';
import { VisitorScreens } from './VisitorScreens';
import { wipeVisitorTraces } from './wipe';

export type KioskLibrary = { status: 'loading' } | { status: 'ready'; library: LibraryView } | { status: 'error'; message: string };

export function KioskApp({ config: initialConfig }: { config: KioskConfig }) {
  const [config, setConfig] = useState(initialConfig);
  const [library, setLibrary] = useState<KioskLibrary>({ status: 'loading' });
  const [attractItems, setAttractItems] = useState<ItemDetail[] | null>(null);
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

  // The library and the attract loop are the booth's, not a visitor's: they survive resets and
  // follow new releases.
  useEffect(() => {
    let generation = 0;
    const load = () => {
      const mine = ++generation;
      withDeadline(Promise.all([client.getLibrary({}), client.getKioskConfig({})]), 20_000, 'Loading the library').then(
        ([view, fresh]) => {
          if (mine !== generation) return;
          setLibrary({ status: 'ready', library: view });
          setConfig(fresh);
        },
        (error: unknown) => {
          if (mine !== generation) return;
          setLibrary((previous) => (previous.status === 'ready' ? previous : { status: 'error', message: describeError(error).message }));
        },
      );
    };
    load();
    const unsubscribe = client.on('library.changed', load);
    return () => {
      generation += 1;
      unsubscribe();
    };
  }, []);

  const attractIds = config.attract.itemIds.join('\n');
  useEffect(() => {
    let live = true;
    const ids = attractIds ? attractIds.split('\n') : [];
    void Promise.all(ids.map((id) => client.getItem({ id }).catch(() => null))).then((items) => {
      if (live) setAttractItems(items.filter((item): item is ItemDetail => item !== null));
    });
    return () => {
      live = false;
    };
  }, [attractIds]);

  const start = useCallback(() => {
    visits.current += 1;
    setVisit({ key: visits.current, session: openVisitorSession(client) });
  }, []);

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
  }, []);

  const checkSetUp = useCallback(async () => {
    setConfig(await withDeadline(client.getKioskConfig({}), 20_000, 'Checking the staff PIN'));
  }, []);

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
        <VisitorScreens key={visit.key} config={config} library={library} session={visit.session} onReset={reset} onStaffHold={openPad} />
      ) : (
        <AttractLoop items={attractItems} secondsPerItem={config.attract.secondsPerItem} onWake={start} />
      )}
      {staff === 'pad' ? <StaffPad onUnlocked={unlocked} onCancel={closePad} /> : null}
    </div>
  );
}
