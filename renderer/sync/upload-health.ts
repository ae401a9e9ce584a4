/** How the outbox's health reads on the sync screen; pure, so the wording is unit-tested. */
import type { DeliveryStatus } from '#shared/sync';
import { formatWhen, type ChipTone } from './presentation';

/** The kinds a rep's device uploads, in the order the panel lists them. */
export const uploadKinds: readonly { kind: string; label: string }[] = [
  { kind: 'lead', label: 'Leads' },
  { kind: 'meeting', label: 'Meetings' },
  { kind: 'event', label: 'Activity' },
  { kind: 'followup', label: 'Follow-ups' },
];

export interface PendingRow {
  kind: string;
  label: string;
  count: number;
}

/** The four known kinds always (a zero reassures), then any other kind that is waiting. */
export function pendingRows(byKind: Readonly<Record<string, number>>): PendingRow[] {
  const known = uploadKinds.map(({ kind, label }) => ({ kind, label, count: byKind[kind] ?? 0 }));
  const others = Object.entries(byKind)
    .filter(([kind, count]) => count > 0 && !uploadKinds.some((k) => k.kind === kind))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => ({ kind, label: kind.charAt(0).toUpperCase() + kind.slice(1), count }));
  return [...known, ...others];
}

export function waitingLabel(count: number): string {
  if (count === 0) return 'Nothing waiting';
  return count === 1 ? '1 waiting' : `${count} waiting`;
}

/** The card's one line: is anything stuck, and is it because the endpoint refuses? */
export function uploadHeadline(status: Pick<DeliveryStatus, 'pending' | 'lastDeliveredAt' | 'lastError'>): {
  tone: ChipTone;
  label: string;
} {
  const records = status.pending === 1 ? '1 record' : `${status.pending} records`;
  if (status.pending > 0 && status.lastError) return { tone: 'error', label: `Upload failing: ${records} waiting` };
  if (status.pending > 0) return { tone: 'attention', label: `${records} waiting to upload` };
  return status.lastDeliveredAt
    ? { tone: 'ok', label: 'Everything is uploaded' }
    : { tone: 'off', label: 'Nothing to upload yet' };
}

/** "Last failure · 5 min ago"; an error recorded by an older version has no time. */
export function failureTitle(error: NonNullable<DeliveryStatus['lastError']>, now: Date, locale?: string): string {
  const kind = uploadKinds.find((k) => k.kind === error.kind)?.label;
  const when = error.at ? formatWhen(error.at, now, locale) : 'time unknown';
  return `Last failure${kind ? ` (${kind.toLowerCase()})` : ''} · ${when}`;
}
