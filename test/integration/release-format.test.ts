import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runVerify } from '../../main/cli/channel.ts';
import { createCore, type AppUpdater, type Core } from '#core/index';
import { APP_TOO_OLD } from '#core/channel/install';
import { parsePrivateKey, signManifest } from '#publish/keys';
import { manifest as manifestSchema, type Manifest } from '#shared/manifest';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * Release format 2 (page text stored gzip-compressed, declared per file) end to end: published,
 * synced, searched; a format 1 release as the previous publisher wrote it still installs and
 * searches; an app too old for a release refuses it with "update the app" and keeps its library.
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

let channel: TestChannel;
beforeAll(async () => {
  channel = await makeChannel({
    pdfPages: ['Page one intro', 'Page two reverse osmosis membranes', 'Page three nanofiltration prices'],
  });
  return () => channel.cleanup();
}, 60_000);

/** A device with no library, syncing from a folder by its file: URL. */
async function device(
  appVersion?: string,
  profileDir?: string,
  updater?: AppUpdater,
): Promise<{ core: Core; profileDir: string }> {
  let dir = profileDir;
  if (!dir) {
    const t = tempDir('pitchcase-profile-');
    cleanups.push(t.cleanup);
    dir = t.dir;
  }
  const core = await createCore({
    profileDir: dir,
    shell: 'browser',
    siteBaseUrl: 'http://site.test',
    ...(appVersion ? { appVersion } : {}),
    ...(updater ? { updater } : {}),
  });
  cleanups.unshift(() => core.close());
  return { core, profileDir: dir };
}

