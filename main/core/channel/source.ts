import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { MANIFEST_MAX_BYTES, sha256Pattern } from '#shared/manifest';
import { PitchcaseError } from '#shared/result';

/**
 * Where a release comes from. A folder (the embedded demo, a USB stick, a network share) today;
 * an HTTP(S) static host implements the same interface.
 */
export interface ReleaseSource {
  readonly description: string;
  /** The raw bytes of channel.json (bounded) and the text of channel.json.sig. */
  readManifest(): Promise<{ bytes: Uint8Array; signature: string }>;
  /** A stream of blobs/<sha256>; the caller bounds and verifies it. */
  openBlob(sha256: string): Promise<Readable>;
}

async function readBounded(file: string, max: number, what: string): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new PitchcaseError('refused', `Release refused: ${what} is missing (${file})`);
  }
  if (size > max) throw new PitchcaseError('refused', `Release refused: ${what} is ${size} bytes, more than the ${max} allowed`);
  return readFile(file);
}

/** A folder source can resume too: it simply reads from the offset. */
export function directorySource(dir: string): ReleaseSource & { openBlobFrom(sha256: string, offset: number): Promise<{ stream: Readable; offset: number }> } {
  const root = path.resolve(dir);
  return {
    description: root,
    async readManifest() {
      const bytes = await readBounded(path.join(root, 'channel.json'), MANIFEST_MAX_BYTES, 'channel.json');
      const signature = (await readBounded(path.join(root, 'channel.json.sig'), 4096, 'channel.json.sig')).toString('utf8');
      return { bytes, signature };
    },
    async openBlob(sha256) {
      if (!sha256Pattern.test(sha256)) throw new PitchcaseError('refused', `Release refused: bad blob name ${sha256.slice(0, 80)}`);
      const file = path.join(root, 'blobs', sha256);
      // Opening first turns "missing" into a clear error instead of a stream error later.
      const handle = await open(file, 'r').catch(() => {
        throw new PitchcaseError('refused', `Release refused: blob ${sha256} is missing from ${root}`);
      });
      await handle.close();
      return createReadStream(file);
    },
    async openBlobFrom(sha256, offset) {
      const stream = await this.openBlob(sha256);
      if (offset === 0) return { stream, offset: 0 };
      stream.destroy();
      return { stream: createReadStream(path.join(root, 'blobs', sha256), { start: offset }), offset };
    },
  };
}
