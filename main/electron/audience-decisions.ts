/**
 * Presenting on a second display, as pure functions of plain data: which display shows the
 * audience, which the rep, what happens to the audience window when displays come and go, and
 * what the audience window may ask of the core. audience-window.ts only feeds Electron's screen
 * and window events through here; the table tests in test/unit/electron cover the policy.
 *
 * No `electron` import in this file, on purpose.
 */
import { apiAccess } from '#shared/access';
import type { ApiMethod } from '#shared/contract';
import { APP_ENTRY_URL } from './decisions.ts';

export interface DisplayBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Electron's `Display`, reduced to what the decision reads. */
export interface DisplayInfo {
  id: number;
  bounds: DisplayBounds;
  /** The laptop's or tablet's own panel (Electron's `Display.internal`). */
  internal: boolean;
}

export interface ScreenChoice {
  /** The display the rep's window is on (it never moves); null without any display. */
  rep: number | null;
  /** Where the audience window goes; null when there is no display to spare. */
  audience: number | null;
}

const sameBounds = (a: DisplayBounds, b: DisplayBounds) =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
const area = (d: DisplayInfo) => d.bounds.width * d.bounds.height;

/**
 * The rep keeps the display their window is on (or, when that one just went away, the device's
 * own panel, where Electron moves the window). The audience gets another display: the one it is
 * already on while that still exists (plugging in a third display must not make it jump), else
 * an external one (projector, TV, monitor) before a second internal panel, the larger first,
 * then in the order the OS lists them. A display with exactly the rep's bounds is a mirror of
 * it, not a second screen.
 */
export function chooseScreens(
  displays: readonly DisplayInfo[],
  repDisplayId: number | null,
  currentAudienceId: number | null = null,
): ScreenChoice {
  if (displays.length === 0) return { rep: null, audience: null };
  const repDisplay = displays.find((d) => d.id === repDisplayId) ?? displays.find((d) => d.internal) ?? displays[0]!;
  const candidates = displays.filter((d) => d.id !== repDisplay.id && !sameBounds(d.bounds, repDisplay.bounds));
  if (candidates.length === 0) return { rep: repDisplay.id, audience: null };
  const current = candidates.find((d) => d.id === currentAudienceId);
  if (current) return { rep: repDisplay.id, audience: current.id };
  const ranked = candidates
    .map((display, order) => ({ display, order }))
    .sort(
      (a, b) =>
        Number(a.display.internal) - Number(b.display.internal) ||
        area(b.display) - area(a.display) ||
        a.order - b.order,
    );
  return { rep: repDisplay.id, audience: ranked[0]!.display.id };
}

export type AudienceWindowAction =
  | { action: 'none' }
  | { action: 'open'; display: number }
  | { action: 'keep'; display: number }
  | { action: 'move'; display: number }
  | { action: 'close' };

export interface AudienceWindowSituation {
  displays: readonly DisplayInfo[];
  repDisplayId: number | null;
  /** The display the audience window is on now; null when there is no audience window. */
  audienceDisplayId: number | null;
  /** A presentation is running (the rep's presenter published and has not ended). */
  presenting: boolean;
}

/**
 * What to do with the audience window now: at the start of a presentation and after every change
 * of displays. Without a presentation or a display to spare it closes, and the presentation goes
 * on on the rep's screen alone; when its display goes away but another one is free it moves.
 */
export function audienceWindowAction(situation: AudienceWindowSituation): AudienceWindowAction {
  const open = situation.audienceDisplayId !== null;
  if (!situation.presenting) return open ? { action: 'close' } : { action: 'none' };
  const { audience } = chooseScreens(situation.displays, situation.repDisplayId, situation.audienceDisplayId);
  if (audience === null) return open ? { action: 'close' } : { action: 'none' };
  if (!open) return { action: 'open', display: audience };
  return audience === situation.audienceDisplayId
    ? { action: 'keep', display: audience }
    : { action: 'move', display: audience };
}

/**
 * The audience window only ever reads the state it follows and the items it shows: the methods
 * the access table (main/shared/access.ts) marks 'audience-readable'. Everything else
 * (publishing a state, settings, pitches, leads) is refused from it: state flows from the rep's
 * window to the audience, never back. The core applies the same table to calls marked as coming
 * from the audience window (ipc.ts).
 */
export function audienceMayCall(method: ApiMethod): boolean {
  return apiAccess[method] === 'audience-readable';
}

/** The audience view of one presentation (renderer/presenting/routes parses the same shape). */
export function audienceWindowUrl(sessionId: string): string {
  return `${APP_ENTRY_URL}#/audience/${encodeURIComponent(sessionId)}`;
}
