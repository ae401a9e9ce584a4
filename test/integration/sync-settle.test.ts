import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import type { Durability } from '#core/storage/blobs';
import { fsyncDir, fsyncFile } from '#core/storage/durable';
import {
  blobSizes,
  expectBlobsVerified,
  makeReleasePair,
  primaryOf,
  type ReleasePair,
} from '../support/release-pair.ts';
import { tempDir } from '../support/release.ts';

/**
 * A sync switches as soon as every file is verified and fsyncs them behind the switch
 * ("settling", main/core/channel/settle.ts). These tests stand in a disk whose fsyncs of the
 * second release never finish, or fail, and check what the rep and the next start see: the new
 * library at once; the replaced release and its files kept until the new files are on disk; a
 * crash before then verified at the next start, and a file lost in it rolling the device back
 * to the first release, complete; a failing disk rolling back at once, with its reason shown.
 */

let pair: ReleasePair;
let clip1: string;
let clip2: string;
const url = (dir: string) => pathToFileURL(dir).href;

beforeAll(async () => {
  pair = await makeReleasePair(
    [
      { id: 'brochure', file: 'docs/brochure.pdf', collections: ['main'] },
      { id: 'clip', file: 'media/clip.mp4', title: 'Product clip' },
    ],
    256 * 1024,
  );
  clip1 = primaryOf(pair.v1, 'clip').sha256;
  clip2 = primaryOf(pair.v2, 'clip').sha256;
}, 60_000);
afterAll(() => pair?.cleanup());

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/**
 * A disk whose fsyncs of one file (the clip of version 2, unless told) wait until released
 * (or fail); every other fsync is the real one.
 */
function disk(held_ = () => clip2) {
  let release: (error?: Error) => void = () => {};
  const gate = new Promise<void>((resolve, reject) => {
    release = (error) => (error ? reject(error) : resolve());
  });
  gate.catch(() => {});
  const held: string[] = [];
  const durability: Durability = {
    fsyncFile: async (file) => {
      if (path.basename(file) === held_()) {
        held.push(file);
        await gate;
      }
      await fsyncFile(file);
    },
    fsyncDir,
  };
  return { durability, held, release: (error?: Error) => release(error) };
}

function profile(): string {
  const t = tempDir('pitchcase-settle-');
  cleanups.push(t.cleanup);
  return t.dir;
}

interface Opened {
  core: Core;
  warnings: string[];
  libraryChanges: number[];
}

