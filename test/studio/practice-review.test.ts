/**
 * Practice recordings between a rep's device and the real Studio. First the chunk protocol as a
 * device speaks it (raw HTTP with the device credential): a connection cut at an arbitrary byte,
 * Studio restarted mid-upload, a chunk sent twice, a wrong checksum, a revoked device, a file
 * too large; and who may hear and review a recording (a viewer never; a manager their own team
 * only). Then the real core against the same Studio: not connected refuses and queues nothing;
 * a send with consent uploads in chunks, survives a cut connection and an app restart without
 * going back to byte 0, and a review in Studio comes back to the device in its next sync; a
 * recording marked as an example reaches another rep's device and plays there offline.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { FLEET_PATHS, type EnrolAnswer } from '#shared/fleet';
import {
  PRACTICE_CONSENT,
  PRACTICE_PATHS,
  PRACTICE_UPLOAD_MAX_BYTES,
  type PracticeFeed,
} from '#shared/practice-review';
import { sqliteHandleOf } from '#studio/database/connection';
import { createUser, startStudio, type RunningStudio } from '#studio/index';
import { stopTranscriptionQueue, transcriptFor } from '#studio/rehearse/transcription/index';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';
import { StudioClient } from './client.ts';

const password = 'correct horse battery';
const clock = new Date('2026-12-06T09:00:00Z');
let data: ReturnType<typeof tempDir>;
let studio: RunningStudio;
const people: Record<string, StudioClient> = {};
const cleanups: (() => void | Promise<void>)[] = [];

async function openStudio(): Promise<RunningStudio> {
  return startStudio({ dataDir: data.dir, port: 0, config: { scryptCost: 2 ** 10 }, now: () => clock, log: () => {} });
}

async function signInAll(): Promise<void> {
  for (const role of ['admin', 'editor', 'viewer', 'north', 'south']) {
    people[role] = new StudioClient(studio.url);
    expect((await people[role].signIn(`${role}@example.com`, password)).status).toBe(200);
  }
}

beforeAll(async () => {
  data = tempDir('studio-practice-');
  studio = await openStudio();
  for (const [name, role] of [
    ['admin', 'admin'],
    ['editor', 'editor'],
    ['viewer', 'viewer'],
    ['north', 'manager'],
    ['south', 'manager'],
  ] as const)
    await createUser(studio.context, { email: `${name}@example.com`, name, role, password }, null);
  await signInAll();
  const managers = await people.admin!.call<{ id: string; email: string }[]>('GET', '/api/fleet/managers');
  for (const m of managers.value)
    await people.admin!.call('PUT', `/api/fleet/managers/${m.id}`, {
      team: m.email.startsWith('north') ? 'North' : 'South',
    });
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await studio?.close();
  data?.cleanup();
});

async function enrol(name: string, team: string): Promise<EnrolAnswer> {
  const made = await people.admin!.call<{ code: string }>('POST', '/api/fleet/codes', {
    kind: 'rep',
    name,
    email: `${name.toLowerCase()}@acme.example`,
    team,
  });
  const response = await fetch(`${studio.url}${FLEET_PATHS.enrol}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: made.value.code,
      device: { name: 'Surface', platform: 'win32', appVersion: '3.0.0', profileKind: 'standard' },
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as EnrolAnswer;
}

/** A WebM-looking recording of `size` bytes (the EBML magic, then bytes that differ per take). */
function recording(size: number, seed: string): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed.charCodeAt(i % seed.length)) & 0xff;
  bytes.writeUInt32BE(0x1a45dfa3, 0);
  return bytes;
}
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function startBody(takeId: string, file: Buffer, overrides: Record<string, unknown> = {}) {
  return {
    takeId,
    promptId: 'twin-train',
    promptTitle: 'Twin trains in 60 seconds',
    keyMessages: ['two trains', 'one keeps running during service'],
    releaseVersion: 3,
    recordedAt: clock.toISOString(),
    mime: 'audio/webm;codecs=opus',
    durationMs: 42_000,
    size: file.length,
    sha256: sha(file),
    consent: { version: PRACTICE_CONSENT.version, shareAsExample: true },
    ...overrides,
  };
}

interface UploadAnswer {
  uploadId: string;
  offset: number;
  size: number;
  recordingId: string | null;
  error?: string;
}

