/**
 * The audience relay through the contract: the presenter's states reach every listener of
 * 'presenter.audience' in order, an audience that opens late gets the latest one, stale or
 * malformed states change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { audienceLimits, type AudienceState } from '#shared/audience-screen';
import { tempDir } from '../support/release.ts';

const profile = tempDir('pitchcase-audience-');
let core: Core;
const announced: AudienceState[] = [];

beforeAll(async () => {
  core = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
  core.events.on('presenter.audience', (state) => announced.push(state));
});
afterAll(() => {
  core?.close();
  profile.cleanup();
});

const state = (over: Partial<AudienceState> = {}): AudienceState => ({
  sessionId: 'meeting-a',
  seq: 1,
  status: 'presenting',
  slide: { itemId: 'aquacore-500-brochure', page: 2 },
  black: false,
  aspect: 1.5,
  ink: [],
  ...over,
});

describe('showToAudience / getAudienceState', () => {
  it('announces each newer state and keeps the latest for a late audience', async () => {
    expect(await core.handle('getAudienceState', { sessionId: 'meeting-a' })).toEqual({ ok: true, value: null });
    announced.length = 0;
    await core.handle('showToAudience', state());
    await core.handle(
      'showToAudience',
      state({
        seq: 2,
        slide: { itemId: 'aquacore-500-brochure', page: 3 },
        ink: [
          {
            points: [
              { x: 0.1, y: 0.2 },
              { x: 0.3, y: 0.4 },
            ],
          },
        ],
      }),
    );
    expect(announced.map((s) => s.seq)).toEqual([1, 2]);
    expect(await core.handle('getAudienceState', { sessionId: 'meeting-a' })).toEqual({
      ok: true,
      value: announced[1],
    });
  });

  it('drops a state older than or equal to the one shown (a late request), so the audience never steps back', async () => {
    announced.length = 0;
    await core.handle('showToAudience', state({ seq: 10, black: true }));
    await core.handle('showToAudience', state({ seq: 9 }));
    await core.handle('showToAudience', state({ seq: 10 }));
    expect(announced.map((s) => [s.seq, s.black])).toEqual([[10, true]]);
    expect(
      ((await core.handle('getAudienceState', { sessionId: 'meeting-a' })) as { value: AudienceState }).value.seq,
    ).toBe(10);
  });

  it('keeps presentations apart', async () => {
    await core.handle('showToAudience', state({ sessionId: 'meeting-b', seq: 1, slide: null }));
    expect(
      ((await core.handle('getAudienceState', { sessionId: 'meeting-b' })) as { value: AudienceState }).value.slide,
    ).toBeNull();
    expect(
      ((await core.handle('getAudienceState', { sessionId: 'meeting-a' })) as { value: AudienceState }).value.seq,
    ).toBe(10);
  });

  it.each<[string, unknown]>([
    ['notes smuggled in', { ...state({ seq: 50 }), note: 'Ask about their budget' }],
    ['a title on the slide', { ...state({ seq: 50 }), slide: { itemId: 'x', page: 1, title: 'Internal pricing' } }],
    ['ink outside the page', state({ seq: 50, ink: [{ points: [{ x: 1.5, y: 0.2 }] }] })],
    [
      'too much ink',
      state({
        seq: 50,
        ink: [{ points: Array.from({ length: audienceLimits.points + 1 }, () => ({ x: 0.5, y: 0.5 })) }],
      }),
    ],
    ['an unknown status', { ...state({ seq: 50 }), status: 'paused' }],
    ['no session', { ...state({ seq: 50 }), sessionId: '' }],
  ])('refuses %s and announces nothing', async (_label, bad) => {
    announced.length = 0;
    const result = await core.handle('showToAudience', bad);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(announced).toEqual([]);
  });
});
