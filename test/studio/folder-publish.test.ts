import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '#publish/keys';
import { publishRelease } from '#publish/publish';
import type { Manifest } from '#shared/manifest';
import { makePdf, tempDir } from '../support/release.ts';

/** One pipeline for Studio and the CLI: a folder without a catalogue is published, not refused. */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('publishing a folder without a catalogue', () => {
  it('makes an item of every PDF, image and video and a microsite of every folder with an index.html; titles from metadata or file names', async () => {
    const source = tempDir('folder-src-');
    const out = tempDir('folder-out-');
    cleanups.push(source.cleanup, out.cleanup);
    writeFileSync(path.join(source.dir, 'price_list.pdf'), await makePdf('', ['Prices']));
    mkdirSync(path.join(source.dir, 'decks'));
    writeFileSync(path.join(source.dir, 'decks', 'q3-deck.pdf'), await makePdf('Quarterly deck Q3', ['Hello']));
    writeFileSync(path.join(source.dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    writeFileSync(path.join(source.dir, 'notes.txt'), 'not collateral');
    mkdirSync(path.join(source.dir, 'roi-calculator', 'js'), { recursive: true });
    writeFileSync(path.join(source.dir, 'roi-calculator', 'index.html'), '<h1>ROI</h1>');
    writeFileSync(path.join(source.dir, 'roi-calculator', 'js', 'app.js'), 'void 0');
    const result = await publishRelease({
      sourceDir: source.dir,
      outDir: out.dir,
      privateKeyPem: generateSigningKeys().privatePem,
    });
    expect(result.items).toBe(4);
    const manifest = JSON.parse(readFileSync(result.manifestPath, 'utf8')) as Manifest;
    expect(manifest.items.map((i) => [i.id, i.kind, i.title])).toEqual([
      ['decks-q3-deck', 'pdf', 'Quarterly deck Q3'],
      ['logo', 'image', 'Logo'],
      ['price-list', 'pdf', 'Price list'],
      ['roi-calculator', 'microsite', 'Roi calculator'],
    ]);
  });

  it('refuses a folder with nothing to publish, and writes nothing', async () => {
    const source = tempDir('folder-src-');
    const out = tempDir('folder-out-');
    cleanups.push(source.cleanup, out.cleanup);
    writeFileSync(path.join(source.dir, 'notes.txt'), 'not collateral');
    await expect(
      publishRelease({ sourceDir: source.dir, outDir: out.dir, privateKeyPem: generateSigningKeys().privatePem }),
    ).rejects.toThrow(/no PDF, Office document, image, video, audio or microsite/);
    expect(() => readFileSync(path.join(out.dir, 'channel.json'))).toThrow();
  });
});
