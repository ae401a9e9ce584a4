/**
 * The running order of a presentation, pure: a pitch's steps become slides (a whole document
 * becomes each of its pages), steps that cannot be shown are left out with their reason, and
 * the rep moves through what is left, hiding pages on the fly.
 */
import type { Pitch, PitchStep, StepProblem } from '#shared/presenting';
import type { Slide } from './dwell';

export interface DeckSlide extends Slide {
  /** Index of the pitch step this slide comes from. */
  step: number;
  title: string;
  kind: string;
  note: string;
}

export interface Deck {
  slides: DeckSlide[];
  skipped: { step: number; title: string; problem: StepProblem }[];
}

/** Page counts of the pitch's documents (from getItem/getLibrary); unknown = shown as one. */
export type PageCounts = ReadonlyMap<string, number | null>;

export function buildDeck(pitch: Pick<Pitch, 'steps'>, pageCounts: PageCounts): Deck {
  const slides: DeckSlide[] = [];
  const skipped: Deck['skipped'] = [];
  pitch.steps.forEach((step: PitchStep, index) => {
    const title = step.title ?? step.itemId;
    if (step.problem) {
      skipped.push({ step: index, title, problem: step.problem });
      return;
    }
    const kind = step.kind ?? 'pdf';
    const base = { itemId: step.itemId, step: index, title, kind, note: step.note };
    if (step.page !== null || kind !== 'pdf') {
      slides.push({ ...base, page: kind === 'pdf' ? step.page : null });
      return;
    }
    const count = pageCounts.get(step.itemId) ?? 1;
    for (let page = 1; page <= Math.max(1, count ?? 1); page++) slides.push({ ...base, page });
  });
  return { slides, skipped };
}

export interface Position {
  /** Index into the deck's slides. */
  index: number;
  /** Indexes the rep hid during this presentation. */
  hidden: ReadonlySet<number>;
}

export function visibleIndexes(count: number, hidden: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (!hidden.has(i)) out.push(i);
  return out;
}

export function firstPosition(count: number): Position {
  return { index: count > 0 ? 0 : -1, hidden: new Set() };
}

/** Next (+1) or previous (-1) visible slide; stays put at either end. */
export function step(position: Position, count: number, direction: 1 | -1): Position {
  for (let i = position.index + direction; i >= 0 && i < count; i += direction) {
    if (!position.hidden.has(i)) return { ...position, index: i };
  }
  return position;
}

/**
 * Hides the current slide and moves on: to the next visible one, else the previous one. Hiding
 * the last visible slide is refused (a presentation is never left with nothing to show).
 */
export function hideCurrent(position: Position, count: number): Position {
  if (position.index < 0) return position;
  const hidden = new Set(position.hidden);
  hidden.add(position.index);
  if (visibleIndexes(count, hidden).length === 0) return position;
  const moved = { index: position.index, hidden };
  const forward = step(moved, count, 1);
  if (forward.index !== position.index) return forward;
  return step(moved, count, -1);
}

/** "3 / 7" over the visible slides. */
export function progressLabel(position: Position, count: number): string {
  const visible = visibleIndexes(count, position.hidden);
  const at = visible.indexOf(position.index);
  return `${at + 1} / ${visible.length}`;
}
