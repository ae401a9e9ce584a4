/** How the fleet screens word an enrolment: who the device is, and how old Studio's word is. */
import type { FleetIdentity } from '#shared/fleet';

/** "Ana Ortiz · North · EMEA", or "Booth · Hanover Fair · Events". */
export function identityLine(identity: FleetIdentity | null): string {
  if (!identity) return 'Not connected';
  const who = identity.booth ? `Booth · ${identity.booth.event}` : (identity.rep?.name ?? identity.deviceId);
  return [who, identity.team, identity.region].filter(Boolean).join(' · ');
}

/** "just now", "5 min ago", "3 h ago", "2 days ago" from `now`. */
export function ageOf(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}