async function syncFrom(core: Core, releaseDir: string) {
  await core.api.updateChannelSettings({
    channelUrl: pathToFileURL(releaseDir).href,
    publicKeys: [channel.publicPem],
    autoApply: true,
  });
  return core.api.applyContent({});
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as Manifest;

/** A copy of the channel's release, re-signed after `mutate`, written as `serialise` says. */
function rewritten(
  mutate: (m: Manifest) => Manifest,
  serialise: (m: Manifest) => string = (m) => JSON.stringify(m),
): string {
  const copy = tempDir('pitchcase-release-copy-');
  cleanups.push(copy.cleanup);
  cpSync(channel.releaseDir, copy.dir, { recursive: true });
  const bytes = Buffer.from(serialise(mutate(manifestOf(copy.dir))));
  writeFileSync(path.join(copy.dir, 'channel.json'), bytes);
  writeFileSync(
    path.join(copy.dir, 'channel.json.sig'),
    signManifest(bytes, parsePrivateKey(channel.privatePem, 'test')),
  );
  return copy.dir;
}

const searchPages = async (core: Core, query: string) =>
  (await core.api.search({ query })).items.find((i) => i.id === 'brochure')?.pages.map((p) => p.page) ?? [];

describe('release format 2', () => {
  it('stores page text compressed, declares it, and a device syncs, verifies and searches it', async () => {
    await channel.publish();
    const manifest = manifestOf(channel.releaseDir);
    expect(manifest.format).toBe(2);
    const text = manifest.items.find((i) => i.id === 'brochure')!.files.find((f) => f.role === 'text')!;
    expect(text).toMatchObject({ mime: 'application/json', encoding: 'gzip' });
    const stored = readFileSync(path.join(channel.releaseDir, 'blobs', text.sha256));
    // The declared hash and size are those of the stored (compressed) bytes.
    expect(stored.length).toBe(text.size);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(text.sha256);
    expect([...stored.subarray(0, 2)]).toEqual([0x1f, 0x8b]);

    const { core } = await device();
    const status = await syncFrom(core, channel.releaseDir);
    expect(status).toMatchObject({ state: 'idle', lastError: null });
    expect((await core.api.getLibrary({})).release).toMatchObject({ version: 1 });
    expect(await searchPages(core, 'nanofiltration')).toEqual([3]);
    expect(await searchPages(core, 'osmosis')).toEqual([2]);
    // The first publish of the file starts the PDF reading threads: slow on a loaded 2-core machine.
  }, 120_000);

  it('writes channel.json without indentation, every value still written out', async () => {
    await channel.publish();
    const raw = readFileSync(path.join(channel.releaseDir, 'channel.json'), 'utf8');
    expect(raw).not.toContain('\n  ');
    expect(raw).toContain('"tags":[]');
    expect(JSON.parse(raw)).toEqual(manifestSchema.parse(JSON.parse(raw)));
  });
});

describe('a release in format 1, as the previous publisher wrote it', () => {
  /** Plain page text, a PNG cover and an indented manifest with every default written out. */
  async function formatOneRelease(): Promise<string> {
    const dir = tempDir('pitchcase-format1-');
    cleanups.push(dir.cleanup);
    await channel.publish({ outDir: dir.dir, format: 1, derivedFile: path.join(dir.dir, 'derived.json') });
    const png = await sharp({ create: { width: 300, height: 225, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const pngSha = createHash('sha256').update(png).digest('hex');
    writeFileSync(path.join(dir.dir, 'blobs', pngSha), png);
    const m = manifestSchema.parse(manifestOf(dir.dir));
    const brochure = m.items.find((i) => i.id === 'brochure')!;
    brochure.files = brochure.files.map((f) =>
      f.role === 'thumbnail' ? { role: 'thumbnail', sha256: pngSha, size: png.length, mime: 'image/png' } : f,
    );
    const bytes = Buffer.from(`${JSON.stringify(m, null, 2)}\n`);
    writeFileSync(path.join(dir.dir, 'channel.json'), bytes);
    writeFileSync(
      path.join(dir.dir, 'channel.json.sig'),
      signManifest(bytes, parsePrivateKey(channel.privatePem, 'test')),
    );
    return dir.dir;
  }

  it('installs and searches on this app, then updates to a format 2 release', async () => {
    const old = await formatOneRelease();
    const m = manifestOf(old);
    expect(m.format).toBe(1);
    const text = m.items.find((i) => i.id === 'brochure')!.files.find((f) => f.role === 'text')!;
    expect(text.encoding).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(old, 'blobs', text.sha256), 'utf8'))).toMatchObject({
      pages: ['Page one intro', 'Page two reverse osmosis membranes', 'Page three nanofiltration prices'],
    });

    const { core } = await device();
    expect(await syncFrom(core, old)).toMatchObject({ state: 'idle', lastError: null });
    expect((await core.api.getItem({ id: 'brochure' })).thumbnail?.mime).toBe('image/png');
    expect(await searchPages(core, 'nanofiltration')).toEqual([3]);

    // The next release, in format 2 with the same words compressed, replaces it and still finds them.
    await channel.publish({ now: new Date(Date.now() + 1000) });
    const next = rewritten((x) => ({ ...x, version: m.version + 1 }));
    expect(await syncFrom(core, next)).toMatchObject({ state: 'idle', lastError: null });
    expect((await core.api.getLibrary({})).release?.version).toBe(m.version + 1);
    expect(await searchPages(core, 'nanofiltration')).toEqual([3]);
  });

  it('is refused by the publisher with compressed files or a minimum app version', async () => {
    await expect(channel.publish({ format: 1, minAppVersion: '1.0.0' })).rejects.toThrow(/needs release format 2/);
    const m = manifestSchema.safeParse({ ...manifestOf(channel.releaseDir), format: 1 });
    expect(m.success).toBe(false);
  });
});

describe('an app too old for a release', () => {
  it('refuses a release for a newer app version, says to update, looks for an app update, and keeps its library', async () => {
    await channel.publish();
    const checks: string[] = [];
    const updater: AppUpdater = {
      status: () => ({ state: 'idle' }) as ReturnType<AppUpdater['status']>,
      check: async () => void checks.push('check'),
      restartToUpdate: () => {},
      onStatus: () => () => {},
    };
    const { core } = await device('1.4.0', undefined, updater);
    expect(await syncFrom(core, channel.releaseDir)).toMatchObject({ lastError: null });
    const installed = (await core.api.getLibrary({})).release!.version;

    await channel.publish({ minAppVersion: '2.0.0' });
    const status = await syncFrom(core, channel.releaseDir);
    expect(status.state).toBe('error');
    expect(status.lastError?.message).toContain(APP_TOO_OLD);
    expect(status.lastError?.message).toContain('Update the app to 2.0.0 or later');
    expect(status.lastError?.message).toContain('this is 1.4.0');
    expect(checks).toEqual(['check']);
    expect((await core.api.getLibrary({})).release?.version).toBe(installed);
    expect(await searchPages(core, 'nanofiltration')).toEqual([3]);

    // The same release is installed by an app that is new enough.
    const { core: newer } = await device('2.0.0');
    expect(await syncFrom(newer, channel.releaseDir)).toMatchObject({ state: 'idle', lastError: null });
  });

  it('refuses a release in a format it does not read, before looking at anything else in it', async () => {
    await channel.publish();
    const { core } = await device();
    expect(await syncFrom(core, channel.releaseDir)).toMatchObject({ lastError: null });
    const installed = (await core.api.getLibrary({})).release!.version;
    // A future format with a field this app has never heard of.
    const future = rewritten(
      (m) => ({ ...m, format: 3, version: m.version + 1, hologram: true }) as unknown as Manifest,
    );
    const status = await syncFrom(core, future);
    expect(status.lastError?.message).toMatch(
      new RegExp(
        `^${APP_TOO_OLD} \\(it is in release format 3, this Pitchcase \\([^)]+\\) reads formats 1 and 2\\)\\. Update the app to install version \\d+; the library on this device stays as it is\\.$`,
      ),
    );
    expect((await core.api.getLibrary({})).release?.version).toBe(installed);
  });
});

describe('pitchcase verify', () => {
  it('checks that every page text file unpacks, as a device will read it', async () => {
    await channel.publish();
    const keyFile = path.join(channel.releaseDir, '..', 'public.pem');
    writeFileSync(keyFile, channel.publicPem);
    const verify = async (dir: string) => {
      const out: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
      try {
        await runVerify({ location: dir, pubkeys: [keyFile], json: true }).catch(() => {});
      } finally {
        spy.mockRestore();
      }
      return JSON.parse(out.join('')) as { ok: boolean; problems: string[] };
    };
    expect(await verify(channel.releaseDir)).toMatchObject({ ok: true, problems: [] });

    // A publisher bug: text declared gzip whose stored bytes (hash and size correct) are not.
    const garbage = Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]);
    const sha256 = createHash('sha256').update(garbage).digest('hex');
    writeFileSync(path.join(channel.releaseDir, 'blobs', sha256), garbage);
    const broken = rewritten((m) => {
      const item = m.items.find((i) => i.id === 'brochure')!;
      item.files = item.files.map((f) => (f.role === 'text' ? { ...f, sha256, size: garbage.length } : f));
      return m;
    });
    const report = await verify(broken);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.stringMatching(/the page text of "brochure" is unreadable/)]);
  });
});
