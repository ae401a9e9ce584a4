import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * sha256 of what is already on disk: a whole file, or the first `upTo` bytes of a partial
 * download that is about to be resumed (the new bytes are then fed to the same hash as they
 * arrive).
 *
 * A sync hashes every chunk inline, on the thread that reads the sockets: sha256 is ~0.3 s of
 * CPU per 500 MB here, the same wherever it runs. Three other ways were tried and measured
 * with bench:sync on 2 cores: a worker fed by postMessage (one message per socket read, or
 * per megabyte) cost twice that CPU in messages and garbage, and was slower; a worker fed
 * through a ring of shared memory cost little more than inline but saved no time, since the
 * download already keeps both cores busy; reading the file back once written cost a second
 * pass over every byte.
 */
export async function hashFileInto(hash: Hash, file: string, upTo?: number): Promise<void> {
  if (upTo === 0) return;
  const stream = createReadStream(file, {
    highWaterMark: 1024 * 1024,
    ...(upTo === undefined ? {} : { end: upTo - 1 }),
  });
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
}

/** The sha256 of a whole file, in hex. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, file);
  return hash.digest('hex');
}
