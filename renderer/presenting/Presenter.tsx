/**
 * Presenter mode: the pitch's slides full-screen, no chrome. Next/previous by swipe, tap on the
 * left/right third, arrow keys or a clicker (PageUp/PageDown); H hides the page from this
 * presentation, B (or a clicker's ".") blacks the screen, P toggles the pen, V toggles the
 * presenter view, Escape finishes. What was shown and for how long is worked out by the pure
 * dwell tracker.
 *
 * Every change of what the audience sees (page, black, ink) is published through the core
 * ('showToAudience' -> 'presenter.audience'); an audience screen follows it: the desktop app's
 * window on a second display (it then switches the rep to the presenter view), or in a browser a
 * window the rep opens with "Open audience window".
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { ItemDetail } from '#shared/library';
import type { ActivityEvent, ShownPage } from '#shared/presenting';
import { useClient } from '../data/ClientProvider';
import { useAppInfo } from '../library/queries';
import { ChevronLeftIcon, ChevronRightIcon, CloseIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import { useElementSize } from '../ui/useElementSize';
import { classifyRelease, tapZone } from '../viewer/gestures';
import { firstPosition, hideCurrent, progressLabel, step, type DeckSlide, type Position } from './deck';
import { createDwellTracker, newId, slideKey } from './dwell';
import { AnnotationLayer, type Annotations } from './AnnotationLayer';
import type { AudienceMedia } from '#shared/audience-screen';
import { AUDIENCE_CLOSED_MESSAGE, audienceFrame, createAudiencePublisher } from './audience-sync';
import { PresenterView } from './PresenterView';
import { formatAudienceHash } from './routes';
import { SlideContent } from './Slide';
import './presenter-view.css';

export interface PresentationResult {
  startedAt: string;
  endedAt: string;
  shown: ShownPage[];
  /** Width / height of the box the ink was drawn in (the rep's screen). */
  aspect: number;
}

export interface PresenterProps {
  pitchId: string;
  meetingId: string;
  slides: DeckSlide[];
  items: ReadonlyMap<string, ItemDetail>;
  /** Strokes per slide, kept by the session for the whole meeting. */
  annotations: Annotations;
  /** Steps in the pitch ("step 2 of 5"); defaults to the steps the slides come from. */
  stepCount?: number;
  onFinish(result: PresentationResult): void;
}

/** Where the audience screen is: none, a window the desktop app opened, or a browser window. */
type AudienceWhere = 'none' | 'display' | 'browser';

/**
 * Publishes what the audience sees and follows the desktop app's audience window. The publisher
 * sends one state at a time, the latest winning, so a burst of page turns never floods the core.
 */
function useAudience(sessionId: string) {
  const client = useClient();
  const publisher = useMemo(() => createAudiencePublisher((state) => client.showToAudience(state)), [client]);
  const [where, setWhere] = useState<AudienceWhere>('none');
  const shell = useAppInfo().data?.shell ?? null;
  useEffect(() => {
    return client.on('presenter.screens', (status) => {
      if (status.sessionId === sessionId)
        setWhere((was) => (status.audienceWindow ? 'display' : was === 'display' ? 'none' : was));
    });
  }, [client, sessionId]);
  return { publisher, where, setWhere, canOpenWindow: shell !== null && shell !== 'electron' };
}

/** Sends activity, keeping what could not be sent for the next attempt. */
function useActivitySender() {
  const client = useClient();
  const pending = useRef<ActivityEvent[]>([]);
  return useCallback(
    (events: ActivityEvent[]) => {
      pending.current.push(...events);
      if (pending.current.length === 0) return;
      const batch = pending.current;
      pending.current = [];
      client.recordActivity({ events: batch }).catch(() => {
        pending.current.unshift(...batch);
      });
    },
    [client],
  );
}

