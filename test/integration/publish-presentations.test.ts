import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { readPageTextFile } from '#core/library/index';
import { manifest as manifestSchema } from '#shared/manifest';
import { findOffice, makeDeck, makeOdp, saveAs, sampleSlides, type DeckSlide } from '../support/office.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * Presentations in formats other than .pptx: an OpenDocument deck the test writes itself and a
 * PowerPoint 97-2003 deck LibreOffice saves from a generated .pptx. Each keeps its speaker notes
 * (presenter only), leaves hidden slides out, titles its pages and gives every slide an identity
 * a pitch step follows into the next version.
 */
const office = findOffice();
const reason = 'reason' in office ? office.reason : '';
if (reason) console.warn(`Presentation conversion tests skipped: ${reason}`);

const { intro, secret, pricing, closing, inserted } = sampleSlides;

let channel: TestChannel;
let profile: { dir: string; cleanup(): void };
let core: Core;
const soffice = 'path' in office ? office.path : '';
const legacyDeck = async (slides: DeckSlide[]) => saveAs(soffice, await makeDeck(slides), '.pptx', '.ppt');

async function sync(): Promise<void> {
  await core.api.updateChannelSettings({
    channelUrl: pathToFileURL(channel.releaseDir).href,
    publicKeys: [channel.publicPem],
    autoApply: true,
  });
  expect(await core.api.applyContent({})).toMatchObject({ state: 'idle', lastError: null });
}

describe.skipIf(reason !== '')('OpenDocument and PowerPoint 97-2003 presentations', () => {
  beforeAll(async () => {
    channel = await makeChannel({
      items: [
        { id: 'odp', file: 'decks/pitch.odp' },
        { id: 'odp-all', file: 'decks/pitch.odp', hiddenSlides: 'include' },
        { id: 'ppt', file: 'decks/legacy.ppt' },
      ],
      extraFiles: {
        'decks/pitch.odp': makeOdp([intro, secret, pricing, closing]),
        'decks/legacy.ppt': await legacyDeck([intro, secret, pricing, closing]),
      },
    });
    await channel.publish();
    profile = tempDir('pitchcase-presentations-');
    core = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' });
    await sync();
  }, 240_000);

  afterAll(() => {
    core?.close();
    profile?.cleanup();
    channel?.cleanup();
  });

  it('titles pages after their slides and leaves hidden slides out, or flags them when asked', async () => {
    for (const id of ['odp', 'ppt']) {
      const deck = await core.api.getItem({ id });
      expect(
        deck.pages?.map((p) => p.title),
        id,
      ).toEqual(['Why Brightwater', 'Pricing tiers', 'Next steps']);
    }
    const all = await core.api.getItem({ id: 'odp-all' });
    expect(all.pages?.map((p) => [p.title, p.hidden])).toEqual([
      ['Why Brightwater', false],
      ['Internal margins', true],
      ['Pricing tiers', false],
      ['Next steps', false],
    ]);
  });

  it('gives each page its slide’s speaker notes, and finds them on that page', async () => {
    for (const id of ['odp', 'ppt']) {
      const deck = await core.api.getItem({ id });
      expect(
        deck.pages?.map((p) => p.notes),
        id,
      ).toEqual(['Ask about their filters', 'Mention the volume discount\nthen the pilot offer', '']);
    }
    const notes = await core.api.search({ query: 'volume discount' });
    for (const id of ['odp', 'ppt'])
      expect(
        notes.items.find((r) => r.id === id)?.pages.map((p) => [p.page, p.title]),
        id,
      ).toEqual([[2, 'Pricing tiers']]);
    const words = await core.api.search({ query: 'osmosis waste' });
    expect(words.items.find((r) => r.id === 'ppt')?.pages.map((p) => p.page)).toContain(1);
    const hidden = await core.api.search({ query: 'margin table partners' });
    expect(hidden.items.map((r) => r.id)).not.toContain('ppt');
    expect(hidden.items.map((r) => r.id)).not.toContain('odp');
  });

  it('ships the original .ppt and .odp, with a content fingerprint as each slide’s identity', () => {
    const parsed = manifestSchema.parse(
      JSON.parse(readFileSync(path.join(channel.releaseDir, 'channel.json'), 'utf8')),
    );
    const original = (id: string) => parsed.items.find((i) => i.id === id)!.files.find((f) => f.role === 'original')!;
    expect(original('ppt').mime).toBe('application/vnd.ms-powerpoint');
    expect(original('odp').mime).toBe('application/vnd.oasis.opendocument.presentation');
    const shipped = readFileSync(path.join(channel.releaseDir, 'blobs', original('ppt').sha256));
    expect(shipped.equals(readFileSync(path.join(channel.sourceDir, 'decks/legacy.ppt')))).toBe(true);
    const text = (id: string) =>
      readPageTextFile(
        path.join(
          channel.releaseDir,
          'blobs',
          parsed.items.find((i) => i.id === id)!.files.find((f) => f.role === 'text')!.sha256,
        ),
      ) as { slides: { id: string | null; fingerprint: string }[] };
    // The same slides give the same identities, whichever format carried them.
    expect(text('ppt').slides).toEqual(text('odp').slides);
    expect(text('ppt').slides.every((s) => s.id === null)).toBe(true);
  });

  it('keeps pitch steps on their slides when slides are inserted, and reports a removed one', async () => {
    const pitch = await core.api.savePitch({
      name: 'Marston',
      steps: [
        { itemId: 'ppt', page: 2, note: 'ppt pricing' },
        { itemId: 'ppt', page: 3, note: 'ppt close' },
        { itemId: 'odp', page: 2, note: 'odp pricing' },
        { itemId: 'odp', page: 3, note: 'odp close' },
      ],
    });
    expect(pitch.ready).toBe(true);
    // Version 2: a slide inserted at the front, the closing slide removed, the hidden one moved last.
    writeFileSync(
      path.join(channel.sourceDir, 'decks/legacy.ppt'),
      await legacyDeck([inserted, intro, pricing, secret]),
    );
    writeFileSync(path.join(channel.sourceDir, 'decks/pitch.odp'), makeOdp([inserted, intro, pricing, secret]));
    expect((await channel.publish()).version).toBe(2);
    await sync();
    const after = await core.api.getPitch({ id: pitch.id });
    expect(after.steps.map((s) => [s.note, s.page, s.problem])).toEqual([
      ['ppt pricing', 3, null],
      ['ppt close', 3, 'slide-removed'],
      ['odp pricing', 3, null],
      ['odp close', 3, 'slide-removed'],
    ]);
    expect((await core.api.getItem({ id: 'ppt' })).pages?.[2]?.title).toBe('Pricing tiers');
  }, 240_000);
});

