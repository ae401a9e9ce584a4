import type { SyncStatus } from '#shared/sync';
import { AlertIcon, CloudCheckIcon, CloudOffIcon, DownloadIcon, SyncIcon } from '../ui/icons';
import { syncChip, type ChipTone } from './presentation';

export interface SyncChipProps {
  status: SyncStatus | null;
  onOpen(): void;
}

/** The icon of a health tone, shared by the chip and the sync screen. */
export function ChipIcon({ tone, size = 18 }: { tone: ChipTone; size?: number }) {
  switch (tone) {
    case 'ok':
      return <CloudCheckIcon size={size} />;
    case 'busy':
      return <SyncIcon size={size} className="sync-chip__spin" />;
    case 'attention':
      return <DownloadIcon size={size} />;
    case 'error':
      return <AlertIcon size={size} />;
    case 'off':
      return <CloudOffIcon size={size} />;
  }
}

/** Sync health in the top bar; a tap opens the sync screen. */
export function SyncChip({ status, onOpen }: SyncChipProps) {
  if (!status) return null;
  const view = syncChip(status);
  return (
    <button
      type="button"
      className={`sync-chip sync-chip--${view.tone}`}
      data-testid="sync-chip"
      data-state={status.state}
      aria-label={`Content sync: ${view.label}. Open sync details`}
      onClick={onOpen}
    >
      <ChipIcon tone={view.tone} />
      <span className="sync-chip__label">{view.label}</span>
    </button>
  );
}
