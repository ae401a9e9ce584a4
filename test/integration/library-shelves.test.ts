/**
 * The library read a page at a time (listItems, getShelfFacets, getLibraryHome): sort orders,
 * filters, paging that never skips or repeats an item, the home's shelves and counts, and search
 * results paged with their cards. A real release published from a catalogue, installed by the core.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import type { ItemListRequest, ItemSort } from '#shared/library';
import { PitchcaseError } from '#shared/result';
import { makeChannel, tempDir, type SourceItem, type TestChannel } from '../support/release.ts';

// Titles chosen for what A–Z must get right: numbers by value, case and accents folded.
const titles = ['Deck 10', 'deck 9', 'Écran tactile', 'Zebra mussels', 'apple orchards', 'Brochure 2', 'Brochure 11'];

function sourceItems(changed: ReadonlySet<string> = new Set()): SourceItem[] {
  return Array.from({ length: 28 }, (_, i) => {
    const id = `item-${String(i).padStart(2, '0')}`;
    return {
      id,
      file: changed.has(id) ? 'photo-2.svg' : i % 3 === 0 ? 'docs/brochure.pdf' : 'photo.svg',
      title: titles[i] ?? `Item ${i}`,
      products: [i % 2 === 0 ? 'AquaCore' : 'FlowSense'],
      tags: i === 17 ? ['needle'] : [`tag-${i % 4}`],
      // 0–15 in "main", 10–19 in "other" too, 20–27 in no collection.
      collections: [...(i < 16 ? ['main'] : []), ...(i >= 10 && i < 20 ? ['other'] : [])],
    };
  });
}

function writeCatalogue(dir: string, items: SourceItem[]): void {
  writeFileSync(
    path.join(dir, 'catalogue.yaml'),
    stringify({
      channel: 'test',
      collections: [
        { id: 'main', title: 'Main collection' },
        { id: 'other', title: 'Other collection' },
        { id: 'empty', title: 'Nothing visible' },
      ],
      glossary: [{ id: 'lead', term: 'Lead', definition: 'A person who showed interest.' }],
      items,
    }),
  );
}

let channel: TestChannel;
let core: Core;
// Each reading of the clock is a second later, so "favourited after" and "opened after" never tie
// within one millisecond, as two taps by a rep never do.
let tick = Date.now();
const clock = { now: () => new Date((tick += 1000)) };
let profile: { dir: string; cleanup(): void };

beforeAll(async () => {
  channel = await makeChannel({
    items: sourceItems(),
    extraFiles: {
      'photo-2.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="navy"/></svg>',
    },
  });
  writeCatalogue(channel.sourceDir, sourceItems());
  await channel.publish();
  profile = tempDir('pitchcase-shelves-');
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://site.test',
    embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    clock,
  });
  // Version 2 changes the content of two items: they are the newest.
  core.close();
  writeCatalogue(channel.sourceDir, sourceItems(new Set(['item-05', 'item-14'])));
  await channel.publish();
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://site.test',
    embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    clock,
  });
}, 60_000);

afterAll(() => {
  core?.close();
  profile?.cleanup();
  channel?.cleanup();
});

const ids = async (request: Partial<ItemListRequest> & { shelf: string }) =>
  (await core.api.listItems({ sort: 'shelf', offset: 0, limit: 200, ...request })).items.map((item) => item.id);

describe('one page of a shelf', () => {
  it('keeps the collection order marketing gave, and counts the whole shelf', async () => {
    const page = await core.api.listItems({ shelf: 'main', sort: 'shelf', offset: 0, limit: 5 });
    expect(page.total).toBe(16);
    expect(page.offset).toBe(0);
    expect(page.items.map((item) => item.id)).toEqual(['item-00', 'item-01', 'item-02', 'item-03', 'item-04']);
    expect(page.items[0]).toMatchObject({ kind: 'pdf', title: 'Deck 10', products: ['AquaCore'] });
    expect(page.items[0]!.thumbnail?.mime).toMatch(/^image\//);
  });

  it('sorts A–Z as people read titles: numbers by value, case and accents folded', async () => {
    const sorted = await ids({ shelf: 'main', sort: 'title' });
    expect(sorted.slice(0, 7)).toEqual(['item-04', 'item-05', 'item-06', 'item-01', 'item-00', 'item-02', 'item-07']);
    const page = await core.api.listItems({ shelf: 'main', sort: 'title', offset: 0, limit: 7 });
    expect(page.items.map((item) => item.title)).toEqual([
      'apple orchards',
      'Brochure 2',
      'Brochure 11',
      'deck 9',
      'Deck 10',
      'Écran tactile',
      'Item 7',
    ]);
  });

  it('puts what changed in the newest release first, the rest in shelf order', async () => {
    const sorted = await ids({ shelf: 'main', sort: 'new' });
    expect(sorted.slice(0, 3)).toEqual(['item-05', 'item-14', 'item-00']);
    expect(sorted).toHaveLength(16);
  });

  it('puts what the rep opened most on this device first', async () => {
    for (const id of ['item-12', 'item-12', 'item-12', 'item-03', 'item-03', 'item-25'])
      await core.api.recordItemOpened({ itemId: id });
    expect((await ids({ shelf: 'main', sort: 'used' })).slice(0, 3)).toEqual(['item-12', 'item-03', 'item-00']);
    expect((await ids({ shelf: '__all', sort: 'used' })).slice(0, 4)).toEqual([
      'item-12',
      'item-03',
      'item-25',
      'item-00',
    ]);
  });

  it('filters by kind, product and tag, together, and counts only the matches', async () => {
    const pdfs = await core.api.listItems({
      shelf: 'main',
      sort: 'shelf',
      filter: { kind: 'pdf' },
      offset: 0,
      limit: 50,
    });
    expect(pdfs.items.map((item) => item.id)).toEqual([
      'item-00',
      'item-03',
      'item-06',
      'item-09',
      'item-12',
      'item-15',
    ]);
    expect(pdfs.total).toBe(6);
    const both = await core.api.listItems({
      shelf: 'main',
      sort: 'shelf',
      filter: { kind: 'pdf', product: 'FlowSense' },
      offset: 0,
      limit: 50,
    });
    expect(both.items.map((item) => item.id)).toEqual(['item-03', 'item-09', 'item-15']);
    expect(await ids({ shelf: '__all', filter: { tag: 'needle' } })).toEqual(['item-17']);
    // The needle is in "other", not in "main".
    expect(await ids({ shelf: 'main', filter: { tag: 'needle' } })).toEqual([]);
    // Null means no filter, as the screens send it.
    expect(await ids({ shelf: 'other', filter: { kind: null, product: null, tag: null } })).toHaveLength(10);
  });

  it('pages through every sort without skipping or repeating an item', async () => {
    for (const sort of ['shelf', 'new', 'title', 'used'] satisfies ItemSort[]) {
      const whole = await ids({ shelf: '__all', sort });
      expect(whole).toHaveLength(28);
      const paged: string[] = [];
      for (let offset = 0; offset < 28; offset += 5) {
        const page = await core.api.listItems({ shelf: '__all', sort, offset, limit: 5 });
        expect(page.total).toBe(28);
        paged.push(...page.items.map((item) => item.id));
      }
      expect(paged, sort).toEqual(whole);
      expect(new Set(paged).size).toBe(28);
    }
    const past = await core.api.listItems({ shelf: '__all', sort: 'title', offset: 40, limit: 5 });
    expect(past).toEqual({ items: [], total: 28, offset: 40 });
  });

  it('lists the items no collection holds, and the favourites and recently opened', async () => {
    expect(await ids({ shelf: '__more' })).toEqual(Array.from({ length: 8 }, (_, i) => `item-${20 + i}`));
    await core.api.setFavourite({ itemId: 'item-07', favourite: true });
    await core.api.setFavourite({ itemId: 'item-21', favourite: true });
    expect(await ids({ shelf: '__favourites' })).toEqual(['item-21', 'item-07']);
    expect((await ids({ shelf: '__recent' }))[0]).toBe('item-25');
  });

  it('refuses a collection that is not in the release, and a bad page, changing nothing', async () => {
    await expect(core.api.listItems({ shelf: 'gone', sort: 'shelf', offset: 0, limit: 5 })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(core.api.getShelfFacets({ shelf: 'gone' })).rejects.toBeInstanceOf(PitchcaseError);
  });

  it('says what a shelf can be filtered by', async () => {
    expect(await core.api.getShelfFacets({ shelf: 'other' })).toEqual({
      total: 10,
      kinds: ['image', 'pdf'],
      products: ['AquaCore', 'FlowSense'],
      tags: ['needle', 'tag-0', 'tag-1', 'tag-2', 'tag-3'],
    });
  });
});

describe('the home in one small answer', () => {
  it('lists shelves with counts and the first cards of only the first shelves', async () => {
    const home = await core.api.getLibraryHome({ shelfSize: 3, withCards: 3 });
    expect(home.release).toMatchObject({ channel: 'test', version: 2, itemCount: 28 });
    expect(home.itemCount).toBe(28);
    expect(home.collectionCount).toBe(2);
    expect(home.shelves.map((shelf) => [shelf.id, shelf.count])).toEqual([
      ['__favourites', 2],
      ['__recent', 3],
      ['main', 16],
      ['other', 10],
      ['__more', 8],
    ]);
    expect(home.shelves.map((shelf) => shelf.items?.length ?? null)).toEqual([2, 3, 3, null, null]);
    expect(home.shelves[2]!.items!.map((item) => item.id)).toEqual(['item-00', 'item-01', 'item-02']);
    expect(home.glossary.map((entry) => entry.term)).toEqual(['Lead']);
    expect(home.searchFacets.products).toEqual(['AquaCore', 'FlowSense']);
    expect(home.searchFacets.collections).toEqual([
      { id: 'main', title: 'Main collection' },
      { id: 'other', title: 'Other collection' },
    ]);
  });
});

describe('search, a page at a time', () => {
  it('pages results without overlap, each with its card', async () => {
    const first = await core.api.search({ query: 'item', limit: 5 });
    const second = await core.api.search({ query: 'item', limit: 5, offset: 5 });
    expect(first.total).toBeGreaterThan(10);
    expect(second.total).toBe(first.total);
    const firstIds = first.items.map((item) => item.id);
    for (const item of second.items) expect(firstIds).not.toContain(item.id);
    expect(first.items[0]!.summary).toMatchObject({ id: first.items[0]!.id });
    expect(first.items[0]!.summary?.thumbnail).not.toBeNull();
  });
});
