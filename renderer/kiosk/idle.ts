/**
 * When an unattended kiosk gives up on its visitor. Pure: the time of the last input and "now"
 * in, the phase out, so the countdown is unit-tested without timers and the component drives it
 * with Date.now() and setTimeout (which Playwright's clock controls in the end-to-end tests).
 *
 *   last input ──── idle - warning ────▶ "Still there? Resetting in N…" ── warning ──▶ reset
 */
export interface IdleTiming {
  /** Seconds without input before the visitor's session ends. */
  idleSeconds: number;
  /** Seconds of those shown as a countdown before the end. */
  warningSeconds: number;
}

export type IdlePhase = { phase: 'active' } | { phase: 'warning'; secondsLeft: number } | { phase: 'expired' };

/** A kiosk shorter than this would reset under a visitor reading a page. */
export const minIdleSeconds = 10;

/** The timing in milliseconds, made sane whatever the settings say. */
export function normalizeTiming(timing: IdleTiming): { idleMs: number; warningMs: number } {
  const idle = Number.isFinite(timing.idleSeconds) ? Math.max(minIdleSeconds, timing.idleSeconds) : 60;
  const warning = Number.isFinite(timing.warningSeconds) ? Math.min(Math.max(0, timing.warningSeconds), idle) : 0;
  return { idleMs: Math.round(idle * 1000), warningMs: Math.round(warning * 1000) };
}

export function idlePhase(now: number, lastActivity: number, timing: IdleTiming): IdlePhase {
  const { idleMs, warningMs } = normalizeTiming(timing);
  const resetAt = lastActivity + idleMs;
  if (now >= resetAt) return { phase: 'expired' };
  if (now < resetAt - warningMs) return { phase: 'active' };
  return { phase: 'warning', secondsLeft: Math.ceil((resetAt - now) / 1000) };
}

/**
 * Milliseconds until the phase (or the countdown's number) next changes, if no input arrives;
 * null once expired. Never 0, so a timer scheduled with it always makes progress.
 */
export function msUntilNextChange(now: number, lastActivity: number, timing: IdleTiming): number | null {
  const { idleMs, warningMs } = normalizeTiming(timing);
  const resetAt = lastActivity + idleMs;
  const warnAt = resetAt - warningMs;
  if (now >= resetAt) return null;
  if (now < warnAt) return warnAt - now;
  const remaining = resetAt - now;
  return remaining % 1000 || 1000;
}

export function samePhase(a: IdlePhase, b: IdlePhase): boolean {
  if (a.phase !== b.phase) return false;
  return a.phase !== 'warning' || a.secondsLeft === (b as { secondsLeft: number }).secondsLeft;
}

/** Which attract slide shows `now`, and how long until the next one. */
export function attractSlide(
  now: number,
  startedAt: number,
  count: number,
  secondsPerItem: number,
): { index: number; msToNext: number | null } {
  if (count <= 1) return { index: 0, msToNext: null };
  const slideMs = Math.max(2, Number.isFinite(secondsPerItem) ? secondsPerItem : 8) * 1000;
  const elapsed = Math.max(0, now - startedAt);
  const index = Math.floor(elapsed / slideMs) % count;
  return { index, msToNext: slideMs - (elapsed % slideMs) };
}
