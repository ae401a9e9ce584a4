import type { ReadDb } from '../storage/database.ts';
import type { EmbeddedRelease, Log } from '../types.ts';
import { collectUnreferenced, installRelease, type InstallContext } from './install.ts';
import { recoverUnsettled } from './settle.ts';
import { parsePublicKey } from './signature.ts';
import { directorySource } from './source.ts';
import { currentRelease } from '../library/index.ts';

/**
 * Before anything reads the library: a crash may have come before the last sync's files
 * reached the disk (settle.ts), and files of an interrupted switch or sync that nothing
 * references any more are collected (partial downloads stay, to be resumed).
 */
export async function recoverAtStart(ctx: InstallContext, log: Log): Promise<void> {
  await recoverUnsettled(ctx, log);
  collectUnreferenced(ctx, true);
}

/**
 * Installs the release shipped inside the app (the demo library) on first run, and refreshes
 * from it only while the profile still runs on its channel. Returns the version installed, or
 * null when nothing changed. A broken embedded release must not stop the app from opening a
 * library it already has: it is logged, and thrown only when there is no library at all.
 */
export async function installEmbedded(
  ctx: InstallContext,
  read: ReadDb,
  embedded: EmbeddedRelease,
  log: Log,
): Promise<number | null> {
  try {
    const current = currentRelease(read);
    const source = directorySource(embedded.dir);
    if (current) {
      const { bytes } = await source.readManifest();
      const channel = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { channel?: unknown }).channel;
      if (channel !== current.channel) return null;
    }
    const outcome = await installRelease(ctx, source, [parsePublicKey(embedded.publicKeyPem)]);
    if (outcome.status !== 'installed') return null;
    log.info('embedded release installed', { channel: outcome.channel, version: outcome.version });
    return outcome.version;
  } catch (error) {
    log.error('embedded release not installed', { reason: (error as Error).message });
    if (!currentRelease(read)) throw error;
    return null;
  }
}