describe.skipIf(reason !== '' || process.platform === 'win32')('Keynote presentations', () => {
  it('take the OpenDocument path: notes, titles and hidden slides from what LibreOffice makes of them', async () => {
    // No tool here writes Keynote files, so LibreOffice's Keynote import is stood in for: a
    // wrapper answers the OpenDocument step with the deck that import would give, and hands the
    // PDF step to the real LibreOffice. What is tested is our side: a .key goes through the
    // OpenDocument, its facts are read there, and its PDF comes from that same document.
    const work = tempDir('pitchcase-keynote-');
    const wrapper = path.join(work.dir, 'soffice');
    writeFileSync(path.join(work.dir, 'imported.odp'), makeOdp([intro, secret, pricing, closing]));
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        'case "$*" in',
        '  *"--convert-to odp"*)',
        '    out=""; prev=""',
        '    for arg in "$@"; do [ "$prev" = "--outdir" ] && out="$arg"; prev="$arg"; done',
        '    for arg in "$@"; do case "$arg" in *.key)',
        `      cp "${path.join(work.dir, 'imported.odp')}" "$out/$(basename "$arg" .key).odp";;`,
        '    esac; done;;',
        `  *) exec "${soffice}" "$@";;`,
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const keynote = await makeChannel({
      items: [{ id: 'keynote', file: 'launch.key' }],
      // A Keynote file is a zip package; its contents are the stand-in's business.
      extraFiles: { 'launch.key': makeOdp([closing]) },
    });
    const saved = process.env.PITCHCASE_SOFFICE;
    process.env.PITCHCASE_SOFFICE = wrapper;
    try {
      await keynote.publish();
      const parsed = manifestSchema.parse(
        JSON.parse(readFileSync(path.join(keynote.releaseDir, 'channel.json'), 'utf8')),
      );
      const item = parsed.items.find((i) => i.id === 'keynote')!;
      expect(item.pageCount).toBe(3);
      expect(item.files.find((f) => f.role === 'original')?.mime).toBe('application/vnd.apple.keynote');
      const text = readPageTextFile(
        path.join(keynote.releaseDir, 'blobs', item.files.find((f) => f.role === 'text')!.sha256),
      ) as { titles: string[]; notes: string[]; pages: string[] };
      expect(text.titles).toEqual(['Why Brightwater', 'Pricing tiers', 'Next steps']);
      expect(text.notes).toEqual(['Ask about their filters', 'Mention the volume discount\nthen the pilot offer', '']);
      expect(text.pages[1]).toContain('Starter, growth and fleet plans');
    } finally {
      if (saved === undefined) delete process.env.PITCHCASE_SOFFICE;
      else process.env.PITCHCASE_SOFFICE = saved;
      keynote.cleanup();
      work.cleanup();
    }
  }, 180_000);
});

describe.skipIf(reason !== '')('Presentations that cannot be published', () => {
  it('names an .odp whose content is damaged, and writes nothing', async () => {
    const bad = await makeChannel({
      items: [{ id: 'deck', file: 'broken.odp' }],
      extraFiles: { 'broken.odp': 'PK\u0003\u0004 not really a zip' },
    });
    try {
      await expect(bad.publish()).rejects.toThrow(/broken\.odp: not a readable OpenDocument presentation file/);
      expect(existsSync(bad.releaseDir)).toBe(false);
    } finally {
      bad.cleanup();
    }
  });
});
