import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import { bundleChild } from '../support/bundle-child.ts';
import { seededRandom as random } from '../support/random.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * Crash safety of the content channel: a device syncing from release 1 to release 2 is killed
 * with SIGKILL at random moments. Every restart must find release 1 or release 2 complete (the
 * database intact, every file the current release names present and matching its hash), and a
 * later sync must still reach release 2. PITCHCASE_CRASH_RUNS raises the count for stress runs.
 */
const RUNS = Number(process.env.PITCHCASE_CRASH_RUNS ?? 50);
const work = tempDir('pitchcase-crash-');
let channel: TestChannel;
let baseProfile: string;
let childScript: string;
let keyFile: string;
let v1Count = 0;
let v2Count = 0;
let fullRunMs = 0;

/** Runs the child; resolves with its last line, or 'killed' when killAfterMs elapsed after "ready". */
function runChild(profileDir: string, killAfterMs: number | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, profileDir, pathToFileURL(channel.releaseDir).href, keyFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last = '';
    let killed = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      last = line;
      if (line === 'ready' && killAfterMs !== null) {
        setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve(killed ? 'killed' : last));
  });
}

beforeAll(async () => {
  // Release 1, then release 2 with many new files so the kill can land mid-download too.
  const extraFiles: Record<string, Uint8Array> = {};
  const items = [
    { id: 'brochure', file: 'docs/brochure.pdf' },
    { id: 'photo', file: 'photo.svg' },
  ];
  channel = await makeChannel({ items });
  await channel.publish();
  v1Count = items.length;
  const rand = random(42);
  for (let n = 0; n < 30; n++) {
    const bytes = new Uint8Array(120_000 + Math.floor(rand() * 200_000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
    extraFiles[`media/clip-${n}.webm`] = bytes;
    items.push({ id: `clip-${n}`, file: `media/clip-${n}.webm` });
  }
  const source = channel.sourceDir;
  mkdirSync(path.join(source, 'media'), { recursive: true });
  for (const [name, bytes] of Object.entries(extraFiles)) writeFileSync(path.join(source, name), bytes);
  const yaml = readFileSync(path.join(source, 'catalogue.yaml'), 'utf8');
  writeFileSync(
    path.join(source, 'catalogue.yaml'),
    yaml.replace(/items:[\s\S]*$/, `items:\n${items.map((i) => `  - id: ${i.id}\n    file: ${i.file}\n`).join('')}`),
  );

  // A profile on release 1, copied for every run.
  baseProfile = path.join(work.dir, 'base');
  const v1Dir = path.join(work.dir, 'v1');
  cpSync(channel.releaseDir, v1Dir, { recursive: true });
  const core = await createCore({
    profileDir: baseProfile,
    shell: 'browser',
    siteBaseUrl: 'http://x',
    embeddedRelease: { dir: v1Dir, publicKeyPem: channel.publicPem },
  });
  core.close();
  await channel.publish();
  v2Count = items.length;
  keyFile = path.join(work.dir, 'public.pem');
  writeFileSync(keyFile, channel.publicPem);

  childScript = await bundleChild('sync-child');

  // How long an uninterrupted sync takes, to spread the kills over it.
  const probe = path.join(work.dir, 'probe');
  cpSync(baseProfile, probe, { recursive: true });
  const started = Date.now();
  expect(await runChild(probe, null)).toBe(`done 2`);
  fullRunMs = Date.now() - started;
}, 120_000);

afterAll(() => {
  work.cleanup();
  rmSync(childScript, { force: true });
});

/** The invariants a restart must find, whatever the moment of the kill. */
async function checkProfile(profileDir: string): Promise<number> {
  const raw = new Database(path.join(profileDir, 'pitchcase.db'));
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  raw.close();
  const core = await createCore({ profileDir, shell: 'browser', siteBaseUrl: 'http://x' });
  try {
    const library = await core.api.getLibrary({});
    const version = library.release!.version;
    expect([1, 2]).toContain(version);
    expect(library.items.length).toBe(version === 1 ? v1Count : v2Count);
    const db = new Database(path.join(profileDir, 'pitchcase.db'), { readonly: true });
    const files = db
      .prepare(
        `SELECT DISTINCT f.sha256, f.size FROM item_files f JOIN releases r ON r.id = f.release_id WHERE r.state = 'current'`,
      )
      .all() as { sha256: string; size: number }[];
    // A kill between the switch and the fsyncs was met at this start: verified and settled.
    expect(db.prepare(`SELECT count(*) AS n FROM blobs WHERE settled = 0`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM releases WHERE state != 'current'`).get()).toEqual({ n: 0 });
    db.close();
    for (const { sha256, size } of files) {
      const file = path.join(profileDir, 'blobs', sha256);
      expect(existsSync(file), `${sha256} present`).toBe(true);
      const bytes = readFileSync(file);
      expect(bytes.length).toBe(size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
    }
    return version;
  } finally {
    core.close();
  }
}

describe('a sync killed at any moment', () => {
  it(`leaves the old or the new release complete (${RUNS} random SIGKILLs), and the next sync finishes`, async () => {
    const rand = random(7);
    const seen = { 1: 0, 2: 0 } as Record<number, number>;
    for (let run = 0; run < RUNS; run++) {
      const profile = path.join(work.dir, `run-${run}`);
      cpSync(baseProfile, profile, { recursive: true });
      const outcome = await runChild(profile, Math.floor(rand() * fullRunMs * 1.1));
      expect(outcome === 'killed' || outcome === 'done 2', outcome).toBe(true);
      seen[await checkProfile(profile)]!++;
      if (run % 10 === 0) {
        // Resuming after the crash reaches release 2.
        expect(await runChild(profile, null)).toBe('done 2');
        expect(await checkProfile(profile)).toBe(2);
      }
    }
    // The kills landed both before and after the switch.
    expect(seen[1]).toBeGreaterThan(0);
    expect(seen[2]).toBeGreaterThan(0);
  }, 600_000);
});
