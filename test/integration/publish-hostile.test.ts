import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manifestOf } from '../support/release-pair.ts';
import { makeChannel, tempDir, type SourceItem, type TestChannel } from '../support/release.ts';

/**
 * `pitchcase publish` over a source folder someone else filled: links leaving the folder,
 * entries that are not files, and catalogue dates that make no sense are refused, named, and
 * leave the release folder as it was.
 */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function source(items?: SourceItem[]): Promise<TestChannel> {
  const channel = await makeChannel(items ? { items } : {});
  cleanups.push(channel.cleanup);
  return channel;
}

const defaultItems: SourceItem[] = [
  { id: 'brochure', file: 'docs/brochure.pdf', collections: ['main'] },
  { id: 'calculator', site: 'site', title: 'ROI calculator' },
];

describe('links and special files in the source folder', () => {
  it.skipIf(process.platform === 'win32')(
    'refuses an item file that is a link to /etc/passwd, naming it, and writes nothing',
    async () => {
      const channel = await source([...defaultItems, { id: 'photo', file: 'photo.png' }]);
      symlinkSync('/etc/passwd', path.join(channel.sourceDir, 'photo.png'));
      await expect(channel.publish()).rejects.toThrow(
        new RegExp(
          `${path.join(channel.sourceDir, 'photo.png').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: a link to /etc/passwd, outside the source folder`,
        ),
      );
      expect(existsSync(channel.releaseDir)).toBe(false);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'refuses a microsite file or folder linking out of the source folder',
    async () => {
      const outside = tempDir('pitchcase-outside-');
      cleanups.push(outside.cleanup);
      const channel = await source(defaultItems);
      symlinkSync('/etc/hostname', path.join(channel.sourceDir, 'site', 'host.txt'));
      await expect(channel.publish()).rejects.toThrow(
        /site\/host\.txt: a link to \/etc\/hostname, outside the source folder/,
      );

      const second = await source(defaultItems);
      symlinkSync(outside.dir, path.join(second.sourceDir, 'site', 'assets'));
      await expect(second.publish()).rejects.toThrow(/site\/assets: a link to .*, outside the source folder/);
      expect(existsSync(second.releaseDir)).toBe(false);
    },
  );

  it.skipIf(process.platform === 'win32')('names a link to nothing inside a microsite', async () => {
    const channel = await source(defaultItems);
    symlinkSync(path.join(channel.sourceDir, 'gone.css'), path.join(channel.sourceDir, 'site', 'css', 'theme.css'));
    await expect(channel.publish()).rejects.toThrow(/site\/css\/theme\.css: not found \(or a link to nothing\)/);
    // The microsite folder itself missing is still said as such.
    const missing = await source([{ id: 'calculator', site: 'nosite' }]);
    await expect(missing.publish()).rejects.toThrow(/nosite: microsite folder not found/);
  });

  it.skipIf(process.platform === 'win32')(
    'publishes links that stay inside the source folder, with the bytes they point at',
    async () => {
      const channel = await source([...defaultItems, { id: 'photo', file: 'pictures/photo.svg' }]);
      mkdirSync(path.join(channel.sourceDir, 'pictures'));
      symlinkSync(path.join('..', 'photo.svg'), path.join(channel.sourceDir, 'pictures', 'photo.svg'));
      symlinkSync(path.join('..', 'photo.svg'), path.join(channel.sourceDir, 'site', 'logo.svg'));
      // A link back up the tree is listed once, not for ever.
      symlinkSync('..', path.join(channel.sourceDir, 'site', 'css', 'up'));
      await channel.publish();
      const manifest = manifestOf(channel.releaseDir);
      const site = manifest.items.find((i) => i.id === 'calculator')!;
      expect(site.files.map((f) => f.path).sort()).toEqual(['css/style.css', 'index.html', 'logo.svg', 'more.html']);
      const photo = manifest.items.find((i) => i.id === 'photo')!.files[0]!;
      expect(site.files.find((f) => f.path === 'logo.svg')!.sha256).toBe(photo.sha256);
    },
  );

  it.skipIf(spawnSync('sh', ['-c', 'command -v mkfifo']).status !== 0)(
    'refuses a FIFO, as an item file or inside a microsite, instead of hanging',
    async () => {
      const channel = await source([...defaultItems, { id: 'clip', file: 'clip.mp4' }]);
      expect(spawnSync('mkfifo', [path.join(channel.sourceDir, 'clip.mp4')]).status).toBe(0);
      await expect(channel.publish()).rejects.toThrow(/clip\.mp4: not a regular file/);

      const second = await source(defaultItems);
      expect(spawnSync('mkfifo', [path.join(second.sourceDir, 'site', 'pipe.html')]).status).toBe(0);
      await expect(second.publish()).rejects.toThrow(/site\/pipe\.html: not a regular file/);
      expect(existsSync(second.releaseDir)).toBe(false);
    },
  );
});

describe('catalogue dates', () => {
  it('refuses an item valid until a date before it is valid from, naming the field', async () => {
    const channel = await source([
      {
        id: 'brochure',
        file: 'docs/brochure.pdf',
        validFrom: '2026-06-01T00:00:00Z',
        validUntil: '2026-05-01T00:00:00Z',
      },
    ]);
    await expect(channel.publish()).rejects.toThrow(
      /catalogue\.yaml: items\.0\.validUntil: validUntil must be after validFrom/,
    );
    expect(existsSync(channel.releaseDir)).toBe(false);
  });
});
