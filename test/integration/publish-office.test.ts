import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { readPageTextFile } from '#core/library/index';
import { apiArgSchemas } from '#shared/contract-args';
import { manifest as manifestSchema, type ManifestItem } from '#shared/manifest';
import { pageText } from '#shared/pages';
import { findOffice, makeDeck, makeWorkbook, sampleSlides } from '../support/office.ts';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

/**
 * Office files through the whole pipeline: decks, workbooks and RTF that the test writes itself,
 * converted by a real LibreOffice, published, installed into a core and synced to a second
 * version in which marketing inserted a slide and removed one. LibreOffice starts once per batch,
 * so each publish converts everything at once.
 */
const office = findOffice();
const reason = 'reason' in office ? office.reason : '';
if (reason) console.warn(`Office conversion tests skipped: ${reason}`);

const { intro, secret, pricing, closing, inserted } = sampleSlides;

const rtf = '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Helvetica;}}\\f0 Warranty memo: five years on membranes.\\par}';

const items = [
  { id: 'deck', file: 'decks/pitch.pptx' },
  { id: 'deck-all', file: 'decks/pitch.pptx', hiddenSlides: 'include' },
  { id: 'prices', file: 'sheets/prices.xlsx' },
  { id: 'memo', file: 'memo.rtf', title: 'Warranty memo' },
];

let channel: TestChannel;
let profile: { dir: string; cleanup(): void };
let core: Core;

function manifestItem(id: string): ManifestItem {
  const parsed = manifestSchema.parse(JSON.parse(readFileSync(path.join(channel.releaseDir, 'channel.json'), 'utf8')));
  return parsed.items.find((i) => i.id === id)!;
}

async function sync(): Promise<void> {
  await core.api.updateChannelSettings({
    channelUrl: pathToFileURL(channel.releaseDir).href,
    publicKeys: [channel.publicPem],
    autoApply: true,
  });
  const status = await core.api.applyContent({});
  expect(status).toMatchObject({ state: 'idle', lastError: null });
}

describe.skipIf(reason !== '')('Office documents through publish and sync', () => {
  beforeAll(async () => {
    channel = await makeChannel({
      items,
      extraFiles: {
        'decks/pitch.pptx': await makeDeck([intro, secret, pricing, closing]),
        'sheets/prices.xlsx': await makeWorkbook([
          {
            name: 'Plans',
            rows: [
              ['Plan', 'Price'],
              ['Starter', '990'],
              ['Fleet', '7900'],
            ],
          },
          {
            name: 'Parts',
            rows: [
              ['Membrane', '120'],
              ['Pump seal', '35'],
            ],
            printArea: 'A1:B1',
          },
        ]),
        'memo.rtf': rtf,
      },
    });
    await channel.publish();
    profile = tempDir('pitchcase-office-');
    core = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' });
    await sync();
  }, 180_000);

  afterAll(() => {
    core?.close();
    profile?.cleanup();
    channel?.cleanup();
  });

  it('presents the PDF and ships the original file as its own role', () => {
    const deck = manifestItem('deck');
    expect(deck.kind).toBe('pdf');
    expect(deck.files.find((f) => f.role === 'primary')?.mime).toBe('application/pdf');
    const original = deck.files.find((f) => f.role === 'original')!;
    expect(original.mime).toBe('application/vnd.openxmlformats-officedocument.presentationml.presentation');
    const source = readFileSync(path.join(channel.sourceDir, 'decks/pitch.pptx'));
    expect(readFileSync(path.join(channel.releaseDir, 'blobs', original.sha256)).equals(source)).toBe(true);
    expect(manifestItem('memo').files.find((f) => f.role === 'original')?.mime).toBe('application/rtf');
  });

  it('leaves hidden slides out, or includes and flags them when the catalogue asks', async () => {
    const deck = await core.api.getItem({ id: 'deck' });
    expect(deck.pageCount).toBe(3);
    expect(deck.pages?.map((p) => p.title)).toEqual(['Why Brightwater', 'Pricing tiers', 'Next steps']);
    const all = await core.api.getItem({ id: 'deck-all' });
    expect(all.pageCount).toBe(4);
    expect(all.pages?.map((p) => [p.title, p.hidden])).toEqual([
      ['Why Brightwater', false],
      ['Internal margins', true],
      ['Pricing tiers', false],
      ['Next steps', false],
    ]);
  });

  it('finds slide text and speaker notes on the right page', async () => {
    const words = await core.api.search({ query: 'osmosis waste' });
    const deckHit = words.items.find((r) => r.id === 'deck');
    expect(deckHit?.pages.map((p) => p.page)).toContain(1);
    const notes = await core.api.search({ query: 'volume discount' });
    expect(notes.items.find((r) => r.id === 'deck')?.pages.map((p) => [p.page, p.title])).toEqual([
      [2, 'Pricing tiers'],
    ]);
    const hidden = await core.api.search({ query: 'margin table partners' });
    expect(hidden.items.find((r) => r.id === 'deck')).toBeUndefined();
    const memo = await core.api.search({ query: 'membranes warranty' });
    expect(memo.items.map((r) => r.id)).toContain('memo');
  });

  it('gives the presenter the notes of each slide and the audience none of them', async () => {
    const deck = await core.api.getItem({ id: 'deck' });
    expect(deck.pages?.map((p) => p.notes)).toEqual([
      'Ask about their filters',
      'Mention the volume discount\nthen the pilot offer',
      '',
    ]);
    const state = {
      sessionId: 'office-test',
      seq: 1,
      status: 'presenting' as const,
      slide: { itemId: 'deck', page: 2 },
      black: false,
      aspect: 16 / 9,
      ink: [],
    };
    await core.api.showToAudience(state);
    const audience = await core.api.getAudienceState({ sessionId: 'office-test' });
    expect(audience?.slide).toEqual({ itemId: 'deck', page: 2 });
    expect(JSON.stringify(audience)).not.toMatch(/volume discount|Pricing tiers/);
    // A presenter that tried to send notes along is refused at the boundary (IPC and the browser host).
    expect(apiArgSchemas.showToAudience.safeParse({ ...state, seq: 2, notes: deck.pages?.[1]?.notes }).success).toBe(
      false,
    );
  });

  it("turns every sheet of a workbook into pages, printing only a sheet's print area", async () => {
    const text = pageText.parse(
      readPageTextFile(
        path.join(channel.releaseDir, 'blobs', manifestItem('prices').files.find((f) => f.role === 'text')!.sha256),
      ),
    );
    expect(text.pages.length).toBeGreaterThanOrEqual(2);
    expect(text.pages.findIndex((p) => p.includes('Starter'))).toBeLessThan(
      text.pages.findIndex((p) => p.includes('Membrane')),
    );
    expect(text.pages.join('\n')).toContain('Fleet');
    expect(text.pages.join('\n')).not.toContain('Pump seal');
  });

  it('keeps a pitch step on its slide when a slide is inserted before it, and reports a removed slide', async () => {
    const pitch = await core.api.savePitch({
      name: 'Marston',
      steps: [
        { itemId: 'deck', page: 2, note: 'pricing' },
        { itemId: 'deck', page: 3, note: 'close' },
      ],
    });
    expect(pitch.ready).toBe(true);
    // The same slides added one by one from the viewer keep their identity just the same.
    const fromViewer = await core.api.addToPitch({ name: 'From the viewer', itemId: 'deck', page: 2, note: 'pricing' });
    await core.api.addToPitch({ pitchId: fromViewer.id, itemId: 'deck', page: 3, note: 'close' });

    // Version 2: a slide inserted at the front, the closing slide removed, the hidden one moved last.
    writeFileSync(path.join(channel.sourceDir, 'decks/pitch.pptx'), await makeDeck([inserted, intro, pricing, secret]));
    const published = await channel.publish();
    expect(published.version).toBe(2);
    await sync();
    expect((await core.api.getLibrary({})).release?.version).toBe(2);

    const after = await core.api.getPitch({ id: pitch.id });
    expect(after.steps.map((s) => [s.note, s.page, s.problem])).toEqual([
      ['pricing', 3, null],
      ['close', 3, 'slide-removed'],
    ]);
    expect(after.ready).toBe(false);
    expect((await core.api.getPitch({ id: fromViewer.id })).steps.map((s) => [s.note, s.page, s.problem])).toEqual([
      ['pricing', 3, null],
      ['close', 3, 'slide-removed'],
    ]);
    // Saved again as shown (the builder sends page numbers), the removed slide stays reported
    // rather than taking the slide that now sits on page 3.
    const again = await core.api.savePitch({
      id: pitch.id,
      name: 'Marston',
      steps: after.steps.map(({ itemId, page, note }) => ({ itemId, page, note })),
    });
    expect(again.steps.map((s) => [s.note, s.page, s.problem])).toEqual([
      ['pricing', 3, null],
      ['close', 3, 'slide-removed'],
    ]);
    const deck = await core.api.getItem({ id: 'deck' });
    expect(deck.pages?.[2]?.title).toBe('Pricing tiers');
  }, 180_000);
});

