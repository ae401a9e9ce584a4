import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { parsePrivateKey, signManifest } from '#publish/keys';
import type { Manifest } from '#shared/manifest';
import { startReleaseServer, type ReleaseServer } from '../support/http-server.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * Hostile or unlucky channels, from the outside review: a host that rolls a device back by
 * switching channels, `file:` channels whose files are FIFOs or devices, a release listing one
 * microsite path twice, and a host that publishes between the manifest and its signature.
 */

let channel: TestChannel;
beforeAll(async () => {
  channel = await makeChannel();
  await channel.publish();
}, 60_000);
afterAll(() => channel?.cleanup());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A copy of the published release, re-signed after `mutate` (channel id, version, files...). */
function variant(mutate: (m: Manifest) => Manifest = (m) => m): string {
  const t = tempDir('pitchcase-release-');
  cleanups.push(t.cleanup);
  cpSync(channel.releaseDir, t.dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(t.dir, 'channel.json'), 'utf8')) as Manifest;
  const bytes = Buffer.from(JSON.stringify(mutate(manifest)));
  writeFileSync(path.join(t.dir, 'channel.json'), bytes);
  writeFileSync(path.join(t.dir, 'channel.json.sig'), signManifest(bytes, parsePrivateKey(channel.privatePem, 'test')));
  return t.dir;
}

const release = (channelId: string, version: number) => variant((m) => ({ ...m, channel: channelId, version }));

async function device(profileDir?: string): Promise<{ core: Core; profileDir: string }> {
  const dir =
    profileDir ??
    (() => {
      const t = tempDir('pitchcase-profile-');
      cleanups.push(t.cleanup);
      return t.dir;
    })();
  const core = await createCore({
    profileDir: dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    sync: { retryBaseMs: 10, attempts: 2, idleTimeoutMs: 2000 },
  });
  let closed = false;
  const close = () => {
    if (!closed) core.close();
    closed = true;
  };
  cleanups.unshift(close);
  return { core, profileDir: dir };
}

async function syncFrom(core: Core, location: string) {
  const url = /^https?:/.test(location) ? location : pathToFileURL(location).href;
  await core.api.updateChannelSettings({ channelUrl: url, publicKeys: [channel.publicPem], autoApply: true });
  return core.api.applyContent({});
}

describe('rolling a device back by switching channels', () => {
  it('refuses a version lower than the highest seen of a channel, even after another channel ran in between, and after a restart', async () => {
    const a5 = release('alpha', 5);
    const b1 = release('beta', 1);
    const a3 = release('alpha', 3);
    const d = await device();
    expect(await syncFrom(d.core, a5)).toMatchObject({ state: 'idle', lastError: null });
    expect(await syncFrom(d.core, b1)).toMatchObject({ state: 'idle', lastError: null });
    expect((await d.core.api.getLibrary({})).release).toMatchObject({ channel: 'beta', version: 1 });

    const refused = await syncFrom(d.core, a3);
    expect(refused).toMatchObject({
      state: 'error',
      lastError: {
        message: expect.stringMatching(
          /version 3 of channel "alpha" is older than version 5, already seen on this device/,
        ),
      },
    });
    expect((await d.core.api.getLibrary({})).release).toMatchObject({ channel: 'beta', version: 1 });

    // The memory is in the profile, not in the running process.
    d.core.close();
    const again = await device(d.profileDir);
    expect(await syncFrom(again.core, a3)).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(/older than version 5/) },
    });
    // Going back to the same or a newer version of the channel is fine.
    expect(await syncFrom(again.core, release('alpha', 5))).toMatchObject({ state: 'idle', lastError: null });
    expect((await again.core.api.getLibrary({})).release).toMatchObject({ channel: 'alpha', version: 5 });
  });

  it('remembers a version verified by a check even when it was not applied', async () => {
    const d = await device();
    expect(await syncFrom(d.core, release('alpha', 2))).toMatchObject({ state: 'idle' });
    await d.core.api.updateChannelSettings({ channelUrl: pathToFileURL(release('alpha', 7)).href, autoApply: false });
    expect(await d.core.api.checkForContent({})).toMatchObject({ state: 'available', plan: { toVersion: 7 } });
    await d.core.api.updateChannelSettings({ channelUrl: pathToFileURL(release('alpha', 4)).href });
    expect(await d.core.api.checkForContent({})).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(/older than version 7/) },
    });
  });
});

