import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { inkLimits, type InkPageInput, type InkStroke } from '#shared/presenting';
import { recordingWebhook } from '../support/webhook.ts';
import { coreOnChannel, type CoreOnChannel } from '../support/core-on-channel.ts';

/**
 * The pen's ink kept with a meeting: saved per page and replaced page by page, read back as
 * drawn; refused beyond its bounds with a clear message and nothing changed; deleted with its
 * draft, kept (read-only) with a logged meeting; never in the outbox, never in the blob store.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<CoreOnChannel> {
  const made = await coreOnChannel({
    channel: {
      items: [
        { id: 'brochure', file: 'docs/brochure.pdf', title: 'AquaCore brochure' },
        { id: 'photo', file: 'photo.svg', title: 'Product photo' },
      ],
    },
    start: '2026-05-12T11:00:00Z',
    profilePrefix: 'pitchcase-ink-',
    core: { delivery: { retryBaseMs: 1000 } },
  });
  cleanups.push(made.cleanup);
  return made;
}

const meeting = {
  id: 'meeting-ink-0001',
  startedAt: '2026-05-12T09:00:00Z',
  endedAt: '2026-05-12T09:45:00Z',
  status: 'later' as const,
  shown: [{ itemId: 'brochure', page: 2, dwellMs: 42_000 }],
};

const line = (x0: number, y0: number, x1: number, y1: number): InkStroke => ({
  points: [
    { x: x0, y: y0 },
    { x: (x0 + x1) / 2, y: (y0 + y1) / 2 },
    { x: x1, y: y1 },
  ],
});

/** A stroke of n points inside the page, each coordinate with four decimals (as the UI rounds). */
function scribble(n: number, seed = 0): InkStroke {
  return {
    points: Array.from({ length: n }, (_, i) => ({
      x: ((i * 37 + seed) % 9973) / 9973,
      y: ((i * 71 + seed) % 9967) / 9967,
    })).map((p) => ({ x: Math.round(p.x * 10_000) / 10_000, y: Math.round(p.y * 10_000) / 10_000 })),
  };
}

/** Every file of the blob store with its content hash: ink must never land there. */
function blobListing(profileDir: string): string[] {
  const dir = path.join(profileDir, 'blobs');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map(
      (e) =>
        `${path.relative(dir, path.join(e.parentPath, e.name))}:${createHash('sha256')
          .update(readFileSync(path.join(e.parentPath, e.name)))
          .digest('hex')}`,
    )
    .sort();
}

