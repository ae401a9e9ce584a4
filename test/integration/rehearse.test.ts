/**
 * Practice prompts from catalogue to device, and the rep's takes in the profile: published,
 * signed, installed by the core, listed; takes stored, listed, marked best, deleted, kept across
 * a restart; a kiosk refused; a bad prompt refused at publish with a clear message.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { TAKES_PER_PROMPT_MAX } from '#shared/rehearse';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

const twinTrain = {
  id: 'twin-train',
  title: "The AquaCore 500's twin-train redundancy in 60 seconds",
  item: 'brochure',
  keyMessages: ['two trains', 'one keeps running during service'],
  timeLimitSeconds: 60,
};
const pricesPage = {
  id: 'prices',
  title: 'Walk through the prices',
  item: 'brochure',
  page: 3,
  keyMessages: ['list price'],
  timeLimitSeconds: 30,
};
const leadTerm = {
  id: 'what-is-a-lead',
  title: 'What is a lead?',
  term: 'lead',
  keyMessages: ['showed interest'],
  timeLimitSeconds: 20,
};

function setPractice(channel: TestChannel, practice: unknown[]): void {
  const file = path.join(channel.sourceDir, 'catalogue.yaml');
  const catalogue = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, stringify({ ...catalogue, practice }));
}

const cleanups: (() => void)[] = [];
let channel: TestChannel;
let profileDir: string;
let rep: Core;
const fakeAudio = Buffer.from('OggS fake opus frames for a test take').toString('base64');

async function openRep(): Promise<Core> {
  return createCore({
    profileDir,
    shell: 'browser',
    siteBaseUrl: 'http://x',
    embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
  });
}

beforeAll(async () => {
  channel = await makeChannel();
  cleanups.push(channel.cleanup);
  setPractice(channel, [twinTrain, pricesPage, leadTerm]);
  await channel.publish();
  const profile = tempDir('pitchcase-rehearse-');
  cleanups.push(profile.cleanup);
  profileDir = profile.dir;
  rep = await openRep();
});
afterAll(() => {
  rep?.close();
  for (const c of cleanups.reverse()) c();
});

describe('practice prompts in a published release', () => {
  it('are signed into the manifest and installed with the release, attached to an item, a page or a term', async () => {
    const manifest = JSON.parse(readFileSync(path.join(channel.releaseDir, 'channel.json'), 'utf8')) as {
      practice: unknown[];
    };
    expect(manifest.practice).toEqual([twinTrain, pricesPage, leadTerm]);
    expect(await rep.api.listPracticePrompts({})).toEqual([
      {
        id: 'twin-train',
        title: twinTrain.title,
        attachedTo: { kind: 'item', itemId: 'brochure', title: 'Test brochure' },
        keyMessages: twinTrain.keyMessages,
        timeLimitSeconds: 60,
        takes: 0,
        bestTakeId: null,
      },
      {
        id: 'prices',
        title: 'Walk through the prices',
        attachedTo: { kind: 'page', itemId: 'brochure', page: 3, title: 'Test brochure' },
        keyMessages: ['list price'],
        timeLimitSeconds: 30,
        takes: 0,
        bestTakeId: null,
      },
      {
        id: 'what-is-a-lead',
        title: 'What is a lead?',
        attachedTo: { kind: 'term', termId: 'lead', title: 'Lead' },
        keyMessages: ['showed interest'],
        timeLimitSeconds: 20,
        takes: 0,
        bestTakeId: null,
      },
    ]);
  });

  it('a release without prompts (published before they existed) still installs, with none', async () => {
    const old = await makeChannel();
    const profile = tempDir('pitchcase-rehearse-old-');
    cleanups.push(old.cleanup, profile.cleanup);
    await old.publish();
    const manifest = JSON.parse(readFileSync(path.join(old.releaseDir, 'channel.json'), 'utf8')) as object;
    expect('practice' in manifest).toBe(false);
    const core = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      siteBaseUrl: 'http://x',
      embeddedRelease: { dir: old.releaseDir, publicKeyPem: old.publicPem },
    });
    try {
      expect((await core.api.getLibrary({})).release?.version).toBe(1);
      expect(await core.api.listPracticePrompts({})).toEqual([]);
    } finally {
      core.close();
    }
  });

  it.each([
    [{ ...twinTrain, item: 'nope' }, /practice prompt "twin-train" is attached to unknown item "nope"/],
    [{ ...pricesPage, page: 9 }, /practice prompt "prices" names page 9 of "brochure", which has 3/],
    [{ ...leadTerm, term: 'nope' }, /practice prompt "what-is-a-lead" is attached to unknown term "nope"/],
    [{ ...twinTrain, term: 'lead' }, /attached to exactly one of "item" or "term"/],
    [{ ...twinTrain, keyMessages: [] }, /at least one key message/],
    [{ ...twinTrain, timeLimitSeconds: 5 }, /the time limit is at least 10 seconds/],
    [{ ...twinTrain, timeLimitSeconds: 3600 }, /the time limit is at most 600 seconds/],
    [{ ...leadTerm, page: 2 }, /names a page only together with its item/],
  ])(
    'a bad prompt is refused at publish with a clear message, and nothing is written (%#)',
    async (prompt, message) => {
      const bad = await makeChannel();
      cleanups.push(bad.cleanup);
      setPractice(bad, [prompt]);
      await expect(bad.publish()).rejects.toThrow(message);
      expect(existsSync(path.join(bad.releaseDir, 'channel.json'))).toBe(false);
    },
  );
});

describe("the rep's takes", () => {
  it('are stored in the profile, listed newest first, one marked best, deleted, and kept across a restart', async () => {
    const first = await rep.api.saveRehearsalTake({
      promptId: 'twin-train',
      mime: 'audio/webm;codecs=opus',
      durationMs: 41_000,
      audioBase64: fakeAudio,
    });
    const second = await rep.api.saveRehearsalTake({
      promptId: 'twin-train',
      mime: 'audio/webm;codecs=opus',
      durationMs: 55_000,
      audioBase64: fakeAudio,
    });
    expect(first).toMatchObject({ promptId: 'twin-train', promptTitle: twinTrain.title, best: false, size: 37 });
    expect(readdirSync(path.join(profileDir, 'rehearse')).sort()).toEqual([first.id, second.id].sort());
    expect((await rep.api.listRehearsalTakes({ promptId: 'twin-train' })).map((t) => t.id)).toEqual([
      second.id,
      first.id,
    ]);
    expect(await rep.api.getRehearsalTakeAudio({ id: first.id })).toEqual({
      id: first.id,
      mime: 'audio/webm;codecs=opus',
      audioBase64: fakeAudio,
    });

    await rep.api.markBestTake({ id: first.id, best: true });
    await rep.api.markBestTake({ id: second.id, best: true });
    const takes = await rep.api.listRehearsalTakes({ promptId: 'twin-train' });
    expect(takes.map((t) => [t.id, t.best])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    expect((await rep.api.listPracticePrompts({}))[0]).toMatchObject({ takes: 2, bestTakeId: second.id });

    await rep.api.deleteRehearsalTake({ id: first.id });
    expect(readdirSync(path.join(profileDir, 'rehearse'))).toEqual([second.id]);
    expect(await rep.handle('getRehearsalTakeAudio', { id: first.id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    rep.close();
    rep = await openRep();
    expect(await rep.api.listRehearsalTakes({ promptId: 'twin-train' })).toEqual([{ ...second, best: true }]);
    expect((await rep.api.getRehearsalTakeAudio({ id: second.id })).audioBase64).toBe(fakeAudio);
    await rep.api.deleteRehearsalTake({ id: second.id });
  });

  it.each([
    [{ promptId: 'twin-train', mime: 'video/x-msvideo', durationMs: 1000, audioBase64: fakeAudio }, 'bad-request'],
    [{ promptId: 'twin-train', mime: 'audio/webm', durationMs: 1000, audioBase64: 'not base64!' }, 'bad-request'],
    [{ promptId: 'twin-train', mime: 'audio/webm', durationMs: -1, audioBase64: fakeAudio }, 'bad-request'],
    [
      { promptId: 'twin-train', mime: 'audio/webm', durationMs: 1000, audioBase64: 'A'.repeat(12 * 1024 * 1024) },
      'bad-request',
    ],
    [{ promptId: 'not-a-prompt', mime: 'audio/webm', durationMs: 1000, audioBase64: fakeAudio }, 'not-found'],
  ])('a bad take is refused and nothing is kept (%#)', async (arg, code) => {
    expect(await rep.handle('saveRehearsalTake', arg)).toMatchObject({ ok: false, error: { code } });
    expect(readdirSync(path.join(profileDir, 'rehearse'))).toEqual([]);
    expect(await rep.api.listRehearsalTakes({ promptId: arg.promptId })).toEqual([]);
  });

  it(`stops at ${TAKES_PER_PROMPT_MAX} takes per prompt, saying what to do`, async () => {
    const take = { promptId: 'prices', mime: 'audio/ogg', durationMs: 1000, audioBase64: fakeAudio };
    for (let i = 0; i < TAKES_PER_PROMPT_MAX; i++) await rep.api.saveRehearsalTake(take);
    expect(await rep.handle('saveRehearsalTake', take)).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message: `This prompt already has ${TAKES_PER_PROMPT_MAX} takes: delete some before recording more`,
      },
    });
    for (const t of await rep.api.listRehearsalTakes({ promptId: 'prices' }))
      await rep.api.deleteRehearsalTake({ id: t.id });
  });
});

describe('on a kiosk', () => {
  it('every rehearse call is refused, even with the staff screen unlocked', async () => {
    const profile = tempDir('pitchcase-rehearse-kiosk-');
    cleanups.push(profile.cleanup);
    const kiosk = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://x',
      embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    });
    try {
      await kiosk.api.setKioskPin({ pin: '482913' });
      const calls = [
        ['listPracticePrompts', {}],
        ['listRehearsalTakes', { promptId: 'twin-train' }],
        ['saveRehearsalTake', { promptId: 'twin-train', mime: 'audio/webm', durationMs: 1, audioBase64: fakeAudio }],
      ] as const;
      for (const [method, arg] of calls)
        expect(await kiosk.handle(method, arg)).toEqual({
          ok: false,
          error: { code: 'refused', message: "Rehearsing and quizzes are for the rep's profile, not a kiosk" },
        });
      expect(await kiosk.handle('unlockKiosk', { pin: '482913' })).toMatchObject({ ok: true });
      expect(await kiosk.handle('listPracticePrompts', {})).toMatchObject({ ok: false, error: { code: 'refused' } });
      expect(readdirSync(path.join(profile.dir, 'rehearse'))).toEqual([]);
    } finally {
      kiosk.close();
    }
  });
});
