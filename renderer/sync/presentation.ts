/** How sync health reads on screen; pure, so the wording is unit-tested. */
import type { AppUpdateStatus, SyncPlan, SyncProgress, SyncStatus } from '#shared/sync';

/** Decimal units, as storage is sold and as marketing quotes sizes ("340 MB"). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** "about 3 min left"; null while there is no rate yet. */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return `${Math.round(seconds / 5) * 5} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}

/** Whole percent of the download, by bytes (by files when there are no bytes to fetch). */
export function progressPercent(progress: SyncProgress | null): number {
  if (!progress) return 0;
  const [done, total] =
    progress.bytesTotal > 0 ? [progress.bytesDone, progress.bytesTotal] : [progress.filesDone, progress.filesTotal];
  if (total <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

/** "12.3 MB of 340 MB · 3 of 20 files · about 2 min left" */
export function progressDetail(progress: SyncProgress): string {
  const parts = [`${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`];
  parts.push(
    progress.filesTotal === 1
      ? `${progress.filesDone} of 1 file`
      : `${progress.filesDone} of ${progress.filesTotal} files`,
  );
  const eta = formatEta(progress.etaSeconds);
  if (eta) parts.push(eta);
  return parts.join(' · ');
}

/** "12 new, 3 updated, 2 removed"; empty parts are left out; "No item changes" when none. */
export function planCounts(plan: Pick<SyncPlan, 'added' | 'updated' | 'removed'>): string {
  const parts: string[] = [];
  if (plan.added.length > 0) parts.push(`${plan.added.length} new`);
  if (plan.updated.length > 0) parts.push(`${plan.updated.length} updated`);
  if (plan.removed.length > 0) parts.push(`${plan.removed.length} removed`);
  return parts.length > 0 ? parts.join(', ') : 'No item changes';
}

/** "12 new, 3 updated, 2 removed · 340 MB to download" */
export function planSummary(plan: SyncPlan): string {
  const download = plan.downloadBytes > 0 ? `${formatBytes(plan.downloadBytes)} to download` : 'nothing to download';
  return `${planCounts(plan)} · ${download}`;
}

export type ChipTone = 'ok' | 'busy' | 'attention' | 'error' | 'off';

export interface ChipView {
  tone: ChipTone;
  label: string;
}

/** The top bar's one-line health: what the rep needs to know at a glance. */
export function syncChip(
  status: Pick<SyncStatus, 'state' | 'channelUrl' | 'plan' | 'progress' | 'lastSuccessAt'>,
): ChipView {
  switch (status.state) {
    case 'checking':
      return { tone: 'busy', label: 'Checking…' };
    case 'downloading':
      return { tone: 'busy', label: `Downloading ${progressPercent(status.progress)}%` };
    case 'applying':
      return { tone: 'busy', label: 'Applying…' };
    case 'available':
      return { tone: 'attention', label: status.plan ? `Update ready: ${planCounts(status.plan)}` : 'Update ready' };
    case 'error':
      return { tone: 'error', label: 'Sync failed' };
    case 'idle':
      if (!status.channelUrl) return { tone: 'off', label: 'Not configured' };
      return status.lastSuccessAt ? { tone: 'ok', label: 'Up to date' } : { tone: 'off', label: 'Not checked yet' };
  }
}

/** True while a check or download runs: "Check now" waits for it. */
export function isSyncBusy(state: SyncStatus['state']): boolean {
  return state === 'checking' || state === 'downloading' || state === 'applying';
}

/** "just now", "5 min ago", "3 h ago", "yesterday", else the date; "Never" for null. */
export function formatWhen(iso: string | null, now: Date, locale?: string): string {
  if (!iso) return 'Never';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const seconds = (now.getTime() - at.getTime()) / 1000;
  // A few seconds "in the future" is the screen's clock lagging the core's, not a clock change.
  if (seconds < -120) return at.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  if (seconds < 60) return 'Just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  if (hours < 48) return 'Yesterday';
  return at.toLocaleDateString(locale, { dateStyle: 'medium' });
}

/** Storage as the sync screen shows it: always in MB, so sizes compare at a glance. */
export function formatMegabytes(bytes: number): string {
  const mb = Math.max(0, bytes) / 1_000_000;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb).toLocaleString('en-US')} MB`;
}

/** The app-update banner's text, or null when there is nothing to say. */
export function appUpdateNotice(update: AppUpdateStatus | null): string | null {
  if (!update || update.state !== 'ready') return null;
  return update.version ? `Pitchcase ${update.version} is ready` : 'A new version of Pitchcase is ready';
}

/** The sync screen's "App update" row; null hides it (the browser host cannot update itself). */
export function appUpdateLine(update: AppUpdateStatus | null): string | null {
  if (!update) return null;
  switch (update.state) {
    case 'unsupported':
      return null;
    case 'idle':
      return 'Pitchcase is up to date';
    case 'checking':
      return 'Checking for a new version…';
    case 'downloading':
      return update.percent === null
        ? `Downloading ${update.version ?? 'an update'}…`
        : `Downloading ${update.version ?? 'an update'}: ${Math.round(update.percent)}%`;
    case 'ready':
      return `${update.version ?? 'An update'} is ready: restart to install it`;
    case 'error':
      return `App update failed${update.message ? `: ${update.message}` : ''}`;
  }
}

export type SettingsField = 'channelUrl' | 'publicKeys' | 'checkIntervalMinutes' | 'form';

/**
 * Which field a refused settings change is about, so its message appears next to it. The core
 * refuses the whole change (nothing is written), with a message that names the field.
 */
export function settingsErrorField(message: string): SettingsField {
  if (/channelUrl|channel URL|^Not a URL/i.test(message)) return 'channelUrl';
  if (/publicKeys|public key|pinned key|\bkeys?\b|ed25519|PEM/i.test(message)) return 'publicKeys';
  if (/checkIntervalMinutes|interval/i.test(message)) return 'checkIntervalMinutes';
  if (/\bURL\b/.test(message)) return 'channelUrl';
  return 'form';
}
