import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { installRelease } from '#core/channel/install';
import { parsePublicKey } from '#core/channel/signature';
import { directorySource } from '#core/channel/source';
import { BlobStore } from '#core/storage/blobs';
import { openStorage } from '#core/storage/database';
import { visibleTitles } from '#core/library/index';
import { generateSigningKeys, signManifest, parsePrivateKey } from '#publish/keys';
import { PitchcaseError } from '#shared/result';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

let channel: TestChannel;
beforeAll(async () => {
  channel = await makeChannel();
  await channel.publish();
  return () => channel.cleanup();
});

async function coreFor(releaseDir: string, publicPem = channel.publicPem, profileDir?: string): Promise<Core> {
  const profile =
    profileDir ??
    (() => {
      const t = tempDir('pitchcase-profile-');
      cleanups.push(t.cleanup);
      return t.dir;
    })();
  const core = await createCore({
    profileDir: profile,
    shell: 'browser',
    siteBaseUrl: 'http://site.test',
    embeddedRelease: { dir: releaseDir, publicKeyPem: publicPem },
  });
  cleanups.unshift(() => core.close());
  return core;
}

/** A copy of the published release that a test may tamper with. */
function copyRelease(): string {
  const t = tempDir('pitchcase-release-');
  cleanups.push(t.cleanup);
  cpSync(channel.releaseDir, t.dir, { recursive: true });
  return t.dir;
}

function resign(
  dir: string,
  mutate: (json: Record<string, unknown>) => unknown,
  privatePem = channel.privatePem,
): void {
  const json = JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as Record<string, unknown>;
  const bytes = Buffer.from(JSON.stringify(mutate(json) ?? json));
  writeFileSync(path.join(dir, 'channel.json'), bytes);
  writeFileSync(path.join(dir, 'channel.json.sig'), signManifest(bytes, parsePrivateKey(privatePem, 'test')));
}

/** Re-signs the release with the microsite's "more.html" page moved to `to`. */
function moveSitePage(dir: string, to: string): void {
  resign(dir, (j) => ({
    ...j,
    version: 2,
    items: (j.items as { kind: string; files: { role: string; path?: string }[] }[]).map((i) =>
      i.kind === 'microsite'
        ? { ...i, files: i.files.map((f) => (f.role === 'site' && f.path === 'more.html' ? { ...f, path: to } : f)) }
        : i,
    ),
  }));
}