async function start(device: EnrolAnswer, body: object): Promise<{ status: number; body: UploadAnswer }> {
  const response = await fetch(`${studio.url}${PRACTICE_PATHS.uploads}`, {
    method: 'POST',
    headers: { authorization: `Device ${device.credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer };
}

async function put(
  device: EnrolAnswer,
  uploadId: string,
  offset: number,
  chunk: Buffer,
): Promise<{ status: number; body: UploadAnswer }> {
  const response = await fetch(`${studio.url}${PRACTICE_PATHS.uploads}/${uploadId}?offset=${offset}`, {
    method: 'PUT',
    headers: { authorization: `Device ${device.credential}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(chunk),
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer };
}

const partFile = (uploadId: string) => path.join(data.dir, 'tmp', `practice-${uploadId}`);

/**
 * Sends the first `cutAt` bytes of a chunk that announced more, waits until Studio has written
 * them, then drops the connection: a hotel Wi-Fi that goes away mid-request.
 */
async function putCut(device: EnrolAnswer, uploadId: string, offset: number, chunk: Buffer, cutAt: number) {
  const url = new URL(`${studio.url}${PRACTICE_PATHS.uploads}/${uploadId}?offset=${offset}`);
  const req = httpRequest(url, {
    method: 'PUT',
    headers: {
      authorization: `Device ${device.credential}`,
      'content-type': 'application/octet-stream',
      'content-length': String(chunk.length),
    },
  });
  req.on('error', () => {});
  req.write(chunk.subarray(0, cutAt));
  await expect.poll(() => statSync(partFile(uploadId)).size, { timeout: 10_000 }).toBe(offset + cutAt);
  req.destroy();
}

describe('the chunk protocol', () => {
  it('resumes after a connection cut at an arbitrary byte, and across a Studio restart, from Studio’s offset', async () => {
    const device = await enrol('Ana', 'North');
    const file = recording(300_001, 'ana-1');
    const opened = await start(device, startBody('take-ana-1', file));
    expect(opened).toMatchObject({ status: 200, body: { offset: 0, size: file.length, recordingId: null } });
    const id = opened.body.uploadId;

    await putCut(device, id, 0, file.subarray(0, 100_000), 77_777);
    const again = await start(device, startBody('take-ana-1', file));
    expect(again.body).toMatchObject({ uploadId: id, offset: 77_777 });

    expect((await put(device, id, 77_777, file.subarray(77_777, 150_000))).body.offset).toBe(150_000);
    await studio.close();
    studio = await openStudio();
    await signInAll();
    const afterRestart = await start(device, startBody('take-ana-1', file));
    expect(afterRestart.body).toMatchObject({ uploadId: id, offset: 150_000 });

    const last = await put(device, id, 150_000, file.subarray(150_000));
    expect(last).toMatchObject({ status: 200, body: { offset: file.length, recordingId: id } });
    // What Studio keeps is exactly the device's file.
    const audio = await people.admin!.call('GET', `/api/practice/recordings/${id}`);
    expect(audio.value).toMatchObject({
      bytes: file.length,
      team: 'North',
      promptId: 'twin-train',
      shareAsExample: true,
    });
    const bytes = await fetch(`${studio.url}/api/practice/recordings/${id}/audio`, {
      headers: { cookie: people.admin!.cookie! },
    });
    expect(sha(Buffer.from(await bytes.arrayBuffer()))).toBe(sha(file));
    // Starting a finished take again says it is there: the device never sends it twice.
    expect((await start(device, startBody('take-ana-1', file))).body).toMatchObject({
      offset: file.length,
      recordingId: id,
    });
  });

  it('refuses a chunk sent twice with Studio’s offset, and stores the file once', async () => {
    const device = await enrol('Ben', 'North');
    const file = recording(50_000, 'ben');
    const { uploadId } = (await start(device, startBody('take-ben', file))).body;
    expect((await put(device, uploadId, 0, file.subarray(0, 20_000))).body.offset).toBe(20_000);
    const repeat = await put(device, uploadId, 0, file.subarray(0, 20_000));
    expect(repeat).toMatchObject({ status: 409, body: { error: 'conflict', offset: 20_000 } });
    expect(statSync(partFile(uploadId)).size).toBe(20_000);
    expect((await put(device, uploadId, 20_000, file.subarray(20_000))).body.recordingId).toBe(uploadId);
    // The last chunk again (its answer was lost): the same answer, nothing stored twice.
    expect((await put(device, uploadId, 20_000, file.subarray(20_000))).body).toMatchObject({
      offset: file.length,
      recordingId: uploadId,
    });
    const list = await people.admin!.call<{ rows: { rep: string }[] }>(
      'GET',
      '/api/practice/recordings?rep=ben@acme.example',
    );
    expect(list.value.rows).toHaveLength(1);
  });

  it('refuses a wrong checksum and keeps nothing of it', async () => {
    const device = await enrol('Cleo', 'South');
    const file = recording(10_000, 'cleo');
    const { uploadId } = (await start(device, startBody('take-cleo', file, { sha256: sha(Buffer.from('other')) })))
      .body;
    const last = await put(device, uploadId, 0, file);
    expect(last).toMatchObject({ status: 400, body: { error: 'checksum' } });
    expect(readdirSync(path.join(data.dir, 'tmp')).filter((f) => f.includes(uploadId))).toEqual([]);
    expect((await start(device, startBody('take-cleo', file))).body).toMatchObject({ offset: 0, recordingId: null });
  });

  it('refuses a recording larger than the bound, and a chunk past the announced size', async () => {
    const device = await enrol('Dan', 'South');
    const file = recording(1000, 'dan');
    const huge = await start(device, startBody('take-dan-huge', file, { size: PRACTICE_UPLOAD_MAX_BYTES + 1 }));
    expect(huge).toMatchObject({ status: 413, body: { error: 'too-large' } });
    const { uploadId } = (await start(device, startBody('take-dan', file))).body;
    const over = await put(device, uploadId, 0, Buffer.concat([file, file]));
    expect(over).toMatchObject({ status: 413, body: { error: 'too-large' } });
    expect(statSync(partFile(uploadId)).size).toBe(0);
  });

  it('refuses a revoked device and an unknown credential on every call', async () => {
    const device = await enrol('Eve', 'South');
    const file = recording(1000, 'eve');
    const { uploadId } = (await start(device, startBody('take-eve', file))).body;
    expect((await people.admin!.call('POST', `/api/fleet/devices/${device.identity.deviceId}/revoke`, {})).status).toBe(
      200,
    );
    expect(await start(device, startBody('take-eve', file))).toMatchObject({ status: 403, body: { error: 'revoked' } });
    expect(await put(device, uploadId, 0, file)).toMatchObject({ status: 403, body: { error: 'revoked' } });
    const forged = { ...device, credential: `${device.identity.deviceId}.${'x'.repeat(43)}` };
    expect((await start(forged, startBody('take-eve', file))).status).toBe(401);
    const feed = await fetch(`${studio.url}${PRACTICE_PATHS.feed}`, {
      headers: { authorization: `Device ${device.credential}` },
    });
    expect(feed.status).toBe(403);
  });
});

describe('who reviews', () => {
  it('a viewer cannot hear recordings; a manager hears and reviews their own team only; reviews are audited', async () => {
    const device = await enrol('Finn', 'North');
    const file = recording(4000, 'finn');
    const { uploadId: id } = (await start(device, startBody('take-finn', file))).body;
    await put(device, id, 0, file);

    expect((await people.viewer!.call('GET', '/api/practice/recordings')).status).toBe(403);
    expect((await people.viewer!.call('GET', `/api/practice/recordings/${id}`)).status).toBe(403);
    const viewerAudio = await fetch(`${studio.url}/api/practice/recordings/${id}/audio`, {
      headers: { cookie: people.viewer!.cookie! },
    });
    expect(viewerAudio.status).toBe(403);

    const south = await people.south!.call<{ rows: { id: string; team: string }[] }>('GET', '/api/practice/recordings');
    expect(south.value.rows.every((r) => r.team === 'South')).toBe(true);
    expect((await people.south!.call('GET', `/api/practice/recordings/${id}`)).status).toBe(404);
    const rubric = [
      { message: 'two trains', rating: 'said' },
      { message: 'one keeps running during service', rating: 'partly' },
    ];
    expect(
      (await people.south!.call('PUT', `/api/practice/recordings/${id}/review`, { overall: 1, rubric })).status,
    ).toBe(404);

    const north = await people.north!.call<{ rows: { id: string }[] }>('GET', '/api/practice/recordings?team=North');
    expect(north.value.rows.map((r) => r.id)).toContain(id);
    const incomplete = await people.north!.call('PUT', `/api/practice/recordings/${id}/review`, {
      overall: 4,
      rubric: rubric.slice(0, 1),
    });
    expect(incomplete.status).toBe(400);
    const reviewed = await people.north!.call<{ review: { overall: number; reviewer: string } }>(
      'PUT',
      `/api/practice/recordings/${id}/review`,
      { overall: 4, rubric },
    );
    expect(reviewed.value.review).toMatchObject({ overall: 4, reviewer: 'north' });
    // Scored again: the rep's points for reviewed practice are awarded once.
    await people.north!.call('PUT', `/api/practice/recordings/${id}/review`, { overall: 5, rubric });
    const awards = await studio.context.db
      .selectFrom('points_awards')
      .select(['rep', 'reason', 'points'])
      .where('subject', '=', id)
      .execute();
    expect(awards).toEqual([{ rep: 'finn@acme.example', reason: 'practice-reviewed', points: 30 }]);
    // An example goes to every rep: marketing's decision, and only with the rep's leave.
    expect((await people.north!.call('PUT', `/api/practice/recordings/${id}/example`, { example: true })).status).toBe(
      403,
    );
    expect((await people.editor!.call('PUT', `/api/practice/recordings/${id}/example`, { example: true })).status).toBe(
      200,
    );
    const audit = await people.admin!.call<
      { rows?: { action: string; subject: string }[] } | { action: string; subject: string }[]
    >('GET', '/api/audit');
    const entries = Array.isArray(audit.value) ? audit.value : (audit.value.rows ?? []);
    expect(entries.filter((e) => e.subject === id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['practice-reviewed', 'practice-example-marked']),
    );
  });
});

describe('query plans', () => {
  it('a manager’s list, a prompt’s list and a device’s feed use their indexes', () => {
    const sqlite = sqliteHandleOf(studio.context.db)!;
    const plan = (sql: string, ...args: unknown[]) =>
      (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(
      plan(`SELECT * FROM practice_recordings WHERE team = ? ORDER BY received_at DESC LIMIT 25`, 'North'),
    ).toMatch(/practice_recordings_team/);
    expect(
      plan(`SELECT * FROM practice_recordings WHERE prompt_id = ? ORDER BY received_at DESC LIMIT 25`, 'twin-train'),
    ).toMatch(/practice_recordings_prompt/);
    expect(
      plan(`SELECT * FROM practice_recordings WHERE device_id = ? AND changed_at >= ? ORDER BY changed_at`, 'd', 'x'),
    ).toMatch(/practice_recordings_feed/);
  });
});

describe('transcription', () => {
  it('gets every complete recording queued, and the device’s feed carries the transcript once it is done', async () => {
    const device = await enrol('Lou', 'North');
    const file = recording(2000, 'lou');
    const { uploadId: id } = (await start(device, startBody('take-lou', file))).body;
    const feedUrl = `${studio.url}${PRACTICE_PATHS.feed}`;
    const auth = { authorization: `Device ${device.credential}` };
    expect(await transcriptFor(studio.context.db, id)).toBeNull();
    await put(device, id, 0, file);
    expect((await transcriptFor(studio.context.db, id))?.recordingId).toBe(id);
    const before = (await (await fetch(feedUrl, { headers: auth })).json()) as PracticeFeed;
    expect(before.entries.find((e) => e.recordingId === id)?.transcript).toBeUndefined();

    // What the queue writes when PocketSphinx is done (the queue is stopped so nothing races it).
    await stopTranscriptionQueue(studio.context.db);
    const later = new Date(clock.getTime() + 60_000).toISOString();
    await studio.context.db
      .updateTable('practice_transcripts')
      .set({
        status: 'done',
        text: 'we run two trains',
        key_message_results: JSON.stringify([
          { message: 'two trains', said: true, heard: 'two trains', score: 1 },
          { message: 'one keeps running during service', said: false, score: 0 },
        ]),
        updated_at: later,
      })
      .where('recording_id', '=', id)
      .execute();
    const after = (await (
      await fetch(`${feedUrl}?after=${encodeURIComponent(before.cursor!)}`, { headers: auth })
    ).json()) as PracticeFeed;
    expect(after.entries.find((e) => e.recordingId === id)).toMatchObject({
      transcript: 'we run two trains',
      keyMessages: [
        { message: 'two trains', said: true, heard: 'two trains' },
        { message: 'one keeps running during service', said: false },
      ],
    });
    expect(after.cursor).toBe(later);
  });
});

describe('a rep’s privacy', () => {
  it('exports a rep’s recordings with their reviews, and erasing the rep removes the rows and the audio', async () => {
    const device = await enrol('Jo', 'North');
    const file = recording(3000, 'jo');
    const { uploadId: id } = (await start(device, startBody('take-jo', file))).body;
    await put(device, id, 0, file);
    await people.admin!.call('POST', `/api/practice/recordings/${id}/comments`, { atMs: 500, text: 'Good start' });
    const exported = await people.admin!.call<{ practice: { id: string; comments: { text: string }[] }[] }>(
      'GET',
      '/api/fleet/privacy/export?rep=jo@acme.example',
    );
    expect(exported.value.practice).toMatchObject([{ id, comments: [{ text: 'Good start' }] }]);
    const blob = path.join(data.dir, 'blobs', sha(file));
    expect(statSync(blob).size).toBe(file.length);
    const erased = await people.admin!.call<{ practiceRecordings: number }>('POST', '/api/fleet/privacy/erase', {
      rep: 'jo@acme.example',
    });
    expect(erased.value.practiceRecordings).toBe(1);
    expect((await people.admin!.call('GET', `/api/practice/recordings/${id}`)).status).toBe(404);
    expect(() => statSync(blob)).toThrow();
  });
});

describe('the device and Studio', () => {
  let channel: TestChannel;

  beforeAll(async () => {
    channel = await makeChannel();
    cleanups.push(channel.cleanup);
    const file = path.join(channel.sourceDir, 'catalogue.yaml');
    const catalogue = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      file,
      stringify({
        ...catalogue,
        practice: [
          {
            id: 'twin-train',
            title: 'Twin trains in 60 seconds',
            item: 'brochure',
            keyMessages: ['two trains', 'one keeps running during service'],
            timeLimitSeconds: 60,
          },
        ],
      }),
    );
    await channel.publish();
  }, 60_000);

  async function device(profileDir: string, fetchImpl: typeof fetch = fetch): Promise<Core> {
    const core = await createCore({
      profileDir,
      shell: 'browser',
      siteBaseUrl: 'http://127.0.0.1',
      clock: { now: () => clock },
      embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
      practiceChunkBytes: 64 * 1024,
      delivery: { fetchImpl },
    });
    cleanups.push(() => core.close());
    return core;
  }

  it('sends a take with consent in chunks, resumes after a cut and an app restart, and gets the review back', async () => {
    const profile = tempDir('practice-device-');
    cleanups.push(profile.cleanup);
    const puts: number[] = [];
    let cutNextPut = false;
    const watching: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      if (init?.method === 'PUT' && url.pathname.startsWith(PRACTICE_PATHS.uploads)) {
        puts.push(Number(url.searchParams.get('offset')));
        if (cutNextPut) {
          cutNextPut = false;
          throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET', message: 'socket hang up' } });
        }
      }
      return fetch(input, init);
    };
    let core = await device(profile.dir, watching);
    const audio = recording(200_000, 'gus');
    const take = await core.api.saveRehearsalTake({
      promptId: 'twin-train',
      mime: 'audio/webm;codecs=opus',
      durationMs: 30_000,
      audioBase64: audio.toString('base64'),
    });

    // Not connected: a clear message and nothing queued.
    await expect(
      core.api.sendTakeForReview({
        id: take.id,
        consent: { version: PRACTICE_CONSENT.version, shareAsExample: false },
      }),
    ).rejects.toThrow(/not connected to your company’s Studio/);
    expect((await core.api.listRehearsalTakes({ promptId: 'twin-train' }))[0]!.review).toBeNull();
    expect(await core.api.getPracticeConsent({})).toBeNull();

    const made = await people.admin!.call<{ code: string }>('POST', '/api/fleet/codes', {
      kind: 'rep',
      name: 'Gus Hale',
      email: 'gus@acme.example',
      team: 'North',
    });
    await core.api.enrolDevice({ studioUrl: studio.url, code: made.value.code });
    // The first send needs consent; with it, the take is queued and the consent kept.
    await expect(core.api.sendTakeForReview({ id: take.id })).rejects.toThrow(/Before the first send/);
    const queued = await core.api.sendTakeForReview({
      id: take.id,
      consent: { version: PRACTICE_CONSENT.version, shareAsExample: true },
    });
    expect(queued.review).toMatchObject({ state: 'queued', sentBytes: 0, size: audio.length, shareAsExample: true });
    expect(await core.api.getPracticeConsent({})).toMatchObject({
      version: PRACTICE_CONSENT.version,
      shareAsExample: true,
    });

    // The connection drops at the third chunk: two chunks are acknowledged and kept.
    puts.length = 0;
    let calls = 0;
    const cutAfterTwo: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT' && ++calls === 3) cutNextPut = true;
      return watching(input, init);
    };
    core.close();
    core = await device(profile.dir, cutAfterTwo);
    await core.api.syncFleetNow({});
    const cut = (await core.api.listRehearsalTakes({ promptId: 'twin-train' }))[0]!.review!;
    expect(cut).toMatchObject({ state: 'uploading', sentBytes: 128 * 1024 });
    expect(cut.error).toMatch(/Could not reach Studio/);
    expect(puts).toEqual([0, 65_536, 131_072]);

    // The app restarts; the next sync goes on from Studio's offset, never from 0.
    core.close();
    puts.length = 0;
    core = await device(profile.dir, watching);
    await core.api.syncFleetNow({});
    expect(puts).toEqual([131_072, 196_608]);
    const sent = (await core.api.listRehearsalTakes({ promptId: 'twin-train' }))[0]!.review!;
    expect(sent).toMatchObject({ state: 'sent', sentBytes: audio.length, error: null });

    // Studio reviews it; the device's next sync brings the score, the rubric and the comment.
    const list = await people.north!.call<{ rows: { id: string; repName: string }[] }>(
      'GET',
      '/api/practice/recordings?rep=gus@acme.example',
    );
    const recordingId = list.value.rows[0]!.id;
    expect(list.value.rows[0]!.repName).toBe('Gus Hale');
    await people.north!.call('POST', `/api/practice/recordings/${recordingId}/comments`, {
      atMs: 12_000,
      text: 'Say “two trains” before the price',
    });
    await people.north!.call('PUT', `/api/practice/recordings/${recordingId}/review`, {
      overall: 3,
      rubric: [
        { message: 'two trains', rating: 'said' },
        { message: 'one keeps running during service', rating: 'missed' },
      ],
    });
    await core.api.syncFleetNow({});
    const reviewed = (await core.api.listRehearsalTakes({ promptId: 'twin-train' }))[0]!.review!;
    expect(reviewed.state).toBe('reviewed');
    expect(reviewed.feedback).toMatchObject({
      recordingId,
      takeId: take.id,
      status: 'reviewed',
      review: {
        overall: 3,
        reviewer: 'north',
        rubric: [
          { message: 'two trains', rating: 'said' },
          { message: 'one keeps running during service', rating: 'missed' },
        ],
        comments: [{ atMs: 12_000, text: 'Say “two trains” before the price', by: 'north' }],
      },
    });
    // Readable offline: a restart with Studio unreachable still shows it.
    core.close();
    const offline: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    core = await device(profile.dir, offline);
    expect((await core.api.listRehearsalTakes({ promptId: 'twin-train' }))[0]!.review!.feedback?.review?.overall).toBe(
      3,
    );

    // Marketing marks it an example (Gus allowed it): another rep's device lists it and plays it, offline too.
    expect(
      (await people.editor!.call('PUT', `/api/practice/recordings/${recordingId}/example`, { example: true })).status,
    ).toBe(200);
    const other = tempDir('practice-example-');
    cleanups.push(other.cleanup);
    let ivy = await device(other.dir);
    const ivyCode = await people.admin!.call<{ code: string }>('POST', '/api/fleet/codes', {
      kind: 'rep',
      name: 'Ivy',
      email: 'ivy@acme.example',
      team: 'South',
    });
    await ivy.api.enrolDevice({ studioUrl: studio.url, code: ivyCode.value.code });
    expect(await ivy.api.listPracticeExamples({ promptId: 'twin-train' })).toEqual([]);
    await ivy.api.syncFleetNow({});
    // Finn's, marked earlier, is one too.
    expect(await ivy.api.listPracticeExamples({ promptId: 'twin-train' })).toContainEqual({
      recordingId,
      promptId: 'twin-train',
      team: 'North',
      durationMs: 30_000,
      available: true,
    });
    ivy.close();
    ivy = await device(other.dir, offline);
    const heard = await ivy.api.getPracticeExampleAudio({ recordingId });
    expect(sha(Buffer.from(heard.audioBase64, 'base64'))).toBe(sha(audio));
    // Unmarked: it leaves every device at the next sync.
    await people.editor!.call('PUT', `/api/practice/recordings/${recordingId}/example`, { example: false });
    ivy.close();
    ivy = await device(other.dir);
    await ivy.api.syncFleetNow({});
    const left = await ivy.api.listPracticeExamples({ promptId: 'twin-train' });
    expect(left.map((e) => e.recordingId)).not.toContain(recordingId);
    expect(left).toHaveLength(1);
    await expect(ivy.api.getPracticeExampleAudio({ recordingId })).rejects.toThrow(/no longer offered/);
  });

  it('says so on the take when Studio disconnected the device, and sends nothing more', async () => {
    const profile = tempDir('practice-revoked-');
    cleanups.push(profile.cleanup);
    const core = await device(profile.dir);
    const made = await people.admin!.call<{ code: string }>('POST', '/api/fleet/codes', {
      kind: 'rep',
      name: 'Kim',
      email: 'kim@acme.example',
      team: 'South',
    });
    const status = await core.api.enrolDevice({ studioUrl: studio.url, code: made.value.code });
    const take = await core.api.saveRehearsalTake({
      promptId: 'twin-train',
      mime: 'audio/webm',
      durationMs: 5_000,
      audioBase64: recording(5_000, 'kim').toString('base64'),
    });
    await core.api.sendTakeForReview({
      id: take.id,
      consent: { version: PRACTICE_CONSENT.version, shareAsExample: false },
    });
    await people.admin!.call('POST', `/api/fleet/devices/${status.identity!.deviceId}/revoke`, {});
    const after = await core.api.syncFleetNow({});
    expect(after.revoked).not.toBeNull();
    const waiting = (await core.api.listRehearsalTakes({ promptId: 'twin-train' }))[0]!.review!;
    expect(waiting.state).toBe('queued');
    expect(waiting.error).toMatch(/disconnected by your company/);
    const other = await core.api.saveRehearsalTake({
      promptId: 'twin-train',
      mime: 'audio/webm',
      durationMs: 5_000,
      audioBase64: recording(5_000, 'kim-2').toString('base64'),
    });
    await expect(core.api.sendTakeForReview({ id: other.id })).rejects.toThrow(/disconnected this device/);
    const list = await people.admin!.call<{ total: number }>('GET', '/api/practice/recordings?rep=kim@acme.example');
    expect(list.value.total).toBe(0);
  });

  it('lets the rep cancel a queued send; Studio never receives it', async () => {
    const profile = tempDir('practice-cancel-');
    cleanups.push(profile.cleanup);
    const core = await device(profile.dir);
    const made = await people.admin!.call<{ code: string }>('POST', '/api/fleet/codes', {
      kind: 'rep',
      name: 'Hana',
      email: 'hana@acme.example',
      team: 'South',
    });
    await core.api.enrolDevice({ studioUrl: studio.url, code: made.value.code });
    const take = await core.api.saveRehearsalTake({
      promptId: 'twin-train',
      mime: 'audio/webm',
      durationMs: 5_000,
      audioBase64: recording(5_000, 'hana').toString('base64'),
    });
    await core.api.sendTakeForReview({
      id: take.id,
      consent: { version: PRACTICE_CONSENT.version, shareAsExample: false },
    });
    expect((await core.api.cancelTakeReview({ id: take.id })).review?.state).toBe('cancelled');
    await core.api.syncFleetNow({});
    const list = await people.admin!.call<{ total: number }>('GET', '/api/practice/recordings?rep=hana@acme.example');
    expect(list.value.total).toBe(0);
    await expect(core.api.cancelTakeReview({ id: take.id })).rejects.toThrow(/not reached Studio/);
  });
});
