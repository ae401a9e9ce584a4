import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Manifest } from '#shared/manifest';
import { makeChannel, tempDir, type SourceItem, type TestChannel } from './release.ts';

export const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as Manifest;
export const blobSizes = (m: Manifest) =>
  new Map(m.items.flatMap((i) => i.files.map((f) => [f.sha256, f.size] as const)));
export const primaryOf = (m: Manifest, id: string) =>
  m.items.find((i) => i.id === id)!.files.find((f) => f.role === 'primary')!;

/** Every blob of `m` is in the profile, whole and hashing to its name. */
export function expectBlobsVerified(profileDir: string, m: Manifest): void {
  for (const [sha, size] of blobSizes(m)) {
    const file = path.join(profileDir, 'blobs', sha);
    expect(existsSync(file), `blob ${sha} present`).toBe(true);
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
  }
}

export interface ReleasePair {
  channel: TestChannel;
  /** Snapshots of the release folder after version 1 and version 2 (v2 replaces the clip). */
  rel1: string;
  rel2: string;
  v1: Manifest;
  v2: Manifest;
  /** A copy of a release folder, removed by cleanup(). */
  snapshot(from: string): string;
  cleanup(): void;
}

/**
 * A channel published twice, the second time with new random bytes for `media/clip.mp4`: the
 * first and delta syncs of the network tests, against any server.
 */
export async function makeReleasePair(items: SourceItem[], clipBytes: number): Promise<ReleasePair> {
  const roots: (() => void)[] = [];
  const snapshot = (from: string) => {
    const t = tempDir('pitchcase-release-');
    roots.push(t.cleanup);
    cpSync(from, t.dir, { recursive: true });
    return t.dir;
  };
  const channel = await makeChannel({ items, extraFiles: { 'media/clip.mp4': randomBytes(clipBytes) } });
  await channel.publish();
  const rel1 = snapshot(channel.releaseDir);
  writeFileSync(path.join(channel.sourceDir, 'media', 'clip.mp4'), randomBytes(clipBytes));
  await channel.publish();
  const rel2 = snapshot(channel.releaseDir);
  return {
    channel,
    rel1,
    rel2,
    v1: manifestOf(rel1),
    v2: manifestOf(rel2),
    snapshot,
    cleanup: () => {
      roots.splice(0).forEach((c) => c());
      channel.cleanup();
    },
  };
}