async function open(profileDir: string, durability?: Durability): Promise<Opened> {
  const warnings: string[] = [];
  const core = await createCore({
    profileDir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    ...(durability ? { durability } : {}),
    log: { info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
  const libraryChanges: number[] = [];
  core.events.on('library.changed', (e) => libraryChanges.push(e.version));
  cleanups.unshift(() => core.close());
  return { core, warnings, libraryChanges };
}

async function syncFrom(core: Core, dir: string) {
  await core.api.updateChannelSettings({ channelUrl: url(dir), publicKeys: [pair.channel.publicPem], autoApply: true });
  return core.api.applyContent({});
}

/** The profile's database, read beside the core (releases by state, unsettled blobs). */
function dbState(profileDir: string) {
  const db = new Database(path.join(profileDir, 'pitchcase.db'), { readonly: true });
  try {
    return {
      releases: db.prepare(`SELECT version, state FROM releases ORDER BY version`).all() as {
        version: number;
        state: string;
      }[],
      unsettled: (
        db.prepare(`SELECT sha256 FROM blobs WHERE settled = 0 ORDER BY sha256`).all() as { sha256: string }[]
      ).map((r) => r.sha256),
    };
  } finally {
    db.close();
  }
}

const version = async (core: Core) => (await core.api.getLibrary({})).release?.version ?? null;
const blobFile = (profileDir: string, sha: string) => path.join(profileDir, 'blobs', sha);

describe('settling a switched release', () => {
  it('shows the new library at once, keeps the replaced release until the new files are on disk, then lets it go', async () => {
    const dir = profile();
    const d = disk();
    const { core } = await open(dir, d.durability);
    expect((await syncFrom(core, pair.rel1)).state).toBe('idle');
    await core.settled();

    const status = await syncFrom(core, pair.rel2);
    expect(status).toMatchObject({ state: 'idle', lastError: null });
    expect(await version(core)).toBe(2);
    expectBlobsVerified(dir, pair.v2);
    // The clip's fsync is held: version 1 waits in retirement with its clip, the new one unsettled.
    expect(d.held).toEqual([blobFile(dir, clip2)]);
    expect(dbState(dir)).toEqual({
      releases: [
        { version: 1, state: 'retired' },
        { version: 2, state: 'current' },
      ],
      unsettled: [clip2],
    });
    expect(existsSync(blobFile(dir, clip1))).toBe(true);
    let settled = false;
    const done = core.settled().then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);

    d.release();
    await done;
    expect(dbState(dir)).toEqual({ releases: [{ version: 2, state: 'current' }], unsettled: [] });
    expect(existsSync(blobFile(dir, clip1))).toBe(false);
    expect((await core.api.getSyncStatus({})).storageBytes).toBe(
      [...blobSizes(pair.v2).values()].reduce((a, b) => a + b, 0),
    );
  });

  it('after a crash before settling, the next start verifies the new files and keeps them', async () => {
    const dir = profile();
    const d = disk();
    const first = await open(dir, d.durability);
    await syncFrom(first.core, pair.rel1);
    await syncFrom(first.core, pair.rel2);
    expect(dbState(dir).unsettled).toEqual([clip2]);
    // The app quits with the clip's fsync still out; when the fsync comes back, the closed
    // device is left alone (no write to a closed database, no unhandled failure).
    first.core.close();
    d.release();
    await first.core.settled();
    expect(dbState(dir).unsettled).toEqual([clip2]);

    const next = await open(dir);
    expect(await version(next.core)).toBe(2);
    expectBlobsVerified(dir, pair.v2);
    expect(dbState(dir)).toEqual({ releases: [{ version: 2, state: 'current' }], unsettled: [] });
    expect(existsSync(blobFile(dir, clip1))).toBe(false);
    expect(next.warnings).toEqual([]);
  });

  it('a file lost in a power cut before settling rolls the device back to the release before, complete, and the next sync fetches it again', async () => {
    const dir = profile();
    const first = await open(dir, disk().durability);
    await syncFrom(first.core, pair.rel1);
    await syncFrom(first.core, pair.rel2);
    first.core.close();
    // What a power cut can leave of a file written but never fsynced: its length, not its bytes.
    const size = statSync(blobFile(dir, clip2)).size;
    writeFileSync(blobFile(dir, clip2), Buffer.alloc(size));

    const next = await open(dir);
    expect(await version(next.core)).toBe(1);
    expectBlobsVerified(dir, pair.v1);
    expect(existsSync(blobFile(dir, clip2))).toBe(false);
    expect(dbState(dir)).toEqual({ releases: [{ version: 1, state: 'current' }], unsettled: [] });
    expect(next.warnings.join('\n')).toMatch(/lost before they reached the disk/);
    // The library serves the first release's clip.
    const items = (await next.core.api.getLibrary({})).items;
    expect(items.map((i) => i.id).sort()).toEqual(['brochure', 'clip']);

    expect((await syncFrom(next.core, pair.rel2)).state).toBe('idle');
    await next.core.settled();
    expect(await version(next.core)).toBe(2);
    expectBlobsVerified(dir, pair.v2);
    expect(dbState(dir)).toEqual({ releases: [{ version: 2, state: 'current' }], unsettled: [] });
  });

  it('a first release lost before settling leaves a device with no library, not a broken one', async () => {
    const dir = profile();
    const first = await open(dir, disk(() => clip1).durability);
    await syncFrom(first.core, pair.rel1);
    // Every file of a first release is new: none is settled until the last fsync is back.
    expect(dbState(dir)).toEqual({
      releases: [{ version: 1, state: 'current' }],
      unsettled: [...blobSizes(pair.v1).keys()].sort(),
    });
    first.core.close();
    writeFileSync(blobFile(dir, clip1), Buffer.alloc(statSync(blobFile(dir, clip1)).size));

    const next = await open(dir);
    expect((await next.core.api.getLibrary({})).release).toBeNull();
    expect(dbState(dir)).toEqual({ releases: [], unsettled: [] });
    expect(existsSync(blobFile(dir, clip1))).toBe(false);
    expect((await syncFrom(next.core, pair.rel1)).state).toBe('idle');
    await next.core.settled();
    expectBlobsVerified(dir, pair.v1);
  });

  it('a disk that fails an fsync rolls back to the release before at once, and says why', async () => {
    const dir = profile();
    const d = disk();
    const { core, libraryChanges } = await open(dir, d.durability);
    await syncFrom(core, pair.rel1);
    await core.settled();
    await syncFrom(core, pair.rel2);
    expect(await version(core)).toBe(2);

    d.release(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    await core.settled();
    expect(await version(core)).toBe(1);
    expect(libraryChanges.slice(-2)).toEqual([2, 1]);
    expectBlobsVerified(dir, pair.v1);
    expect(existsSync(blobFile(dir, clip2))).toBe(false);
    expect(dbState(dir)).toEqual({ releases: [{ version: 1, state: 'current' }], unsettled: [] });
    const status = await core.api.getSyncStatus({});
    expect(status.lastError?.message).toMatch(
      /could not be saved on this device \(EIO: i\/o error, fsync\); back to version 1/,
    );
  });
});
