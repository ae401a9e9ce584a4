/**
 * Text is stored as given or refused with the field named: a lone UTF-16 surrogate (which
 * SQLite would store as U+FFFD, read back different) and over-long text (which would have to
 * be cut) never reach the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { isWellFormedText } from '#shared/contract/text';
import { tempDir } from '../support/release.ts';

const profile = tempDir('pitchcase-text-');
let core: Core;
beforeAll(async () => {
  core = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' });
});
afterAll(() => {
  core?.close();
  profile.cleanup();
});

const lone = 'Marston \uD83D Brewery';

describe('text that cannot round-trip', () => {
  it('tells a lone surrogate from a pair', () => {
    expect(isWellFormedText('Café 😀 \uD83D\uDE00')).toBe(true);
    for (const bad of ['\uD800', 'a\uDC00', '\uDBFFx', 'x\uDFFF\uD800'])
      expect(isWellFormedText(bad), JSON.stringify(bad)).toBe(false);
  });

  it('refuses a pitch name with a lone surrogate, naming the field, and stores nothing', async () => {
    const result = await core.handle('savePitch', { name: lone, steps: [] });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringMatching(/^savePitch: name holds a broken character/) },
    });
    expect(await core.api.listPitches({})).toEqual([]);
  });

  it('refuses an over-long name instead of cutting it, naming the field', async () => {
    const result = await core.handle('savePitch', { name: 'x'.repeat(201), steps: [] });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: 'savePitch: name is longer than 200 characters' },
    });
    const note = await core.handle('savePitch', {
      name: 'Ok',
      steps: [{ itemId: 'a', page: null, note: `ok${lone}` }],
    });
    expect(note).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^savePitch: steps\.0\.note holds a broken character/) },
    });
    expect(await core.api.listPitches({})).toEqual([]);
  });

  it('stores what it accepts exactly: emoji and accents read back the same', async () => {
    const name = 'Café pitch 😀 — 200 chars max'.padEnd(200, '·');
    const saved = await core.api.savePitch({ name, steps: [] });
    expect((await core.api.getPitch({ id: saved.id })).name).toBe(name);
  });

  it('refuses a copy whose name would be too long to save again, instead of storing it', async () => {
    const long = await core.api.savePitch({ name: 'y'.repeat(195), steps: [] });
    expect(await core.handle('duplicatePitch', { id: long.id })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringMatching(/copy's name would be longer than 200/) },
    });
    const short = await core.api.duplicatePitch({ id: (await core.api.savePitch({ name: 'Short', steps: [] })).id });
    expect(short.name).toBe('Short (copy)');
    expect(await core.handle('savePitch', { id: short.id, name: short.name, steps: [] })).toMatchObject({ ok: true });
    for (const pitch of await core.api.listPitches({})) await core.api.deletePitch({ id: pitch.id });
  });

  it('refuses lone surrogates in meetings, follow-ups, leads and CRM searches, each field named', async () => {
    const meeting = {
      id: 'meeting-0001',
      status: 'later',
      startedAt: '2026-06-01T09:00:00Z',
      endedAt: '2026-06-01T10:00:00Z',
      account: lone,
    };
    expect(await core.handle('saveMeeting', meeting)).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringMatching(/^saveMeeting: account holds a broken character/) },
    });
    expect(
      await core.handle('captureLead', {
        sessionId: 's',
        fields: { firstName: lone },
        consent: { given: true, version: '1' },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'bad-request',
        message: expect.stringMatching(/^captureLead: fields\.firstName holds a broken character/),
      },
    });
    expect(await core.handle('searchCrm', { kind: 'contact', query: lone })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^searchCrm: query holds/) },
    });
    expect(await core.api.listMeetings({ status: 'later' })).toEqual([]);
  });
});
