import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import type { ActivityEvent } from '#shared/presenting';
import { coreOnChannel, type CoreOnChannel } from '../support/core-on-channel.ts';
import { makePdf } from '../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

async function setup(): Promise<CoreOnChannel> {
  const made = await coreOnChannel({
    channel: {
      items: [
        { id: 'brochure', file: 'docs/brochure.pdf' },
        { id: 'deck', file: 'docs/deck.pdf' },
        { id: 'photo', file: 'photo.svg' },
      ],
      extraFiles: { 'docs/deck.pdf': await makePdf('Deck', ['Slide one', 'Slide two', 'Slide three', 'Slide four']) },
    },
    start: '2026-04-01T09:00:00Z',
    profilePrefix: 'pitchcase-presenting-',
  });
  cleanups.push(made.cleanup);
  return made;
}

describe('pitches', () => {
  it('builds a pitch from chosen pages of two documents, ready offline, and keeps it in order', async () => {
    const { core } = await setup();
    const pitch = await core.api.savePitch({
      name: 'Marston follow-up',
      steps: [
        { itemId: 'deck', page: 2, note: 'Start with the problem' },
        { itemId: 'brochure', page: 3, note: '' },
        { itemId: 'deck', page: 4, note: 'Close' },
      ],
    });
    expect(pitch.ready).toBe(true);
    expect(pitch.steps.map((s) => [s.itemId, s.page, s.title])).toEqual([
      ['deck', 2, 'Deck'],
      ['brochure', 3, 'Test brochure'],
      ['deck', 4, 'Deck'],
    ]);
    const reordered = await core.api.savePitch({
      id: pitch.id,
      name: 'Marston',
      steps: [pitch.steps[2]!, pitch.steps[0]!],
    });
    expect(reordered.steps.map((s) => s.page)).toEqual([4, 2]);
    const copy = await core.api.duplicatePitch({ id: pitch.id });
    expect(copy.name).toBe('Marston (copy)');
    expect((await core.api.listPitches({})).map((p) => p.name).sort()).toEqual(['Marston', 'Marston (copy)']);
    await core.api.deletePitch({ id: copy.id });
    await expect(core.api.getPitch({ id: copy.id })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('says why a step cannot be shown: page removed, item removed', async () => {
    const { core } = await setup();
    const pitch = await core.api.savePitch({
      name: 'p',
      steps: [
        { itemId: 'deck', page: 9, note: '' },
        { itemId: 'ghost', page: null, note: '' },
      ],
    });
    expect(pitch.ready).toBe(false);
    expect(pitch.steps.map((s) => s.problem)).toEqual(['page-removed', 'removed']);
  });

  it('follows an item to its newer version, and explains when the new version lost the page', async () => {
    const { core, channel, profileDir } = await setup();
    const pitch = await core.api.savePitch({ name: 'p', steps: [{ itemId: 'deck', page: 4, note: '' }] });
    writeFileSync(
      path.join(channel.sourceDir, 'docs', 'deck.pdf'),
      await makePdf('Deck 2026', ['One', 'Two', 'Three']),
    );
    await channel.publish();
    const core2 = await createCore({
      profileDir,
      shell: 'browser',
      siteBaseUrl: 'http://x',
      embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    });
    cleanups.push(() => core2.close());
    const after = await core2.api.getPitch({ id: pitch.id });
    expect(after.steps[0]).toMatchObject({ itemId: 'deck', title: 'Deck 2026', problem: 'page-removed' });
  });
});

describe('adding a page to a pitch from the viewer', () => {
  it('appends the page to a pitch kept on the device, or starts a new pitch with it', async () => {
    const { core } = await setup();
    const kept = await core.api.savePitch({ name: 'Marston', steps: [{ itemId: 'brochure', page: 1, note: 'Open' }] });
    const added = await core.api.addToPitch({ pitchId: kept.id, itemId: 'deck', page: 3 });
    expect(added.id).toBe(kept.id);
    expect(added.name).toBe('Marston');
    expect(added.steps.map((s) => [s.itemId, s.page, s.note, s.title, s.problem])).toEqual([
      ['brochure', 1, 'Open', 'Test brochure', null],
      ['deck', 3, '', 'Deck', null],
    ]);
    expect((await core.api.getPitch({ id: kept.id })).steps).toHaveLength(2);

    const fresh = await core.api.addToPitch({ name: '  Brewery visit ', itemId: 'photo', page: null, note: 'Show it' });
    expect(fresh.id).not.toBe(kept.id);
    expect(fresh.name).toBe('Brewery visit');
    expect(fresh.steps.map((s) => [s.itemId, s.page, s.note])).toEqual([['photo', null, 'Show it']]);
    expect((await core.api.listPitches({})).map((p) => p.name).sort()).toEqual(['Brewery visit', 'Marston']);
  });

  it('refuses a page the item does not have, an unknown item or pitch, and an ambiguous target, changing nothing', async () => {
    const { core } = await setup();
    const kept = await core.api.savePitch({ name: 'Marston', steps: [] });
    await expect(core.api.addToPitch({ pitchId: kept.id, itemId: 'deck', page: 9 })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('no page 9'),
    });
    await expect(core.api.addToPitch({ pitchId: kept.id, itemId: 'ghost', page: null })).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(core.api.addToPitch({ pitchId: 'no-such-pitch', itemId: 'deck', page: 1 })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(
      await core.handle('addToPitch', { pitchId: kept.id, name: 'Also new', itemId: 'deck', page: 1 }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await core.handle('addToPitch', { itemId: 'deck', page: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect((await core.api.getPitch({ id: kept.id })).steps).toEqual([]);
    expect(await core.api.listPitches({})).toHaveLength(1);
  });
});

describe('activity and meetings', () => {
  const event = (id: string, over: Partial<ActivityEvent>): ActivityEvent => ({
    id: `evt-${id}-0000`,
    type: 'item.opened',
    at: '2026-04-01T10:00:00Z',
    ...over,
  });

  it('records what was shown with client ids, drops flicked-past pages, and queues each event once', async () => {
    const { core } = await setup();
    const first = await core.api.recordActivity({
      events: [
        event('a', { itemId: 'deck' }),
        event('b', { type: 'page.viewed', itemId: 'deck', page: 1, dwellMs: 1999 }),
        event('c', { type: 'page.viewed', itemId: 'deck', page: 2, dwellMs: 2000 }),
      ],
    });
    expect(first).toEqual({ recorded: 2, rejected: 0 });
    expect(await core.api.recordActivity({ events: [event('a', { itemId: 'deck' })] })).toEqual({
      recorded: 0,
      rejected: 0,
    });
    // One malformed event is refused alone; the good one in its batch is kept.
    const mixed = await core.handle('recordActivity', {
      events: [{ id: 'x', type: 'teleported' }, event('d', { itemId: 'brochure' })],
    });
    expect(mixed).toEqual({ ok: true, value: { recorded: 1, rejected: 1 } });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(3);
  });

  it('keeps a meeting saved for later on the device, and queues a logged one for CRM once', async () => {
    const { core } = await setup();
    const meeting = {
      id: 'meeting-0001',
      startedAt: '2026-04-01T10:00:00Z',
      endedAt: '2026-04-01T10:40:00Z',
      status: 'later' as const,
      shown: [{ itemId: 'deck', page: 2, dwellMs: 65_000 }],
    };
    await core.api.saveMeeting(meeting);
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
    await core.api.saveMeeting({
      ...meeting,
      status: 'logged',
      account: 'Marston Brewery',
      contact: 'Ana Lima',
      outcome: 'Trial agreed',
    });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(1);
    await expect(core.api.saveMeeting({ ...meeting, status: 'logged' })).rejects.toThrow(/already logged/);
  });
});

describe('usage report', () => {
  it('matches a hand-computed expectation on a generated activity log', async () => {
    const { core } = await setup();
    let n = 0;
    const e = (type: ActivityEvent['type'], itemId: string, page?: number, dwellMs?: number): ActivityEvent => ({
      id: `gen-${String(n++).padStart(6, '0')}`,
      type,
      at: '2026-04-01T10:00:00Z',
      itemId,
      ...(page ? { page } : {}),
      ...(dwellMs !== undefined ? { dwellMs } : {}),
    });
    const events: ActivityEvent[] = [];
    // The deck: opened 4 times; page 1 viewed 4 times (10 s each), page 2 three times (20 s),
    // page 3 once (30 s), page 4 never; one flick past page 4 (1 s) that must not count.
    for (let i = 0; i < 4; i++) events.push(e('item.opened', 'deck'), e('page.viewed', 'deck', 1, 10_000));
    for (let i = 0; i < 3; i++) events.push(e('page.viewed', 'deck', 2, 20_000));
    events.push(e('page.viewed', 'deck', 3, 30_000), e('page.viewed', 'deck', 4, 1_000));
    // The brochure: opened once, page 1 for 5 s. The photo: never.
    events.push(e('item.opened', 'brochure'), e('page.viewed', 'brochure', 1, 5_000));
    await core.api.recordActivity({ events });
    await core.api.search({ query: 'xylophone', record: true });
    await core.api.search({ query: 'Xylophone', record: true });
    await core.api.search({ query: 'deck', record: true });

    const report = await core.api.getUsageReport({});
    expect(report.mostUsed.map((u) => [u.itemId, u.opens, u.pageViews, u.dwellMs])).toEqual([
      ['deck', 4, 8, 4 * 10_000 + 3 * 20_000 + 30_000],
      ['brochure', 1, 1, 5_000],
    ]);
    expect(report.leastUsed[0]).toMatchObject({ itemId: 'photo', opens: 0 });
    expect(report.pages.find((p) => p.itemId === 'deck')?.pages).toEqual([
      { page: 1, views: 4, averageDwellMs: 10_000, dropOff: 0 },
      { page: 2, views: 3, averageDwellMs: 20_000, dropOff: 0.25 },
      { page: 3, views: 1, averageDwellMs: 30_000, dropOff: 0.75 },
    ]);
    expect(report.zeroResultSearches).toEqual([
      { query: 'Xylophone', count: 2, lastAt: expect.any(String), scope: 'rep' },
    ]);
    expect(report.neverOpened.map((n2) => n2.itemId)).toEqual(['photo']);
  });
});
