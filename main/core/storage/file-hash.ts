import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * sha256 of what is already on disk: a whole file, or the first `upTo` bytes of a partial
 * download that is about to be resumed (the new bytes are then fed to the same hash as they
 * arrive).
 *
 * A sync hashes every chunk inline, on the thread that reads the sockets: sha256 is ~0.3 s of
 * CPU per 500 MB here, the same wherever it runs. Hashing in a worker thread (tried, measured
 * with bench:sync) cost twice that in messages and garbage and made the sync slower on a 2-core
 * tablet; reading the file back once written cost a second pass over every byte.
 */
export async function hashFileInto(hash: Hash, file: string, upTo?: number): Promise<void> {
  if (upTo === 0) return;
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024, ...(upTo === undefined ? {} : { end: upTo - 1 }) });
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
}

/** The sha256 of a whole file, in hex. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, file);
  return hash.digest('hex');
}

