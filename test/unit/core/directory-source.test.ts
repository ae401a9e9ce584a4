import type * as FsPromises from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * A `file:` channel on a share that stops answering: opening or reading channel.json fails
 * after the idle timeout instead of waiting for ever. The file system is stood in for, since a
 * real one cannot be made to hang on demand.
 */
const hang = () => new Promise<never>(() => {});
const fs = vi.hoisted(() => ({ mode: 'read' as 'open' | 'read' }));

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof FsPromises>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const file = String(args[0]);
      if (file.includes('/blobs/')) {
        // A blob whose reads never come back: the stream is open and flowing, and silent.
        const stalled = Object.assign(new Readable({ read() {} }), { bytesRead: 0 });
        return { stat: async () => ({ isFile: () => true }), createReadStream: () => stalled, close: async () => {} };
      }
      if (!file.endsWith('channel.json')) return real.open(...args);
      if (fs.mode === 'open') return hang();
      return { stat: async () => ({ isFile: () => true }), read: hang, close: async () => {} };
    },
  };
});

const { directorySource } = await import('#core/channel/source');
const { TransientError } = await import('#core/channel/http-source');

afterEach(() => {
  fs.mode = 'read';
});

describe('a file: channel that stops answering', () => {
  it('times out a read of channel.json that never returns', async () => {
    const error = await directorySource('/nowhere', { idleTimeoutMs: 50 })
      .readManifest()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/channel\.json: no answer from the folder for 0 s/);
  });

  it('ends a blob stream that brings nothing, so the sync can retry it', async () => {
    const { stream } = await directorySource('/nowhere', { idleTimeoutMs: 50 }).openBlobFrom('a'.repeat(64), 0);
    const error = await new Promise<Error>((resolve) => {
      stream.on('data', () => {});
      stream.on('error', resolve);
    });
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/blob a{64}: no data from the folder/);
  });

  it('times out an open of channel.json that never returns', async () => {
    fs.mode = 'open';
    const error = await directorySource('/nowhere', { idleTimeoutMs: 50 })
      .readManifest()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/channel\.json: no answer from the folder/);
  });
});