describe('meeting ink', () => {
  it('is saved per page, replaced page by page, and read back as drawn', async () => {
    const { core, advance } = await setup();
    await core.api.saveMeeting(meeting);
    const first: InkPageInput[] = [
      { itemId: 'brochure', page: 2, aspect: 16 / 9, strokes: [line(0.1, 0.2, 0.5, 0.6), line(0, 0, 1, 1)] },
      { itemId: 'brochure', page: 3, aspect: 16 / 9, strokes: [line(0.3, 0.3, 0.4, 0.4)] },
      { itemId: 'photo', page: null, aspect: 4 / 3, strokes: [{ points: [{ x: 0.5, y: 0.5 }] }] },
    ];
    const totals = await core.api.saveMeetingInk({ meetingId: meeting.id, pages: first });
    expect(totals).toEqual({
      meetingId: meeting.id,
      pages: 3,
      bytes: first.reduce((sum, p) => sum + JSON.stringify(p.strokes).length, 0),
    });
    const at = '2026-05-12T11:00:00.000Z';
    expect(await core.api.getMeetingInk({ meetingId: meeting.id })).toEqual({
      meetingId: meeting.id,
      pages: first.map((p) => ({ ...p, updatedAt: at })),
    });

    // Page 2 drawn anew, page 3 cleared: the photo's ink is left as it was.
    advance(60_000);
    await core.api.saveMeetingInk({
      meetingId: meeting.id,
      pages: [
        { itemId: 'brochure', page: 2, aspect: 1.5, strokes: [line(0.9, 0.1, 0.8, 0.2)] },
        { itemId: 'brochure', page: 3, strokes: [] },
      ],
    });
    const replaced = await core.api.getMeetingInk({ meetingId: meeting.id });
    expect(replaced.pages).toEqual([
      {
        itemId: 'brochure',
        page: 2,
        aspect: 1.5,
        strokes: [line(0.9, 0.1, 0.8, 0.2)],
        updatedAt: '2026-05-12T11:01:00.000Z',
      },
      { itemId: 'photo', page: null, aspect: 4 / 3, strokes: [{ points: [{ x: 0.5, y: 0.5 }] }], updatedAt: at },
    ]);

    // Through the boundary (IPC / HTTP) the same; the aspect defaults to the usual 16:9.
    const viaHandle = await core.handle('saveMeetingInk', {
      meetingId: meeting.id,
      pages: [{ itemId: 'brochure', page: 5, strokes: [line(0.2, 0.2, 0.3, 0.3)] }],
    });
    expect(viaHandle).toMatchObject({ ok: true, value: { meetingId: meeting.id, pages: 3 } });
    expect((await core.api.getMeetingInk({ meetingId: meeting.id })).pages).toMatchObject([
      { page: 2 },
      { page: 5, aspect: 16 / 9 },
      { page: null },
    ]);
    // The meeting itself is not touched by its ink.
    expect(await core.api.getMeeting({ id: meeting.id })).toMatchObject({
      status: 'later',
      updatedAt: at,
      shown: [{ itemId: 'brochure', page: 2, dwellMs: 42_000 }],
    });
  });

  it('refuses ink beyond its bounds, outside the page or for an unknown meeting with a clear message, and changes nothing', async () => {
    const { core } = await setup();
    await core.api.saveMeeting(meeting);
    await core.api.saveMeetingInk({
      meetingId: meeting.id,
      pages: [{ itemId: 'brochure', page: 2, strokes: [line(0.1, 0.1, 0.2, 0.2)] }],
    });
    const before = await core.api.getMeetingInk({ meetingId: meeting.id });
    const page2 = (strokes: InkStroke[]) => ({ itemId: 'brochure', page: 2, strokes });
    const good = { itemId: 'brochure', page: 4, strokes: [line(0.5, 0.5, 0.6, 0.6)] };
    const cases: [unknown, RegExp][] = [
      [
        {
          meetingId: meeting.id,
          pages: [good, page2(Array.from({ length: inkLimits.strokesPerPage + 1 }, () => line(0, 0, 1, 1)))],
        },
        /at most 400 strokes/,
      ],
      [
        { meetingId: meeting.id, pages: [good, page2([scribble(inkLimits.pointsPerStroke + 1)])] },
        /at most 10000 points/,
      ],
      [
        { meetingId: meeting.id, pages: [good, page2([scribble(9000), scribble(9000, 1), scribble(9000, 2)])] },
        /at most 20000 points of ink/,
      ],
      [{ meetingId: meeting.id, pages: [good, page2([line(0.5, 0.5, 1.2, 0.5)])] }, /within the page/],
      [{ meetingId: meeting.id, pages: [good, page2([line(-0.01, 0.5, 0.5, 0.5)])] }, /within the page/],
      [{ meetingId: meeting.id, pages: [good, page2([{ points: [] }])] }, /at least one point/],
      [{ meetingId: meeting.id, pages: [good, { ...good, strokes: [] }] }, /given twice/],
      [
        {
          meetingId: meeting.id,
          pages: [
            good,
            { itemId: 'brochure', page: 5, strokes: [scribble(9000), scribble(9000, 1)] },
            { itemId: 'brochure', page: 6, strokes: [scribble(9000, 2), scribble(9000, 3)] },
          ],
        },
        /at most 786432 bytes/,
      ],
      [
        {
          meetingId: meeting.id,
          pages: Array.from({ length: inkLimits.pagesPerSave + 1 }, (_, i) => ({ ...good, page: i + 1 })),
        },
        /at most 200 pages/,
      ],
      [{ meetingId: meeting.id, pages: [{ ...good, aspect: 50 }] }, /aspect/],
      [{ meetingId: meeting.id, pages: [{ ...good, colour: 'red' }] }, /colour|unrecognized/i],
    ];
    for (const [arg, message] of cases) {
      const direct = core.api.saveMeetingInk(arg as never);
      await expect(direct).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(message) as unknown,
      });
      const viaHandle = await core.handle('saveMeetingInk', arg);
      expect(viaHandle).toMatchObject({
        ok: false,
        error: { code: 'bad-request', message: expect.stringMatching(message) as unknown },
      });
    }
    await expect(core.api.saveMeetingInk({ meetingId: 'meeting-never-saved', pages: [good] })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/save the meeting before its ink/) as unknown,
    });
    await expect(core.api.getMeetingInk({ meetingId: 'meeting-never-saved' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(await core.api.getMeetingInk({ meetingId: meeting.id })).toEqual(before);
  });

  it('keeps a meeting within its pages and bytes of ink: the save that would pass them changes nothing', async () => {
    const { core } = await setup();
    await core.api.saveMeeting(meeting);
    const tiny = { points: [{ x: 0.5, y: 0.5 }] };
    for (let start = 1; start <= inkLimits.pagesPerMeeting; start += inkLimits.pagesPerSave) {
      await core.api.saveMeetingInk({
        meetingId: meeting.id,
        pages: Array.from({ length: inkLimits.pagesPerSave }, (_, i) => ({
          itemId: 'brochure',
          page: start + i,
          strokes: [tiny],
        })),
      });
    }
    // Replacing inked pages is fine; one page more is not.
    await core.api.saveMeetingInk({
      meetingId: meeting.id,
      pages: [
        { itemId: 'brochure', page: 1, strokes: [tiny, tiny] },
        { itemId: 'brochure', page: 2, strokes: [] },
      ],
    });
    await core.api.saveMeetingInk({ meetingId: meeting.id, pages: [{ itemId: 'photo', page: null, strokes: [tiny] }] });
    await expect(
      core.api.saveMeetingInk({
        meetingId: meeting.id,
        pages: [
          { itemId: 'brochure', page: 2, strokes: [tiny] },
          { itemId: 'brochure', page: 5000, strokes: [tiny] },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/at most 1000 pages/) as unknown,
    });
    const kept = await core.api.getMeetingInk({ meetingId: meeting.id });
    expect(kept.pages).toHaveLength(inkLimits.pagesPerMeeting);
    expect(kept.pages.some((p) => p.page === 2 || p.page === 5000)).toBe(false);

    // Bytes: full pages of ink on a second meeting until one more would pass the meeting's bound.
    const other = { ...meeting, id: 'meeting-ink-0002' };
    await core.api.saveMeeting(other);
    const full = [
      scribble(inkLimits.pointsPerStroke),
      scribble(inkLimits.pointsPerPage - inkLimits.pointsPerStroke, 5),
    ];
    const pageBytes = JSON.stringify(full).length;
    const fits = Math.floor(inkLimits.bytesPerMeeting / pageBytes);
    for (let page = 1; page <= fits; page++)
      await core.api.saveMeetingInk({ meetingId: other.id, pages: [{ itemId: 'brochure', page, strokes: full }] });
    await expect(
      core.api.saveMeetingInk({ meetingId: other.id, pages: [{ itemId: 'brochure', page: fits + 1, strokes: full }] }),
    ).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/at most 8388608 bytes of ink/) as unknown,
    });
    expect((await core.api.getMeetingInk({ meetingId: other.id })).pages).toHaveLength(fits);
  }, 60_000);

  it('goes with its draft when the draft is deleted, and stays read-only with a logged meeting', async () => {
    const { core, profileDir } = await setup();
    const stroke = [line(0.1, 0.2, 0.3, 0.4)];
    await core.api.saveMeeting(meeting);
    await core.api.saveMeetingInk({ meetingId: meeting.id, pages: [{ itemId: 'brochure', page: 2, strokes: stroke }] });
    await core.api.deleteMeeting({ id: meeting.id });
    await expect(core.api.getMeetingInk({ meetingId: meeting.id })).rejects.toMatchObject({ code: 'not-found' });
    const raw = new Database(path.join(profileDir, 'pitchcase.db'), { readonly: true });
    cleanups.push(() => raw.close());
    expect(raw.prepare(`SELECT count(*) AS n FROM meeting_ink`).get()).toEqual({ n: 0 });

    // Saved again under the same id, the meeting starts without ink.
    await core.api.saveMeeting(meeting);
    expect((await core.api.getMeetingInk({ meetingId: meeting.id })).pages).toEqual([]);
    await core.api.saveMeetingInk({ meetingId: meeting.id, pages: [{ itemId: 'brochure', page: 2, strokes: stroke }] });
    await core.api.saveMeeting({ ...meeting, status: 'logged', account: 'Marston Brewery' });
    const logged = await core.api.getMeetingInk({ meetingId: meeting.id });
    expect(logged.pages).toMatchObject([{ itemId: 'brochure', page: 2, strokes: stroke }]);
    await expect(
      core.api.saveMeetingInk({ meetingId: meeting.id, pages: [{ itemId: 'brochure', page: 2, strokes: [] }] }),
    ).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/already logged/) as unknown });
    await expect(core.api.deleteMeeting({ id: meeting.id })).rejects.toMatchObject({ code: 'refused' });
    expect(await core.api.getMeetingInk({ meetingId: meeting.id })).toEqual(logged);
  });

  it('never enters the outbox or the blob store: the logged meeting reaches CRM without it', async () => {
    const { core, profileDir } = await setup();
    const hook = await recordingWebhook();
    cleanups.push(() => hook.close());
    const records = hook.records;
    await core.api.updateDeliverySettings({ meeting: { type: 'webhook', url: hook.url } });

    const blobsBefore = blobListing(profileDir);
    expect(blobsBefore.length).toBeGreaterThan(0);
    await core.api.saveMeeting(meeting);
    await core.api.saveMeetingInk({
      meetingId: meeting.id,
      pages: [{ itemId: 'brochure', page: 2, strokes: [line(0.123, 0.456, 0.789, 0.321)] }],
    });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
    await core.api.saveMeeting({
      ...meeting,
      status: 'logged',
      account: 'Marston Brewery',
      notes: 'Circled the flow rate',
    });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(1);
    await core.api.deliverNow({});
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);

    expect(records.map((r) => r.kind)).toEqual(['meeting']);
    expect(records[0]!.payload).toMatchObject({ meetingId: meeting.id, Account: 'Marston Brewery' });
    const sent = JSON.stringify(records);
    expect(sent).not.toMatch(/strokes|points|aspect|0\.456/i);
    expect(blobListing(profileDir)).toEqual(blobsBefore);
  });
});
