import { hashFile } from '../storage/file-hash.ts';
import type { Log } from '../types.ts';
import { collectUnreferenced, type InstallContext } from './install.ts';
import { hasRetired, markSettled, rollBack, unsettledBlobs } from './store.ts';

/**
 * Settling: what makes a switched release survive a power cut.
 *
 * A sync verifies every file it fetches (size and sha256) and switches to the new release as
 * soon as the last one is verified: the rep has the new library at once. The files are written
 * but perhaps not yet on disk; they are fsynced right after the switch, in a batch (fsyncs
 * during the download would slow it down), and until the last one is, the switch keeps the
 * release it replaced (`retired`, with its files) and indexes the new files as unsettled.
 * Settling ends that: every file and the blobs folder fsynced, the new files marked settled,
 * the old release let go and its files collected.
 *
 * A crash before then (the app killed, the battery gone) is met at the next start by
 * recoverUnsettled(): every unsettled file the current release needs is hashed again; if all
 * are whole, they are fsynced and settled, and if any was lost the device goes back to the
 * retired release, complete as it was, and fetches the new one again on its next sync.
 */

export type Settled =
  | { outcome: 'settled' }
  | { outcome: 'rolled-back'; reason: string; now: { channel: string; version: number } | null }
  /** The device closed first: its next start verifies what is unsettled (recoverUnsettled). */
  | { outcome: 'left-for-next-start' };

/**
 * After a switch that left files unsettled: fsync them all, then let the retired release go.
 * A file that cannot be fsynced (a failing disk) is not trusted: the device goes back to the
 * retired release at once, and the next sync fetches what is missing.
 */
export async function settle(ctx: InstallContext, log: Log, isOpen: () => boolean): Promise<Settled> {
  try {
    await ctx.blobs.flush();
    if (!isOpen()) return { outcome: 'left-for-next-start' };
  } catch (error) {
    if (!isOpen()) return { outcome: 'left-for-next-start' };
    const reason = (error as Error).message;
    const now = rollBack(ctx.db);
    log.error('content files could not be written to disk: back to the release before', {
      reason,
      version: now?.version ?? null,
    });
    collectQuietly(ctx, log);
    return { outcome: 'rolled-back', reason, now };
  }
  markSettled(ctx.db);
  collectQuietly(ctx, log);
  return { outcome: 'settled' };
}

/** Old files left on disk cost space, not correctness: the next switch or start collects them. */
function collectQuietly(ctx: InstallContext, log: Log): void {
  try {
    collectUnreferenced(ctx);
  } catch (error) {
    log.warn('old content files not collected yet', { reason: (error as Error).message });
  }
}

export type Recovery =
  | { outcome: 'nothing-to-do' }
  | { outcome: 'settled'; files: number }
  | { outcome: 'rolled-back'; lost: number; now: { channel: string; version: number } | null };

/**
 * At start, before anything reads the library: settles what a crash left unsettled, or rolls
 * back to the retired release when a file of the current one did not survive.
 */
export async function recoverUnsettled(ctx: InstallContext, log: Log): Promise<Recovery> {
  const unsettled = unsettledBlobs(ctx.db);
  if (unsettled.length === 0) {
    // Nothing of the current release is in doubt: a retired release left behind can go (a
    // write only then, not at every start).
    if (hasRetired(ctx.db)) markSettled(ctx.db);
    return { outcome: 'nothing-to-do' };
  }
  let lost = 0;
  for (const blob of unsettled) {
    const whole =
      ctx.blobs.has(blob.sha256, blob.size) &&
      (await hashFile(ctx.blobs.pathOf(blob.sha256)).catch(() => null)) === blob.sha256;
    if (!whole) lost++;
  }
  if (lost > 0) {
    const now = rollBack(ctx.db);
    log.warn('content files lost before they reached the disk: back to the release before', {
      lost,
      channel: now?.channel ?? null,
      version: now?.version ?? null,
    });
    return { outcome: 'rolled-back', lost, now };
  }
  await ctx.blobs.makeDurable(unsettled.map((b) => b.sha256));
  markSettled(ctx.db);
  log.info('content files of the last sync verified and settled after a restart', { files: unsettled.length });
  return { outcome: 'settled', files: unsettled.length };
}
