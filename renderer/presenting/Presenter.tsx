/**
 * Presenter mode: the pitch's slides full-screen, no chrome. Next/previous by swipe, tap on the
 * left/right third, arrow keys or a clicker (PageUp/PageDown); H hides the page from this
 * presentation, B (or a clicker's ".") blacks the screen, P toggles the pen, Escape finishes.
 * What was shown and for how long is worked out by the pure dwell tracker.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { ItemDetail } from '#shared/library';
import type { ActivityEvent, ShownPage } from '#shared/presenting';
import { client } from '../api/client';
import { contentUrl } from '../library/presentation';
import { ChevronLeftIcon, ChevronRightIcon, CloseIcon } from '../ui/icons';
import { StateMessage } from '../ui/StateMessage';
import { useElementSize } from '../ui/useElementSize';
import { classifyRelease, tapZone } from '../viewer/gestures';
import { PdfPage } from '../viewer/pdf/PdfPage';
import { usePdfDocument } from '../viewer/pdf/usePdfDocument';
import { firstPosition, hideCurrent, progressLabel, step, type DeckSlide, type Position } from './deck';
import { createDwellTracker, newId, slideKey } from './dwell';
import { AnnotationLayer, type Annotations } from './AnnotationLayer';

export interface PresentationResult {
  startedAt: string;
  endedAt: string;
  shown: ShownPage[];
}

export interface PresenterProps {
  pitchId: string;
  meetingId: string;
  slides: DeckSlide[];
  items: ReadonlyMap<string, ItemDetail>;
  /** Strokes per slide, kept by the session for the whole meeting. */
  annotations: Annotations;
  onFinish(result: PresentationResult): void;
}

/** Sends activity, keeping what could not be sent for the next attempt. */
function useActivitySender() {
  const pending = useRef<ActivityEvent[]>([]);
  return useCallback((events: ActivityEvent[]) => {
    pending.current.push(...events);
    if (pending.current.length === 0) return;
    const batch = pending.current;
    pending.current = [];
    client.recordActivity({ events: batch }).catch(() => {
      pending.current.unshift(...batch);
    });
  }, []);
}

export function Presenter({ pitchId, meetingId, slides, items, annotations, onFinish }: PresenterProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const stage = useElementSize(stageRef);
  const [position, setPosition] = useState<Position>(() => firstPosition(slides.length));
  const [black, setBlack] = useState(false);
  const [pen, setPen] = useState(false);
  const [controls, setControls] = useState(false);
  const [renderedKey, setRenderedKey] = useState<string | null>(null);
  const finished = useRef(false);
  const send = useActivitySender();
  const tracker = useMemo(() => createDwellTracker({ pitchId, meetingId, newId }), [pitchId, meetingId]);

  const slide = slides[position.index] ?? null;
  const key = slide ? slideKey(slide) : null;

  // Every slide change is a page left and (maybe) an item opened.
  useEffect(() => {
    if (!slide || finished.current) return;
    send(tracker.show(slide, Date.now()));
  }, [slide, tracker, send]);

  const finish = useCallback(() => {
    if (finished.current) return;
    finished.current = true;
    const endedAt = Date.now();
    send(tracker.finish(endedAt));
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    onFinish({
      startedAt: new Date(tracker.startedAt ?? endedAt).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      shown: tracker.shown(),
    });
  }, [tracker, send, onFinish]);

  const toggleBlack = useCallback(() => {
    setBlack((was) => {
      if (was) tracker.resume(Date.now());
      else tracker.pause(Date.now());
      return !was;
    });
  }, [tracker]);

  const go = useCallback((direction: 1 | -1) => setPosition((p) => step(p, slides.length, direction)), [slides.length]);
  const hide = useCallback(() => setPosition((p) => hideCurrent(p, slides.length)), [slides.length]);

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
  }, [black, go, hide, toggleBlack, finish]);

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
    const release = classifyRelease({ dx: event.clientX - start.x, dy: event.clientY - start.y, durationMs: event.timeStamp - start.at, stageWidth: stage.width });
    if (release.kind === 'swipe') go(release.direction === 'next' ? 1 : -1);
    else if (release.kind === 'tap') {
      const rect = event.currentTarget.getBoundingClientRect();
      const zone = tapZone(event.clientX - rect.left, rect.width);
      if (zone === 'next') go(1);
      else if (zone === 'previous') go(-1);
      else setControls((on) => !on);
    }
  };

  const onRendered = useCallback((renderedSlide: string) => setRenderedKey(renderedSlide), []);
  const item = slide ? items.get(slide.itemId) ?? null : null;

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
      data-rendered={key !== null && renderedKey === key ? 'true' : 'false'}
      data-black={black ? 'true' : 'false'}
      data-pen={pen ? 'true' : 'false'}
      data-hidden-count={position.hidden.size}
      data-progress={progressLabel(position, slides.length)}
    >
      <div ref={stageRef} className="presenter__stage" onPointerDown={onPointerDown} onPointerUp={onPointerUp} onPointerCancel={() => (press.current = null)}>
        {slide && item ? (
          <SlideContent key={slide.itemId} slide={slide} item={item} box={stage} onRendered={onRendered} />
        ) : (
          <StateMessage tone="error" onDark title="Nothing to show">
            Every step of this pitch needs attention.
          </StateMessage>
        )}
        {key ? <AnnotationLayer key={key} slideKey={key} annotations={annotations} active={pen} size={stage} /> : null}
      </div>
      {black ? <div className="presenter__black" data-testid="presenter-black" aria-label="Screen blacked out" /> : null}
      <div className={`presenter__controls${controls || pen ? ' is-visible' : ''}`} data-testid="presenter-controls">
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
        <button type="button" className="button button--ghost-dark" aria-pressed={pen} data-testid="presenter-pen" onClick={() => setPen((on) => !on)}>
          Pen
        </button>
        <button type="button" className="button button--ghost-dark" data-testid="presenter-clear-pen" onClick={() => key && annotations.clear(key)}>
          Clear ink
        </button>
        <button type="button" className="button button--ghost-dark" data-testid="presenter-hide" onClick={hide}>
          Hide page
        </button>
        <button type="button" className="button button--ghost-dark" aria-pressed={black} onClick={toggleBlack}>
          Black
        </button>
        <button type="button" className="icon-button icon-button--on-dark" aria-label="Finish presenting" data-testid="presenter-finish" onClick={finish}>
          <CloseIcon />
        </button>
      </div>
    </div>
  );
}

