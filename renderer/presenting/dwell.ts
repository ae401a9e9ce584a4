/**
 * What a presentation records, as a pure state machine: time in (milliseconds since the epoch,
 * from whatever clock the caller trusts), activity events out. No timers and no Date.now() here,
 * so a test (or Playwright's clock) decides exactly how long each page was on screen.
 *
 * - `item.opened` the first time a step of an item is shown in this meeting;
 * - `page.viewed` with its dwell when the rep leaves a page (black screen time does not count);
 * - `pitch.presented` when the presentation finishes, with its total time on screen.
 * Views under MIN_PAGE_DWELL_MS are still sent (the core drops them) but not listed as shown.
 */
import { MIN_PAGE_DWELL_MS, type ActivityEvent, type ShownPage } from '#shared/presenting';

export interface Slide {
  itemId: string;
  /** A page of a document; null for an image, a video or a microsite shown whole. */
  page: number | null;
}

export interface DwellOptions {
  pitchId: string | null;
  meetingId: string;
  newId(): string;
}

interface OpenView {
  slide: Slide;
  since: number;
  /** Time already accumulated before the last pause. */
  accumulated: number;
  paused: boolean;
  startedAt: number;
}

export interface DwellTracker {
  /** A slide is now on screen (leaving the previous one). Returns the events this produced. */
  show(slide: Slide, at: number): ActivityEvent[];
  /** The screen went black (or the app lost the screen): the clock of the page stops. */
  pause(at: number): void;
  resume(at: number): void;
  /** The presentation ends: the last page is left and the pitch is recorded as presented. */
  finish(at: number): ActivityEvent[];
  /** What was shown for long enough to count, per item and page, in first-shown order. */
  shown(): ShownPage[];
  readonly startedAt: number | null;
}

export function slideKey(slide: Slide): string {
  return `${slide.itemId}#${slide.page ?? ''}`;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

export function createDwellTracker(options: DwellOptions): DwellTracker {
  const opened = new Set<string>();
  const totals = new Map<string, ShownPage>();
  let current: OpenView | null = null;
  let startedAt: number | null = null;
  let finished = false;
  let screenMs = 0;

  const context = () => ({
    meetingId: options.meetingId,
    ...(options.pitchId ? { pitchId: options.pitchId } : {}),
  });

  function elapsed(view: OpenView, at: number): number {
    return view.accumulated + (view.paused ? 0 : Math.max(0, at - view.since));
  }

  function leave(at: number): ActivityEvent[] {
    if (!current) return [];
    const view = current;
    current = null;
    const dwellMs = Math.round(elapsed(view, at));
    screenMs += dwellMs;
    const key = slideKey(view.slide);
    if (dwellMs >= MIN_PAGE_DWELL_MS) {
      const total = totals.get(key);
      if (total) total.dwellMs += dwellMs;
      else totals.set(key, { itemId: view.slide.itemId, page: view.slide.page, dwellMs });
    }
    if (view.slide.page === null) return [];
    return [
      {
        id: options.newId(),
        type: 'page.viewed',
        at: iso(view.startedAt),
        itemId: view.slide.itemId,
        page: view.slide.page,
        dwellMs,
        ...context(),
      },
    ];
  }

  return {
    get startedAt() {
      return startedAt;
    },
    show(slide, at) {
      if (finished) return [];
      startedAt ??= at;
      if (current && slideKey(current.slide) === slideKey(slide)) return [];
      const events = leave(at);
      if (!opened.has(slide.itemId)) {
        opened.add(slide.itemId);
        events.push({ id: options.newId(), type: 'item.opened', at: iso(at), itemId: slide.itemId, ...context() });
      }
      current = { slide, since: at, accumulated: 0, paused: false, startedAt: at };
      return events;
    },
    pause(at) {
      if (!current || current.paused) return;
      current.accumulated = elapsed(current, at);
      current.paused = true;
    },
    resume(at) {
      if (!current || !current.paused) return;
      current.paused = false;
      current.since = at;
    },
    finish(at) {
      if (finished) return [];
      finished = true;
      const events = leave(at);
      if (startedAt !== null) {
        events.push({
          id: options.newId(),
          type: 'pitch.presented',
          at: iso(startedAt),
          dwellMs: Math.round(screenMs),
          ...context(),
        });
      }
      return events;
    },
    shown() {
      return [...totals.values()].map((entry) => ({ ...entry }));
    },
  };
}

/** A client id for events and meetings (≥ 8 characters, unique enough to dedupe on). */
export function newId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
