/**
 * The audience screen: a window of its own (the second display in the desktop app, a second
 * browser window in the browser host) that shows only the content of a presentation — the page,
 * black when the rep blacks out, the ink as drawn, a video playing and pausing with the rep's. No chrome, no notes: it is only ever sent the
 * item, the page, black and ink (see audience-sync), and it only follows, never sends.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AudienceState } from '#shared/audience-screen';
import type { ItemDetail } from '#shared/library';
import { useClient } from '../data/ClientProvider';
import { useItem } from '../library/queries';
import { useElementSize } from '../ui/useElementSize';
import { InkView } from './AnnotationLayer';
import { AUDIENCE_CLOSED_MESSAGE, fitBox, followAudience } from './audience-sync';
import { slideKey } from './dwell';
import { useAudienceState } from './queries';
import { SlideContent } from './Slide';
import './presenting.css';
import './presenter-view.css';

export function AudienceScreen({ sessionId }: { sessionId: string }) {
  const client = useClient();
  const rootRef = useRef<HTMLDivElement>(null);
  const screen = useElementSize(rootRef);
  const [state, setState] = useState<AudienceState | null>(null);
  const [items, setItems] = useState<ReadonlyMap<string, ItemDetail>>(new Map());
  const latestState = useAudienceState(sessionId).data;
  const [renderedKey, setRenderedKey] = useState<string | null>(null);

  // Live states first, then the latest one: whichever arrives last, the newer state wins.
  // (Until one arrives the screen stays black: an audience sees nothing rather than an error.)
  useEffect(
    () =>
      client.on('presenter.audience', (incoming) =>
        setState((current) => followAudience(current, incoming, sessionId)),
      ),
    [client, sessionId],
  );
  useEffect(() => {
    if (latestState !== undefined) setState((current) => followAudience(current, latestState, sessionId));
  }, [latestState, sessionId]);

  // Items are kept once read, so going back to an earlier slide shows it at once.
  const itemId = state?.slide?.itemId ?? null;
  const fetched = useItem(itemId && !items.has(itemId) ? itemId : null).data;
  useEffect(() => {
    if (fetched) setItems((known) => (known.has(fetched.id) ? known : new Map(known).set(fetched.id, fetched)));
  }, [fetched]);

  // A browser window opened for the audience closes itself when the presentation ends (the
  // desktop app closes its window from the main process).
  const ended = state?.status === 'ended';
  useEffect(() => {
    if (ended && window.opener) window.close();
  }, [ended]);
  // Closed by hand: the rep's window (our opener, same origin) stops saying an audience watches.
  useEffect(() => {
    const opener = window.opener as Window | null;
    if (!opener) return;
    const gone = () => opener.postMessage({ type: AUDIENCE_CLOSED_MESSAGE }, window.location.origin);
    window.addEventListener('pagehide', gone);
    return () => window.removeEventListener('pagehide', gone);
  }, []);

  const slide = state?.status === 'presenting' ? state.slide : null;
  const item = slide ? (items.get(slide.itemId) ?? null) : null;
  const key = slide ? slideKey(slide) : null;
  const box = fitBox(screen, state?.aspect ?? 16 / 9);
  const boxSize = useMemo(() => ({ width: box.width, height: box.height }), [box.width, box.height]);

  return (
    <div
      ref={rootRef}
      className="audience"
      data-testid="audience"
      data-session={sessionId}
      data-status={state?.status ?? 'waiting'}
      data-item-id={slide?.itemId ?? ''}
      data-page={slide?.page ?? ''}
      data-black={state?.black ? 'true' : 'false'}
      data-media={state?.media ? (state.media.playing ? 'playing' : 'paused') : ''}
      data-rendered={key !== null && renderedKey === key ? 'true' : 'false'}
      aria-label="Presentation"
    >
      {slide && item ? (
        <div className="presenter__stage audience__box" style={box}>
          <SlideContent
            key={slide.itemId}
            slide={slide}
            item={item}
            box={boxSize}
            onRendered={setRenderedKey}
            follow={state?.media ?? null}
          />
          <InkView strokes={state?.ink ?? []} size={boxSize} />
        </div>
      ) : null}
      {state?.black ? <div className="presenter__black" data-testid="audience-black" /> : null}
    </div>
  );
}
