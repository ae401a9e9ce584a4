/**
 * One visitor's time at the kiosk: the kiosk home, an item opened in the app's own viewers,
 * the lead form and the thank-you. Everything here is state of this component tree, which the
 * kiosk remounts for the next visitor; the idle countdown watches over all of it.
 */
import { useCallback, useRef, useState } from 'react';
import type { KioskConfig } from '#shared/kiosk';
import type { ItemSummary } from '#shared/library';
import { useClient } from '../data/ClientProvider';
import { ItemScreen } from '../viewer/ItemScreen';
import { IdleWarning } from './IdleWarning';
import type { KioskLibrary } from './KioskApp';
import { KioskHome } from './KioskHome';
import { emptyDraft, thankYouLine, type LeadDraft } from './lead-form';
import { LeadForm } from './LeadForm';
import { useKioskSearch } from './search';
import { ThankYou } from './ThankYou';
import { useIdle } from './useIdle';
import { useStaffHold } from './useStaffHold';
import type { VisitorSession } from './visitor-session';

type Screen =
  | { name: 'home' }
  | { name: 'item'; id: string; page: number }
  | { name: 'lead' }
  | { name: 'thanks'; message: string };

export interface VisitorScreensProps {
  config: KioskConfig;
  library: KioskLibrary;
  session: VisitorSession;
  onReset(reason: 'idle' | 'done'): void;
  /** The staff held the hidden corner (on the kiosk home only). */
  onStaffHold(): void;
}

export function VisitorScreens({ config, library, session, onReset, onStaffHold }: VisitorScreensProps) {
  const [screen, setScreen] = useState<Screen>({ name: 'home' });
  const [query, setQuery] = useState('');
  const [draft, setDraft] = useState<LeadDraft>(emptyDraft);
  const [viewed, setViewed] = useState<string[]>([]);
  const sending = useRef(false);

  const idle = useIdle({
    timing: config,
    enabled: screen.name !== 'thanks',
    isBusy: () => sending.current || isMediaPlaying(),
    onExpire: () => onReset('idle'),
  });

  useStaffHold(screen.name === 'home' && idle.state.phase === 'active', onStaffHold);

  const items = library.items ?? [];
  const client = useClient();
  // A new release (new items) asks the engine again.
  const search = useKioskSearch(client, query, library.items);
  const commitSearch = search.commit;
  const openItem = useCallback(
    (item: ItemSummary, page = 1) => {
      session.recordView(item.id);
      commitSearch();
      setViewed((list) => (list.includes(item.id) ? list : [...list, item.id]));
      setScreen({ name: 'item', id: item.id, page });
    },
    [session, commitSearch],
  );
  const goHome = useCallback(() => setScreen({ name: 'home' }), []);
  const openForm = useCallback(() => setScreen({ name: 'lead' }), []);
  const changePage = useCallback(
    (page: number) => setScreen((current) => (current.name === 'item' ? { ...current, page } : current)),
    [],
  );
  const setSending = useCallback((value: boolean) => {
    sending.current = value;
  }, []);
  const done = useCallback(() => onReset('done'), [onReset]);
  const captured = useCallback(
    () => setScreen({ name: 'thanks', message: thankYouLine(draft.fields.firstName) }),
    [draft.fields.firstName],
  );

  return (
    <div className="visit" data-testid="kiosk-visit">
      {screen.name === 'thanks' ? (
        <ThankYou message={screen.message} onFinish={done} />
      ) : (
        <>
          <div className="visit__home" inert={screen.name !== 'home'} aria-hidden={screen.name !== 'home' || undefined}>
            <KioskHome
              library={library}
              query={query}
              search={search.state}
              onQueryChange={setQuery}
              onOpenItem={openItem}
              onGetInTouch={openForm}
              onDone={done}
            />
          </div>
          {screen.name === 'item' ? (
            <div className="visit__viewer">
              <ItemScreen
                key={screen.id}
                id={screen.id}
                page={screen.page}
                summary={items.find((item) => item.id === screen.id) ?? null}
                highlightQuery={query.trim() ? query : null}
                onPageChange={changePage}
                onBack={goHome}
              />
              <button type="button" className="kiosk-float-cta" data-testid="viewer-get-in-touch" onClick={openForm}>
                Get in touch
              </button>
            </div>
          ) : null}
          {screen.name === 'lead' ? (
            <LeadForm
              form={config.leadForm}
              draft={draft}
              onDraftChange={setDraft}
              viewedCount={viewed.length}
              session={session}
              onSendingChange={setSending}
              onCaptured={captured}
              onBack={goHome}
            />
          ) : null}
        </>
      )}
      {idle.state.phase === 'warning' ? (
        <IdleWarning secondsLeft={idle.state.secondsLeft} total={config.warningSeconds} onContinue={idle.stillHere} />
      ) : null}
    </div>
  );
}

function isMediaPlaying(): boolean {
  return [...document.querySelectorAll<HTMLMediaElement>('.visit video, .visit audio')].some(
    (media) => !media.paused && !media.ended,
  );
}
