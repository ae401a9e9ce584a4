/**
 * The staff side of the kiosk, as pure decisions: the hidden press-and-hold in the top-left
 * corner (time in, answer out, so the component drives it with Date.now() and setTimeout and
 * Playwright's clock drives those), the PIN rules, and the lines the staff screen shows.
 */
import type { ForwardedRecord } from '#shared/fleet';
import type { LeadDelivery } from '#shared/kiosk';

/** How long the corner must be held. */
export const staffHoldMs = 3_000;
/** The corner's size, in CSS pixels from the top-left. */
export const staffCornerPx = 72;

export interface Hold {
  startedAt: number;
}

export function inStaffCorner(x: number, y: number, size = staffCornerPx): boolean {
  return x >= 0 && y >= 0 && x < size && y < size;
}

/** A press starts a hold only in the corner. */
export function startHold(x: number, y: number, now: number): Hold | null {
  return inStaffCorner(x, y) ? { startedAt: now } : null;
}

/** A finger that slides out of the corner lets go. */
export function moveHold(hold: Hold | null, x: number, y: number): Hold | null {
  return hold && inStaffCorner(x, y) ? hold : null;
}

/** Milliseconds until the hold completes: 0 once held long enough. */
export function msUntilHeld(hold: Hold, now: number, holdMs = staffHoldMs): number {
  return Math.max(0, hold.startedAt + holdMs - now);
}

export function isHeld(hold: Hold | null, now: number, holdMs = staffHoldMs): boolean {
  return hold !== null && msUntilHeld(hold, now, holdMs) === 0;
}

export const pinLength = { min: 4, max: 12 } as const;

/** Why a PIN cannot be used, or null. */
export function pinProblem(pin: string): string | null {
  if (!/^\d*$/.test(pin)) return 'Use digits only';
  if (pin.length < pinLength.min || pin.length > pinLength.max)
    return `Use ${pinLength.min} to ${pinLength.max} digits`;
  return null;
}

/** One more digit, unless the PIN is already as long as it may be. */
export function addDigit(pin: string, digit: string): string {
  return pin.length >= pinLength.max || !/^\d$/.test(digit) ? pin : pin + digit;
}

/** Whole seconds left until `until` (rounded up), never negative. */
export function secondsUntil(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}

export function lockedLine(seconds: number): string {
  return `Too many tries. Try again in ${seconds} s`;
}

const leads = (n: number) => `${n} ${n === 1 ? 'lead' : 'leads'}`;

export function savedLine(count: number, path: string): string {
  return `Saved ${leads(count)} to ${path}`;
}

export function nearLimitLine(count: number, retentionDays: number): string {
  return `${leads(count)} ${count === 1 ? 'has' : 'have'} not been delivered and ${count === 1 ? 'is' : 'are'} near the ${retentionDays}-day retention limit: connect to a network or export them`;
}

export function lastDeliveryLine(iso: string | null, locale?: string): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'Never';
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** How a lead's delivery reads in the staff list. */
export function deliveryLine(delivery: LeadDelivery, locale?: string): string {
  if (delivery.state === 'sent') return delivery.at ? `Sent ${timeLine(delivery.at, locale)}` : 'Sent';
  if (delivery.state === 'failed')
    return `Failed (${delivery.attempts} ${delivery.attempts === 1 ? 'try' : 'tries'}, tried again): ${delivery.reason ?? 'no reason given'}`;
  return 'Queued: goes out when a destination answers';
}

/** How Studio's forwarding of a lead to the CRM reads in the staff list (an enrolled booth). */
export function crmLine(crm: ForwardedRecord, locale?: string): string {
  if (crm.state === 'sent') return `In the CRM (via Studio)${crm.at ? ` since ${timeLine(crm.at, locale)}` : ''}`;
  if (crm.state === 'retrying') return `Studio is retrying the CRM: ${crm.reason ?? 'no reason given'}`;
  if (crm.state === 'held') return `Studio does not forward it: ${crm.reason ?? 'no reason given'}`;
  if (crm.state === 'waiting') return 'At Studio: waiting for a CRM to be set up there';
  return 'At Studio: going to the CRM';
}

/** The time of day of an instant, in the kiosk's own zone. */
export function timeLine(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** A day of the list's filter: "Today", "Yesterday", or the date. */
export function dayLabel(day: string, today: string, locale?: string): string {
  if (day === 'all') return 'All days';
  if (day === today) return 'Today';
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(y, m - 1, d);
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  if (new Date(ty, tm - 1, td - 1).getTime() === date.getTime()) return 'Yesterday';
  return date.toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short' });
}

/** Free space as staff read it on a drive. */
export function freeLine(bytes: number | null): string {
  if (bytes === null) return 'free space unknown';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB free`;
  return `${Math.max(0, Math.round(bytes / 1e6))} MB free`;
}