describe('installing a release', () => {
  it('loads the embedded release on first run: items, collections, glossary, thumbnails and page text', async () => {
    const core = await coreFor(channel.releaseDir);
    const library = await core.api.getLibrary({});
    expect(library.release).toMatchObject({ channel: 'test', version: 1, itemCount: 3 });
    expect(library.items.map((i) => i.id)).toEqual(['brochure', 'photo', 'calculator']);
    expect(library.collections).toEqual([
      { id: 'main', title: 'Main collection', description: '', itemIds: ['brochure', 'photo'] },
    ]);
    expect(library.glossary[0]).toMatchObject({ term: 'Lead' });
    const brochure = await core.api.getItem({ id: 'brochure' });
    expect(brochure).toMatchObject({ kind: 'pdf', title: 'Test brochure', pageCount: 3 });
    expect(brochure.thumbnail?.mime).toBe('image/webp');
    // A release carries no page thumbnails: the viewer draws each page's from the PDF.
    expect(brochure.pageThumbnails).toEqual([null, null, null]);
    const site = await core.api.getItem({ id: 'calculator' });
    expect(site.siteUrl).toBe('http://site.test/calculator/index.html');
  });

  it('keeps every blob content-addressed and verified on disk', async () => {
    const t = tempDir('pitchcase-profile-');
    cleanups.push(t.cleanup);
    await coreFor(channel.releaseDir, channel.publicPem, t.dir);
    const blobs = readdirSync(path.join(t.dir, 'blobs')).filter((n) => n !== '.partial');
    expect(blobs.length).toBeGreaterThan(5);
    for (const name of blobs)
      expect(
        createHash('sha256')
          .update(readFileSync(path.join(t.dir, 'blobs', name)))
          .digest('hex'),
      ).toBe(name);
  });

  it('does nothing for the same version and upgrades to a newer one, marking only changed items', async () => {
    const t = tempDir('pitchcase-profile-');
    cleanups.push(t.cleanup);
    const other = await makeChannel();
    cleanups.push(other.cleanup);
    await other.publish();
    (await coreFor(other.releaseDir, other.publicPem, t.dir)).close();
    // Same version again: nothing changes.
    const again = await coreFor(other.releaseDir, other.publicPem, t.dir);
    expect((await again.api.getLibrary({})).release?.version).toBe(1);
    again.close();
    // Change the photo, publish version 2.
    writeFileSync(
      path.join(other.sourceDir, 'photo.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="5" cx="5" cy="5"/></svg>',
    );
    await other.publish();
    const upgraded = await coreFor(other.releaseDir, other.publicPem, t.dir);
    const library = await upgraded.api.getLibrary({});
    expect(library.release?.version).toBe(2);
    const changed = Object.fromEntries(library.items.map((i) => [i.id, i.changedInVersion]));
    expect(changed).toEqual({ brochure: 1, photo: 2, calculator: 1 });
  });

  it('hides expired and not-yet-valid items from every list and refuses to open them', async () => {
    const dated = await makeChannel({
      items: [
        { id: 'current', file: 'docs/brochure.pdf' },
        { id: 'expired', file: 'photo.svg', validUntil: '2020-01-01T00:00:00Z' },
        { id: 'future', file: 'photo.svg', validFrom: '2999-01-01T00:00:00Z' },
      ],
    });
    cleanups.push(dated.cleanup);
    await dated.publish();
    const core = await coreFor(dated.releaseDir, dated.publicPem);
    expect((await core.api.getLibrary({})).items.map((i) => i.id)).toEqual(['current']);
    await expect(core.api.getItem({ id: 'expired' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reads the titles a meeting or a lead names by id: visible items only, only those asked for', async () => {
    const dated = await makeChannel({
      items: [
        { id: 'current', file: 'docs/brochure.pdf' },
        { id: 'other', file: 'docs/brochure.pdf' },
        { id: 'expired', file: 'photo.svg', validUntil: '2020-01-01T00:00:00Z' },
      ],
    });
    cleanups.push(dated.cleanup);
    await dated.publish();
    const t = tempDir('pitchcase-profile-');
    cleanups.push(t.cleanup);
    const core = await coreFor(dated.releaseDir, dated.publicPem, t.dir);
    const titles = new Map((await core.api.getLibrary({})).items.map((item) => [item.id, item.title]));
    const storage = openStorage(path.join(t.dir, 'pitchcase.db'));
    cleanups.unshift(() => storage.close());
    const now = { now: new Date().toISOString(), kioskOnly: false };
    expect(visibleTitles(storage.read, now, ['current', 'expired', 'never-published', 'current'])).toEqual(
      new Map([['current', titles.get('current')]]),
    );
    expect(visibleTitles(storage.read, now, [])).toEqual(new Map());
  });

  it('serves a file only while a visible item uses it, however many hidden items share it', async () => {
    const dated = await makeChannel({
      items: [
        { id: 'current', file: 'docs/brochure.pdf' },
        ...Array.from({ length: 30 }, (_, i) => ({
          id: `expired-${i}`,
          file: 'photo.svg',
          validUntil: '2020-01-01T00:00:00Z',
        })),
        { id: 'future', file: 'docs/brochure.pdf', validFrom: '2999-01-01T00:00:00Z' },
      ],
    });
    cleanups.push(dated.cleanup);
    await dated.publish();
    const core = await coreFor(dated.releaseDir, dated.publicPem);
    const manifest = JSON.parse(readFileSync(path.join(dated.releaseDir, 'channel.json'), 'utf8')) as {
      items: { id: string; files: { role: string; sha256: string }[] }[];
    };
    const primaryOf = (id: string) =>
      manifest.items.find((item) => item.id === id)!.files.find((file) => file.role === 'primary')!.sha256;
    // Used only by expired items: not served.
    expect(core.content.blob(primaryOf('expired-0'), null).status).toBe(404);
    // Shared by a visible item and a not-yet-valid one: served, as the visible item's.
    const shared = core.content.blob(primaryOf('current'), null);
    expect(shared.status).toBe(200);
    expect(shared.headers['Content-Type']).toContain('application/pdf');
    const chunks: Buffer[] = [];
    for await (const chunk of shared.body! as AsyncIterable<Buffer>) chunks.push(chunk);
    expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('hostile releases are refused and change nothing', () => {
  async function installedProfile(): Promise<{ profileDir: string; before: unknown }> {
    const t = tempDir('pitchcase-profile-');
    cleanups.push(t.cleanup);
    const core = await coreFor(channel.releaseDir, channel.publicPem, t.dir);
    const before = await core.api.getLibrary({});
    core.close();
    return { profileDir: t.dir, before };
  }

  async function attempt(profileDir: string, dir: string, publicPem = channel.publicPem): Promise<PitchcaseError> {
    const storage = openStorage(path.join(profileDir, 'pitchcase.db'));
    try {
      await installRelease(
        { db: storage.write, blobs: new BlobStore(profileDir), now: () => new Date(), appVersion: '0.1.0' },
        directorySource(dir),
        [parsePublicKey(publicPem)],
      );
    } catch (error) {
      return error as PitchcaseError;
    } finally {
      storage.close();
    }
    throw new Error('the release was accepted');
  }

  const bumpVersion = (j: Record<string, unknown>) => ({ ...j, version: 2 });

  const cases: [string, (dir: string) => void, RegExp, string?][] = [
    [
      'a bit-flipped manifest',
      (d) => {
        const bytes = readFileSync(path.join(d, 'channel.json'));
        bytes[40] = bytes[40]! ^ 1;
        writeFileSync(path.join(d, 'channel.json'), bytes);
      },
      /signature/,
    ],
    [
      'a signature by another key',
      (d) => resign(d, bumpVersion, generateSigningKeys().privatePem),
      /does not match any pinned key/,
    ],
    [
      'a garbage signature',
      (d) => writeFileSync(path.join(d, 'channel.json.sig'), 'not a signature'),
      /not a base64 ed25519 signature/,
    ],
    ['a missing signature', (d) => writeFileSync(path.join(d, 'channel.json.sig'), ''), /signature/],
    [
      'malformed JSON (signed)',
      (d) => {
        const bytes = Buffer.from('{"format": 1, "version": 2,');
        writeFileSync(path.join(d, 'channel.json'), bytes);
        writeFileSync(path.join(d, 'channel.json.sig'), signManifest(bytes, parsePrivateKey(channel.privatePem, 't')));
      },
      /not valid JSON/,
    ],
    [
      'an unknown format version',
      (d) => resign(d, (j) => ({ ...j, format: 3, version: 2 })),
      /needs a newer Pitchcase \(it is in release format 3.*Update the app/,
    ],
    ['a lower version', (d) => resign(d, (j) => ({ ...j, version: 0 })), /malformed|older/],
    [
      'an expired manifest',
      (d) => resign(d, (j) => ({ ...j, version: 2, expiresAt: '2020-01-01T00:00:00.000Z' })),
      /expired/,
    ],
    [
      'an id with ../',
      (d) =>
        resign(d, (j) => ({
          ...j,
          version: 2,
          items: (j.items as { id: string }[]).map((i, n) => (n === 0 ? { ...i, id: '../../etc' } : i)),
        })),
      /ids are lower-case/,
    ],
    ['a site path with ../', (d) => moveSitePage(d, '../../secret'), /site paths are relative/],
    ['an absolute site path', (d) => moveSitePage(d, '/etc/passwd'), /site paths are relative/],
    [
      'a NUL in a title',
      (d) =>
        resign(d, (j) => ({
          ...j,
          version: 2,
          items: (j.items as object[]).map((i, n) => (n === 0 ? { ...i, title: 'a\u0000b' } : i)),
        })),
      /control characters/,
    ],
    [
      'a huge manifest',
      (d) => writeFileSync(path.join(d, 'channel.json'), Buffer.alloc(33 * 1024 * 1024, 32)),
      /more than the .* allowed/,
    ],
    [
      'a blob whose bytes do not match its hash',
      (d) => {
        resign(d, bumpVersion);
        const manifest = JSON.parse(readFileSync(path.join(d, 'channel.json'), 'utf8')) as {
          items: { files: { sha256: string; role: string }[] }[];
        };
        const sha = manifest.items[0]!.files.find((f) => f.role === 'primary')!.sha256;
        // Make the blob new to the client by changing the manifest's reference, then corrupt it.
        const bytes = readFileSync(path.join(d, 'blobs', sha));
        bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
        const fakeSha = createHash('sha256').update('not these bytes').digest('hex');
        writeFileSync(path.join(d, 'blobs', fakeSha), bytes);
        resign(d, (j) => {
          const items = j.items as { files: { sha256: string; role: string }[] }[];
          items[0]!.files = items[0]!.files.map((f) => (f.role === 'primary' ? { ...f, sha256: fakeSha } : f));
          return j;
        });
      },
      /does not match its hash/,
    ],
    [
      'a blob larger than declared',
      (d) => {
        const fakeSha = createHash('sha256').update('x').digest('hex');
        writeFileSync(path.join(d, 'blobs', fakeSha), Buffer.alloc(5000, 1));
        resign(d, (j) => {
          const items = j.items as { files: { sha256: string; role: string; size: number }[] }[];
          items[0]!.files = items[0]!.files.map((f) =>
            f.role === 'primary' ? { ...f, sha256: fakeSha, size: 10 } : f,
          );
          return { ...j, version: 2 };
        });
      },
      /larger than its declared/,
    ],
    [
      'a missing blob',
      (d) => {
        const fakeSha = createHash('sha256').update('missing').digest('hex');
        resign(d, (j) => {
          const items = j.items as { files: { sha256: string; role: string }[] }[];
          items[0]!.files = items[0]!.files.map((f) => (f.role === 'primary' ? { ...f, sha256: fakeSha } : f));
          return { ...j, version: 2 };
        });
      },
      /missing/,
    ],
  ];

  it.each(cases)('refuses %s', async (_name, tamper, message) => {
    const { profileDir, before } = await installedProfile();
    const dir = copyRelease();
    tamper(dir);
    const error = await attempt(profileDir, dir);
    expect(error).toBeInstanceOf(PitchcaseError);
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(message);
    const core = await coreFor(channel.releaseDir, channel.publicPem, profileDir);
    expect(await core.api.getLibrary({})).toEqual(before);
    expect(
      existsSync(path.join(profileDir, 'blobs', '.partial'))
        ? readdirSync(path.join(profileDir, 'blobs', '.partial'))
        : [],
    ).toEqual([]);
  });

  it('refuses a version lower than the installed one', async () => {
    const { profileDir } = await installedProfile();
    const newer = copyRelease();
    resign(newer, (j) => ({ ...j, version: 5 }));
    const storage = openStorage(path.join(profileDir, 'pitchcase.db'));
    await installRelease(
      { db: storage.write, blobs: new BlobStore(profileDir), now: () => new Date(), appVersion: '0.1.0' },
      directorySource(newer),
      [parsePublicKey(channel.publicPem)],
    );
    storage.close();
    const error = await attempt(profileDir, channel.releaseDir);
    expect(error.message).toMatch(/version 1 is older than the installed 5/);
  });

  it('does not open a profile on a fresh install whose embedded release is refused', async () => {
    const dir = copyRelease();
    writeFileSync(path.join(dir, 'channel.json.sig'), 'x');
    await expect(coreFor(dir)).rejects.toMatchObject({ code: 'refused' });
  });
});
