import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { SNAPSHOT_FORMAT } from '#core/search/snapshot';
import { makeChannel, makePdf, tempDir, type TestChannel } from '../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function open(channel: TestChannel, profileDir: string, now = () => new Date()): Promise<Core> {
  const core = await createCore({
    profileDir,
    shell: 'browser',
    siteBaseUrl: 'http://site.test',
    embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    clock: { now },
  });
  cleanups.unshift(() => core.close());
  return core;
}

async function setup() {
  const channel = await makeChannel({ pdfPages: ['Intro to pumps', 'Reverse osmosis membranes', 'Prices and plans'] });
  cleanups.push(channel.cleanup);
  await channel.publish();
  const profile = tempDir('pitchcase-search-');
  cleanups.push(profile.cleanup);
  return { channel, profileDir: profile.dir };
}

describe('search in the core', () => {
  it('searches the installed release and points at the page', async () => {
    const { channel, profileDir } = await setup();
    const core = await open(channel, profileDir);
    const result = await core.api.search({ query: 'membranes' });
    expect(result.items[0]).toMatchObject({ id: 'brochure', kind: 'pdf' });
    expect(result.items[0]?.pages[0]?.page).toBe(2);
    expect(result.glossary).toEqual([]);
    expect((await core.api.search({ query: 'lead' })).glossary[0]?.term).toBe('Lead');
  });

  it('loads the saved index at the next start instead of rebuilding it', async () => {
    const { channel, profileDir } = await setup();
    (await open(channel, profileDir)).close();
    const snapshot = readFileSync(path.join(profileDir, 'search', 'index.snap'));
    const again = await open(channel, profileDir);
    expect((await again.api.search({ query: 'osmosis' })).items[0]?.id).toBe('brochure');
    // Unchanged: the snapshot was trusted, not rewritten.
    expect(readFileSync(path.join(profileDir, 'search', 'index.snap')).equals(snapshot)).toBe(true);
  });

  it('rebuilds a damaged snapshot instead of trusting it', async () => {
    const { channel, profileDir } = await setup();
    (await open(channel, profileDir)).close();
    const file = path.join(profileDir, 'search', 'index.snap');
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(file, bytes);
    const core = await open(channel, profileDir);
    expect((await core.api.search({ query: 'osmosis' })).items[0]?.id).toBe('brochure');
    expect(readFileSync(file).equals(bytes)).toBe(false);
  });

  it('rebuilds a snapshot of an older index format (terms before stemming) instead of reading it', async () => {
    const { channel, profileDir } = await setup();
    (await open(channel, profileDir)).close();
    const file = path.join(profileDir, 'search', 'index.snap');
    const bytes = readFileSync(file);
    expect(bytes.readUInt32LE(4)).toBe(SNAPSHOT_FORMAT);
    bytes.writeUInt32LE(SNAPSHOT_FORMAT - 1, 4);
    writeFileSync(file, bytes);
    const core = await open(channel, profileDir);
    // "membrane" finds "membranes" through its stem, which only the new format holds.
    expect((await core.api.search({ query: 'membrane ' })).items[0]?.id).toBe('brochure');
    expect(readFileSync(file).readUInt32LE(4)).toBe(SNAPSHOT_FORMAT);
  });

  it('indexes only the items a new release changed', async () => {
    const extraFiles: Record<string, Uint8Array> = {};
    const items = [{ id: 'brochure', file: 'docs/brochure.pdf' }];
    for (let n = 0; n < 9; n++) {
      extraFiles[`docs/other-${n}.pdf`] = await makePdf(`Other ${n}`, [`Other document number ${n}`]);
      items.push({ id: `other-${n}`, file: `docs/other-${n}.pdf` });
    }
    const channel = await makeChannel({ items, extraFiles });
    cleanups.push(channel.cleanup);
    await channel.publish();
    const profileDir = tempDir('pitchcase-search-');
    cleanups.push(profileDir.cleanup);
    (await open(channel, profileDir.dir)).close();
    writeFileSync(
      path.join(channel.sourceDir, 'docs', 'brochure.pdf'),
      await makePdf('Test brochure', ['Intro to pumps', 'Nanofiltration modules', 'Prices']),
    );
    await channel.publish();
    const core = await open(channel, profileDir.dir);
    expect((await core.api.search({ query: 'nanofiltration' })).items[0]?.id).toBe('brochure');
    expect((await core.api.search({ query: 'osmosis ' })).items).toEqual([]);
    expect((await core.api.search({ query: 'number 7' })).items[0]?.id).toBe('other-7');
    const snap = readFileSync(path.join(profileDir.dir, 'search', 'index.snap')).toString('latin1');
    // Base segment plus one delta segment holding only the changed brochure.
    expect(snap).toContain('"segments":[{"hashes":{"brochure"');
    expect((snap.match(/"hashes":/g) ?? []).length).toBe(2);
  });

  it('records settled searches: recent ones for the rep, zero-result ones for marketing', async () => {
    const { channel, profileDir } = await setup();
    let t = Date.parse('2026-03-01T10:00:00Z');
    const core = await open(channel, profileDir, () => new Date((t += 1000)));
    await core.api.search({ query: 'osmo' }); // typing, not settled: not recorded
    await core.api.search({ query: 'osmosis', record: true });
    await core.api.search({ query: 'xylophone', record: true, filters: { kinds: ['pdf'] } });
    await core.api.search({ query: 'pumps', record: true });
    await core.api.search({ query: 'Osmosis', record: true });
    expect(await core.api.getRecentSearches({})).toEqual(['Osmosis', 'pumps']);
    const db = new Database(path.join(profileDir, 'pitchcase.db'), { readonly: true });
    const zero = db.prepare(`SELECT query, filters, results FROM search_log WHERE results = 0`).all();
    db.close();
    expect(zero).toEqual([{ query: 'xylophone', filters: '{"kinds":["pdf"]}', results: 0 }]);
  });
});