describe('Office files that cannot be published', () => {
  it('names a corrupt .pptx and writes nothing', async () => {
    const bad = await makeChannel({
      items: [{ id: 'deck', file: 'decks/broken.pptx' }],
      extraFiles: { 'decks/broken.pptx': 'PK\u0003\u0004 this is not a real zip' },
    });
    try {
      await expect(bad.publish()).rejects.toThrow(/broken\.pptx: not a readable PowerPoint file/);
      expect(existsSync(bad.releaseDir) ? readdirSync(bad.releaseDir) : []).toEqual([]);
    } finally {
      bad.cleanup();
    }
  });

  it('names a file that is not what its name says, before starting LibreOffice', async () => {
    const bad = await makeChannel({
      items: [{ id: 'memo', file: 'memo.docx' }],
      extraFiles: { 'memo.docx': 'plain text pretending' },
    });
    const saved = process.env.PITCHCASE_SOFFICE;
    process.env.PITCHCASE_SOFFICE = process.execPath;
    try {
      await expect(bad.publish()).rejects.toThrow(/memo\.docx: not a docx file \(damaged, or named wrongly\)/);
      expect(existsSync(bad.releaseDir)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.PITCHCASE_SOFFICE;
      else process.env.PITCHCASE_SOFFICE = saved;
      bad.cleanup();
    }
  });

  it('says how to install LibreOffice when soffice is missing, and writes nothing', async () => {
    const bad = await makeChannel({
      items: [{ id: 'deck', file: 'deck.pptx' }],
      extraFiles: { 'deck.pptx': await makeDeck([intro]) },
    });
    const saved = { path: process.env.PATH, soffice: process.env.PITCHCASE_SOFFICE };
    process.env.PATH = path.join(bad.sourceDir, 'no-programs-here');
    delete process.env.PITCHCASE_SOFFICE;
    try {
      await expect(bad.publish()).rejects.toThrow(
        /deck\.pptx: converting it to PDF needs LibreOffice, but LibreOffice \(soffice\) is not installed: install LibreOffice \(Debian\/Ubuntu: apt-get install libreoffice-impress/,
      );
      expect(existsSync(bad.releaseDir)).toBe(false);
    } finally {
      process.env.PATH = saved.path;
      if (saved.soffice !== undefined) process.env.PITCHCASE_SOFFICE = saved.soffice;
      bad.cleanup();
    }
  });
});