export function Presenter({ pitchId, meetingId, slides, items, annotations, stepCount, onFinish }: PresenterProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const stage = useElementSize(stageRef);
  const screen = useElementSize(rootRef);
  const controlsRef = useRef<HTMLDivElement>(null);
  // Upright or on a phone the control bar wraps onto more lines: the presenter view keeps that
  // much room below its running order, so no step hides behind the bar.
  const controlsHeight = useElementSize(controlsRef).height;
  const sessionId = useMemo(() => newId(), []);
  const startedAt = useMemo(() => Date.now(), []);
  const audience = useAudience(sessionId);
  const { publisher } = audience;
  const [presenterView, setPresenterView] = useState(false);
  const [inkVersion, setInkVersion] = useState(0);
  const [position, setPosition] = useState<Position>(() => firstPosition(slides.length));
  const [black, setBlack] = useState(false);
  const [pen, setPen] = useState(false);
  const [controls, setControls] = useState(false);
  const [renderedKey, setRenderedKey] = useState<string | null>(null);
  /** A slide's video as the rep last played, paused or sought it, with the slide it belongs to. */
  const [mediaOf, setMediaOf] = useState<{ key: string; state: AudienceMedia } | null>(null);
  const finished = useRef(false);
  const send = useActivitySender();
  const tracker = useMemo(() => createDwellTracker({ pitchId, meetingId, newId }), [pitchId, meetingId]);

  const slide = slides[position.index] ?? null;
  const key = slide ? slideKey(slide) : null;
  // A new slide starts with no video state (its video, if any, has not been played yet); a state
  // reported by the video of the slide left behind never passes for the new one's.
  const media = mediaOf && mediaOf.key === key ? mediaOf.state : null;
  // Also kept in a ref: a video taking over from the other view asks for it in the same commit in
  // which the one it replaces reports where it was, before the state has been drawn.
  const mediaNow = useRef<{ key: string; state: AudienceMedia } | null>(null);
  const setMedia = useCallback(
    (state: AudienceMedia) => {
      if (!key) return;
      mediaNow.current = { key, state };
      setMediaOf(mediaNow.current);
    },
    [key],
  );
  const startMedia = useCallback(
    () => (mediaNow.current && mediaNow.current.key === key ? mediaNow.current.state : null),
    [key],
  );
  // The audience's box has the shape of the rep's full screen, in both views, so ink drawn in
  // either lands on the same spot of the page.
  const aspect = screen.width > 0 && screen.height > 0 ? screen.width / screen.height : 16 / 9;
  // Read when finishing, so a resize does not renew `finish` (and the effects that hold it).
  const aspectRef = useRef(aspect);
  aspectRef.current = aspect;

  // The desktop app opening (or losing) the audience window switches the rep's view with it.
  useEffect(() => {
    if (audience.where === 'display') setPresenterView(true);
  }, [audience.where]);
  useEffect(() => {
    if (audience.where === 'none') setPresenterView(false);
  }, [audience.where]);

  useEffect(() => annotations.subscribe(() => setInkVersion((v) => v + 1)), [annotations]);

  // What the audience sees, whenever it changes.
  useEffect(() => {
    if (finished.current) return;
    publisher.publish(
      audienceFrame({
        sessionId,
        status: 'presenting',
        slide,
        black,
        aspect,
        ink: key ? annotations.get(key) : [],
        media,
      }),
    );
  }, [publisher, sessionId, slide, key, black, aspect, annotations, inkVersion, media]);

  // However the presenter goes away, the audience screen is told it is over.
  useEffect(
    () => () =>
      publisher.publish(audienceFrame({ sessionId, status: 'ended', slide: null, black: false, aspect: 1, ink: [] })),
    [publisher, sessionId],
  );

  // Every slide change is a page left and (maybe) an item opened.
  useEffect(() => {
    if (!slide || finished.current) return;
    send(tracker.show(slide, Date.now()));
  }, [slide, tracker, send]);

  const finish = useCallback(() => {
    if (finished.current) return;
    finished.current = true;
    publisher.publish(audienceFrame({ sessionId, status: 'ended', slide: null, black: false, aspect: 1, ink: [] }));
    const endedAt = Date.now();
    send(tracker.finish(endedAt));
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    onFinish({
      startedAt: new Date(tracker.startedAt ?? endedAt).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      shown: tracker.shown(),
      aspect: aspectRef.current,
    });
  }, [tracker, send, onFinish, publisher, sessionId]);

  const toggleBlack = useCallback(() => {
    setBlack((was) => {
      if (was) tracker.resume(Date.now());
      else tracker.pause(Date.now());
      return !was;
    });
  }, [tracker]);

  const go = useCallback((direction: 1 | -1) => setPosition((p) => step(p, slides.length, direction)), [slides.length]);
  const hide = useCallback(() => setPosition((p) => hideCurrent(p, slides.length)), [slides.length]);
  const jump = useCallback(
    (index: number) =>
      setPosition((p) => (p.hidden.has(index) || index < 0 || index >= slides.length ? p : { ...p, index })),
    [slides.length],
  );
  const togglePresenterView = useCallback(() => setPresenterView((on) => !on), []);

  // A second browser window for the audience (the browser host; the desktop app opens its own).
  const { setWhere } = audience;
  const audienceWindow = useRef<Window | null>(null);
  const openAudienceWindow = useCallback(() => {
    const url = new URL(formatAudienceHash(sessionId), window.location.href).href;
    const opened = window.open(url, `pitchcase-audience-${sessionId}`, 'popup,width=1280,height=720');
    if (!opened) return;
    setWhere('browser');
    setPresenterView(true);
    audienceWindow.current = opened;
  }, [sessionId, setWhere]);

  // The audience window closed by hand (it says so as it goes): the rep's screen says so too.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== audienceWindow.current) return;
      if ((event.data as { type?: unknown } | null)?.type !== AUDIENCE_CLOSED_MESSAGE) return;
      audienceWindow.current = null;
      setWhere((was) => (was === 'browser' ? 'none' : was));
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [setWhere]);

  // Full screen where the platform allows it; leaving full screen (Escape in a real browser
  // window never reaches the page) finishes like Escape does.
  useEffect(() => {
    const root = document.documentElement;
    let entered = false;
    if (!document.fullscreenElement && root.requestFullscreen) {
      root.requestFullscreen().then(
        () => {
          entered = true;
        },
        () => {},
      );
    }
    const onChange = () => {
      if (entered && !document.fullscreenElement) finish();
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, [finish]);

  // The page's clock stops while the app is not on screen.
  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') tracker.pause(Date.now());
      else if (!black) tracker.resume(Date.now());
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [tracker, black]);

  useEffect(() => {
    rootRef.current?.focus({ preventScroll: true });
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      switch (event.key) {
        case 'ArrowRight':
        case 'ArrowDown':
        case 'PageDown':
        case ' ':
          if (!black) go(1);
          break;
        case 'ArrowLeft':
        case 'ArrowUp':
        case 'PageUp':
        case 'Backspace':
          if (!black) go(-1);
          break;
        case 'h':
        case 'H':
          if (!black) hide();
          break;
        case 'b':
        case 'B':
        case '.':
          toggleBlack();
          break;
        case 'p':
        case 'P':
          setPen((on) => !on);
          break;
        case 'v':
        case 'V':
          togglePresenterView();
          break;
        case 'Escape':
          finish();
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [black, go, hide, toggleBlack, finish, togglePresenterView]);

  // Swipes and taps on the stage (the pen, when on, takes the pointer instead).
  const press = useRef<{ id: number; x: number; y: number; at: number } | null>(null);
  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (pen || !event.isPrimary) return;
    press.current = { id: event.pointerId, x: event.clientX, y: event.clientY, at: event.timeStamp };
  };
  const onPointerUp = (event: ReactPointerEvent<HTMLDivElement>) => {
    const start = press.current;
    press.current = null;
    if (pen || !start || start.id !== event.pointerId) return;
    if (black) {
      toggleBlack();
      return;
    }
    const release = classifyRelease({
      dx: event.clientX - start.x,
      dy: event.clientY - start.y,
      durationMs: event.timeStamp - start.at,
      stageWidth: event.currentTarget.clientWidth,
    });
    if (release.kind === 'swipe') go(release.direction === 'next' ? 1 : -1);
    else if (release.kind === 'tap') {
      const rect = event.currentTarget.getBoundingClientRect();
      const zone = tapZone(event.clientX - rect.left, rect.width);
      if (zone === 'next') go(1);
      else if (zone === 'previous') go(-1);
      else setControls((on) => !on);
    }
  };

  // Which view drew the slide counts too: switching views draws it anew, in another size.
  const onRenderedOnStage = useCallback((renderedSlide: string) => setRenderedKey(`stage|${renderedSlide}`), []);
  const onRenderedInPresenterView = useCallback(
    (renderedSlide: string) => setRenderedKey(`presenter|${renderedSlide}`),
    [],
  );
  const item = slide ? (items.get(slide.itemId) ?? null) : null;

  return (
    <div
      ref={rootRef}
      className={`presenter${black ? ' presenter--black' : ''}${pen ? ' presenter--pen' : ''}`}
      role="dialog"
      aria-modal="true"
      aria-label={slide ? `Presenting ${slide.title}` : 'Presenting'}
      tabIndex={-1}
      data-testid="presenter"
      data-item-id={slide?.itemId ?? ''}
      data-page={slide?.page ?? ''}
      data-slide-index={position.index}
      data-rendered={
        key !== null && renderedKey === `${presenterView ? 'presenter' : 'stage'}|${key}` ? 'true' : 'false'
      }
      data-black={black ? 'true' : 'false'}
      data-pen={pen ? 'true' : 'false'}
      data-hidden-count={position.hidden.size}
      data-progress={progressLabel(position, slides.length)}
      data-view={presenterView ? 'presenter' : 'stage'}
      data-audience={audience.where}
      data-session={sessionId}
      style={{ '--presenter-controls-height': `${controlsHeight}px` } as CSSProperties}
    >
      {presenterView ? (
        <PresenterView
          slides={slides}
          position={position}
          items={items}
          annotations={annotations}
          pen={pen}
          black={black}
          aspect={aspect}
          startedAt={startedAt}
          stepCount={stepCount ?? Math.max(0, ...slides.map((s) => s.step + 1))}
          audienceLabel={
            audience.where === 'display'
              ? 'Audience on the second display'
              : audience.where === 'browser'
                ? 'Audience window open'
                : 'No audience screen'
          }
          onRendered={onRenderedInPresenterView}
          onMedia={setMedia}
          startMedia={startMedia}
          mediaMuted={audience.where !== 'none'}
          onJump={jump}
          onPointerDown={onPointerDown}
          onPointerUp={onPointerUp}
          onPointerCancel={() => (press.current = null)}
        />
      ) : null}
      {/* Kept mounted in the presenter view (hidden), so its size is known when it comes back. */}
      <div
        ref={stageRef}
        className={`presenter__stage${presenterView ? ' is-hidden' : ''}`}
        onPointerDown={onPointerDown}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (press.current = null)}
      >
        {presenterView ? null : slide && item ? (
          <SlideContent
            key={slide.itemId}
            slide={slide}
            item={item}
            box={stage}
            onRendered={onRenderedOnStage}
            onMedia={setMedia}
            muted={audience.where !== 'none'}
            start={startMedia}
          />
        ) : (
          <StateMessage tone="error" onDark title="Nothing to show">
            Every step of this pitch needs attention.
          </StateMessage>
        )}
        {key && !presenterView ? (
          <AnnotationLayer key={key} slideKey={key} annotations={annotations} active={pen} size={stage} />
        ) : null}
      </div>
      {black && !presenterView ? (
        <div className="presenter__black" data-testid="presenter-black" aria-label="Screen blacked out" />
      ) : null}
      <div
        ref={controlsRef}
        className={`presenter__controls${controls || pen || presenterView ? ' is-visible' : ''}`}
        data-testid="presenter-controls"
      >
        <button type="button" className="icon-button icon-button--on-dark" aria-label="Previous" onClick={() => go(-1)}>
          <ChevronLeftIcon />
        </button>
        <span className="presenter__progress" aria-live="polite" data-testid="presenter-progress">
          {progressLabel(position, slides.length)}
        </span>
        <button type="button" className="icon-button icon-button--on-dark" aria-label="Next" onClick={() => go(1)}>
          <ChevronRightIcon />
        </button>
        <span className="presenter__divider" aria-hidden="true" />
        <button
          type="button"
          className="button button--ghost-dark"
          aria-pressed={pen}
          data-testid="presenter-pen"
          onClick={() => setPen((on) => !on)}
        >
          Pen
        </button>
        <button
          type="button"
          className="button button--ghost-dark"
          data-testid="presenter-clear-pen"
          onClick={() => key && annotations.clear(key)}
        >
          Clear ink
        </button>
        <button type="button" className="button button--ghost-dark" data-testid="presenter-hide" onClick={hide}>
          Hide page
        </button>
        <button type="button" className="button button--ghost-dark" aria-pressed={black} onClick={toggleBlack}>
          Black
        </button>
        <span className="presenter__divider" aria-hidden="true" />
        <button
          type="button"
          className="button button--ghost-dark"
          aria-pressed={presenterView}
          data-testid="presenter-view-toggle"
          onClick={togglePresenterView}
        >
          Presenter view
        </button>
        {audience.canOpenWindow ? (
          <button
            type="button"
            className="button button--ghost-dark"
            data-testid="open-audience-window"
            onClick={openAudienceWindow}
          >
            Open audience window
          </button>
        ) : null}
        <button
          type="button"
          className="icon-button icon-button--on-dark"
          aria-label="Finish presenting"
          data-testid="presenter-finish"
          onClick={finish}
        >
          <CloseIcon />
        </button>
      </div>
    </div>
  );
}