interface SlideContentProps {
  slide: DeckSlide;
  item: ItemDetail;
  box: { width: number; height: number };
  onRendered(key: string): void;
}

function SlideContent({ slide, item, box, onRendered }: SlideContentProps) {
  const key = slideKey(slide);
  switch (item.kind) {
    case 'pdf':
      return item.primary ? (
        <PdfSlide url={contentUrl(item.primary.sha256)} page={slide.page ?? 1} box={box} slideKey={key} onRendered={onRendered} />
      ) : (
        <Missing title={item.title} />
      );
    case 'image':
      return item.primary ? (
        <img className="presenter__media" src={contentUrl(item.primary.sha256)} alt={item.description || item.title} draggable={false} onLoad={() => onRendered(key)} />
      ) : (
        <Missing title={item.title} />
      );
    case 'video':
      return item.primary ? (
        <video
          className="presenter__media"
          src={contentUrl(item.primary.sha256)}
          poster={item.poster ? contentUrl(item.poster.sha256) : undefined}
          controls
          playsInline
          preload="auto"
          controlsList="nodownload noremoteplayback"
          disablePictureInPicture
          onLoadedData={() => onRendered(key)}
        />
      ) : (
        <Missing title={item.title} />
      );
    case 'microsite':
      // Same sandbox as the viewer: scripts, but no same-origin rights, popups or navigation.
      return item.siteUrl ? (
        <iframe className="presenter__site" title={item.title} src={item.siteUrl} sandbox="allow-scripts" referrerPolicy="no-referrer" allow="" onLoad={() => onRendered(key)} />
      ) : (
        <Missing title={item.title} />
      );
  }
}

function Missing({ title }: { title: string }) {
  return (
    <StateMessage tone="error" onDark title={`${title} cannot be shown`}>
      Its file is not on this device. It comes back with the next content sync.
    </StateMessage>
  );
}

const stagePadding = 16;

function PdfSlide(props: { url: string; page: number; box: { width: number; height: number }; slideKey: string; onRendered(key: string): void }) {
  const { url, page, box, slideKey: key, onRendered } = props;
  const [attempt, setAttempt] = useState(0);
  const doc = usePdfDocument(url, attempt);
  const keyRef = useRef(key);
  keyRef.current = key;
  const rendered = useCallback(
    (pageNumber: number) => {
      if (pageNumber === page) onRendered(keyRef.current);
    },
    [page, onRendered],
  );
  if (doc.status === 'error') {
    return (
      <StateMessage
        tone="error"
        onDark
        title="This document could not be opened"
        actions={
          <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        }
      >
        {doc.message}
      </StateMessage>
    );
  }
  if (doc.status === 'loading' || box.width <= 0) {
    return (
      <div className="presenter__hint" role="status">
        Opening…
      </div>
    );
  }
  return (
    <PdfPage
      doc={doc.doc}
      pageNumber={page}
      box={{ width: Math.max(1, box.width - stagePadding * 2), height: Math.max(1, box.height - stagePadding * 2) }}
      sharpAtZoom={1}
      enabled
      current
      onRendered={rendered}
    />
  );
}