describe('file: channels whose files are not regular files', () => {
  const hasMkfifo = spawnSync('sh', ['-c', 'command -v mkfifo']).status === 0;

  it.skipIf(!hasMkfifo)('refuses a FIFO as channel.json at once instead of waiting for ever', async () => {
    const dir = release('alpha', 1);
    rmSync(path.join(dir, 'channel.json'));
    expect(spawnSync('mkfifo', [path.join(dir, 'channel.json')]).status).toBe(0);
    const d = await device();
    const status = await syncFrom(d.core, dir);
    expect(status).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(/channel\.json is not a regular file/) },
    });
    expect((await d.core.api.getLibrary({})).release).toBeNull();
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO as a blob, naming it', async () => {
    const dir = release('alpha', 1);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as Manifest;
    const sha = manifest.items[0]!.files[0]!.sha256;
    rmSync(path.join(dir, 'blobs', sha));
    expect(spawnSync('mkfifo', [path.join(dir, 'blobs', sha)]).status).toBe(0);
    const d = await device();
    const status = await syncFrom(d.core, dir);
    expect(status).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(new RegExp(`blob ${sha} is not a regular file`)) },
    });
    expect((await d.core.api.getLibrary({})).release).toBeNull();
  });

  it.skipIf(process.platform === 'win32')(
    'refuses channel.json and a blob that are links to /dev/zero, without reading them',
    async () => {
      const dir = release('alpha', 1);
      rmSync(path.join(dir, 'channel.json'));
      symlinkSync('/dev/zero', path.join(dir, 'channel.json'));
      const d = await device();
      const rss = process.memoryUsage().rss;
      expect(await syncFrom(d.core, dir)).toMatchObject({
        state: 'error',
        lastError: { message: expect.stringMatching(/channel\.json is not a regular file/) },
      });

      const other = release('alpha', 1);
      const manifest = JSON.parse(readFileSync(path.join(other, 'channel.json'), 'utf8')) as Manifest;
      const sha = manifest.items[0]!.files[0]!.sha256;
      rmSync(path.join(other, 'blobs', sha));
      symlinkSync('/dev/zero', path.join(other, 'blobs', sha));
      expect(await syncFrom(d.core, other)).toMatchObject({
        state: 'error',
        lastError: { message: expect.stringMatching(new RegExp(`blob ${sha} is not a regular file`)) },
      });
      expect(process.memoryUsage().rss - rss).toBeLessThan(256 * 1024 * 1024);
    },
  );

  it('still reads a channel.json that is a link to a regular file', async () => {
    const dir = release('alpha', 1);
    const real = path.join(dir, 'channel.real.json');
    cpSync(path.join(dir, 'channel.json'), real);
    rmSync(path.join(dir, 'channel.json'));
    symlinkSync(real, path.join(dir, 'channel.json'));
    const d = await device();
    expect(await syncFrom(d.core, dir)).toMatchObject({ state: 'idle', lastError: null });
  });
});

describe('a microsite path listed twice', () => {
  it('is refused at install, naming the item and the path', async () => {
    const dir = variant((m) => ({
      ...m,
      version: 2,
      items: m.items.map((item) =>
        item.kind === 'microsite'
          ? {
              ...item,
              files: [
                ...item.files,
                { ...m.items.find((i) => i.kind === 'image')!.files[0]!, role: 'site' as const, path: 'index.html' },
              ],
            }
          : item,
      ),
    }));
    const d = await device();
    const status = await syncFrom(d.core, dir);
    expect(status).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(/malformed.*item "calculator" lists the path "index.html" twice/) },
    });
    expect((await d.core.api.getLibrary({})).release).toBeNull();
  });
});

describe('a host that publishes while the device reads', () => {
  async function server(root: string): Promise<ReleaseServer> {
    const s = await startReleaseServer(root);
    cleanups.unshift(() => s.stop());
    return s;
  }

  it('reads again when the signature came from the next release, and installs it', async () => {
    const one = release('alpha', 1);
    const two = release('alpha', 2);
    const s = await server(one);
    // The release switches right after the device has read channel.json.
    s.setFault((r) => {
      if (r.path === 'channel.json.sig' && r.nth === 1) s.setRoot(two);
      return null;
    });
    const d = await device();
    expect(await syncFrom(d.core, s.url)).toMatchObject({ state: 'idle', lastError: null });
    expect((await d.core.api.getLibrary({})).release).toMatchObject({ channel: 'alpha', version: 2 });
    expect(s.requests.filter((r) => r.path.startsWith('channel.json')).map((r) => r.path)).toEqual([
      'channel.json',
      'channel.json.sig',
      'channel.json',
      'channel.json.sig',
    ]);
  });

  it('says the release changed while it was being read when it keeps changing, not that the signature is bad', async () => {
    const roots = [release('alpha', 1), release('alpha', 2), release('alpha', 3)];
    const s = await server(roots[0]!);
    let n = 0;
    // Every request sees the next release: no manifest ever meets its own signature.
    s.setFault(() => {
      s.setRoot(roots[n++ % roots.length]!);
      return null;
    });
    const d = await device();
    const status = await syncFrom(d.core, s.url);
    expect(status).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(/the release changed while it was being read/) },
    });
    expect(status.lastError?.message).not.toMatch(/pinned key/);
    expect((await d.core.api.getLibrary({})).release).toBeNull();
  });

  it('still calls a signature that never matches bad, after reading it twice', async () => {
    const dir = release('alpha', 1);
    const other = release('alpha', 2);
    cpSync(path.join(other, 'channel.json.sig'), path.join(dir, 'channel.json.sig'));
    const s = await server(dir);
    const d = await device();
    expect(await syncFrom(d.core, s.url)).toMatchObject({
      state: 'error',
      lastError: { message: expect.stringMatching(/does not match any pinned key/) },
    });
    expect(s.requests.filter((r) => r.path === 'channel.json')).toHaveLength(2);
  });
});
