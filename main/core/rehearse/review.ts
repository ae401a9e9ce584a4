/**
 * Sending a take to Studio for review, and keeping what reviewers said. A send is an outbox row
 * of its own kind in Studio's lane (so it waits, retries and backs off like every record, and
 * sync health counts it), but it goes up as a file in chunks rather than in a batch: Studio
 * says which byte it holds, the device sends from there, and the offset Studio acknowledged is
 * kept so the Rehearse screen can show how far it got. Studio's feedback arrives in its
 * per-device feed, pulled when the device syncs, and is kept in the profile for offline reading.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import {
  PRACTICE_CHUNK_BYTES,
  PRACTICE_CONSENT,
  PRACTICE_PATHS,
  PRACTICE_UPLOAD_MAX_BYTES,
  practiceFeed,
  practiceUploadState,
  type PracticeConsent,
  type PracticeExample,
  type PracticeExampleEntry,
  type PracticeFeedEntry,
  type PracticeUploadStart,
  type PracticeUploadState,
  type TakeReview,
  type TakeReviewState,
} from '#shared/practice-review';
import { REVOKED_MESSAGE } from '#shared/contract/fleet';
import type { RehearsalTake } from '#shared/rehearse';
import { PitchcaseError } from '#shared/result';
import type { Transport } from '../outbox/connectors/connector.ts';
import {
  DeviceRevokedError,
  deviceAuthorization,
  saysRevoked,
  type StudioEndpoint,
} from '../outbox/connectors/studio.ts';
import { endpointMessage, exchange, networkReason, redirectProblem } from '../outbox/http.ts';
import { enqueue, type OutboxRow } from '../outbox/store.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { defineSetting, getSetting, putSetting } from '../storage/settings.ts';
import type { Clock, Log } from '../types.ts';

/** The outbox kind of a recording on its way to Studio. */
export const PRACTICE_RECORDING_KIND = 'practice-recording';

/** What the outbox row carries: enough to open the upload without the take's row (which the rep may delete). */
export interface PracticeRecordingPayload {
  takeId: string;
  promptId: string;
  promptTitle: string;
  keyMessages: string[];
  releaseVersion: number | null;
  recordedAt: string;
  mime: string;
  durationMs: number;
  size: number;
  sha256: string;
  consent: PracticeConsent;
}

const consentSetting = defineSetting(
  'rehearse.consent',
  z.object({ version: z.number().int(), shareAsExample: z.boolean(), at: z.string() }).nullable(),
  null,
);
const cursorSetting = defineSetting('rehearse.feedCursor', z.string().nullable(), null);

/** Whether this device may send to Studio now, and how. */
export type StudioLink =
  { state: 'connected'; endpoint: StudioEndpoint } | { state: 'not-enrolled' } | { state: 'revoked' };

export interface PracticeReviewDeps {
  db: WriteDb;
  read: ReadDb;
  clock: Clock;
  log: Log;
  fileOf(takeId: string): string;
  /** Where examples' audio is kept (`rehearse-examples/` of the profile). */
  examplesDir: string;
  studio(): StudioLink;
  /** The prompt's key messages and the release's version, as the device has them now. */
  promptFacts(promptId: string): { keyMessages: string[]; releaseVersion: number | null };
  /** Bytes per chunk; the protocol's default unless a test needs many chunks of a small file. */
  chunkBytes?: number;
  /** The rep's screen hears that a take moved (queued, n% uploaded, sent, reviewed). */
  onChanged?(): void;
}

interface SendRow {
  take_id: string;
  outbox_id: number;
  consent_version: number;
  share_as_example: number;
  size: number;
  queued_at: string;
  acked_offset: number;
  state: 'queued' | 'uploading' | 'sent' | 'cancelled' | 'refused';
  error: string | null;
  recording_id: string | null;
}

/** The base URL of Studio from its ingest URL (Studio may sit under a path behind a proxy). */
export function studioBaseOf(ingestUrl: string): string {
  const url = new URL(ingestUrl);
  const at = url.pathname.lastIndexOf('/api/fleet/ingest');
  return url.origin + (at > 0 ? url.pathname.slice(0, at) : '');
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}

export function createPracticeReview(deps: PracticeReviewDeps) {
  const { db, read } = deps;
  const chunkBytes = deps.chunkBytes ?? PRACTICE_CHUNK_BYTES;
  const changed = () => deps.onChanged?.();
  mkdirSync(deps.examplesDir, { recursive: true, mode: 0o700 });
  const exampleFile = (sha256: string) => path.join(deps.examplesDir, sha256);
  const report = { warn: (message: string, data?: Record<string, unknown>) => deps.log.warn(message, data) };

  const sendOf = (takeId: string, from: ReadDb | WriteDb = read) =>
    from.prepare(`SELECT * FROM practice_sends WHERE take_id = ?`).get(takeId) as SendRow | undefined;

  function feedbackOf(takeId: string): PracticeFeedEntry | null {
    const row = read.prepare(`SELECT entry FROM practice_feedback WHERE take_id = ?`).get(takeId) as
      { entry: string } | undefined;
    return row ? (JSON.parse(row.entry) as PracticeFeedEntry) : null;
  }

  function setProgress(
    takeId: string,
    fields: Partial<Pick<SendRow, 'acked_offset' | 'state' | 'error' | 'recording_id'>>,
  ) {
    const sets = Object.keys(fields).map((k) => `${k} = @${k}`);
    db.prepare(`UPDATE practice_sends SET ${sets.join(', ')} WHERE take_id = @takeId`).run({ ...fields, takeId });
    changed();
  }

  return {
    consent(): { version: number; shareAsExample: boolean; at: string } | null {
      const given = getSetting(read, consentSetting, report);
      return given && given.version === PRACTICE_CONSENT.version ? given : null;
    },

    /** Where a take stands on its way to review; null when it was never sent. */
    reviewOf(takeId: string): TakeReview | null {
      const send = sendOf(takeId);
      if (!send) return null;
      const feedback = feedbackOf(takeId);
      let state: TakeReviewState = send.state;
      if (state === 'sent' && feedback?.status === 'reviewed') state = 'reviewed';
      const waiting = state === 'queued' || state === 'uploading';
      // A disconnected device says so on every take still waiting, whichever call learnt it.
      const error = waiting && deps.studio().state === 'revoked' ? REVOKED_MESSAGE : send.error;
      return {
        state,
        sentBytes: Math.min(send.acked_offset, send.size),
        size: send.size,
        consentVersion: send.consent_version,
        shareAsExample: send.share_as_example === 1,
        queuedAt: send.queued_at,
        error,
        feedback,
      };
    },

    /**
     * Queues a take for review. Not connected to Studio: a clear refusal and nothing queued. The
     * consent given with the first send is kept and recorded with every take sent under it.
     */
    async send(take: RehearsalTake, consent: PracticeConsent | undefined): Promise<void> {
      const link = deps.studio();
      if (link.state === 'not-enrolled')
        throw new PitchcaseError(
          'refused',
          'This device is not connected to your company’s Studio, so there is nowhere to send it. Connect it under Settings → Your company with the code your manager or IT gives you; the take stays here.',
        );
      if (link.state === 'revoked')
        throw new PitchcaseError(
          'refused',
          'Your company disconnected this device from Studio: nothing can be sent for review. The take stays here.',
        );
      if (consent && consent.version !== PRACTICE_CONSENT.version)
        throw new PitchcaseError('bad-request', 'That consent is for another version of the wording: read it again.');
      const given = consent ?? this.consent();
      if (!given)
        throw new PitchcaseError('refused', 'Before the first send, read what is sent and who sees it, and agree.');
      const existing = sendOf(take.id);
      if (existing && existing.state !== 'cancelled' && existing.state !== 'refused')
        throw new PitchcaseError('refused', 'This take is already on its way to review (or there).');
      if (take.size > PRACTICE_UPLOAD_MAX_BYTES)
        throw new PitchcaseError('refused', 'This recording is larger than Studio accepts for review.');
      const sha256 = await sha256Of(deps.fileOf(take.id));
      const facts = deps.promptFacts(take.promptId);
      const at = deps.clock.now().toISOString();
      const payload: PracticeRecordingPayload = {
        takeId: take.id,
        promptId: take.promptId,
        promptTitle: take.promptTitle,
        keyMessages: facts.keyMessages,
        releaseVersion: facts.releaseVersion,
        recordedAt: take.recordedAt,
        mime: take.mime,
        durationMs: take.durationMs,
        size: take.size,
        sha256,
        consent: { version: given.version, shareAsExample: given.shareAsExample },
      };
      const key = `${PRACTICE_RECORDING_KIND}:${take.id}:${randomUUID()}`;
      db.transaction(() => {
        if (consent) putSetting(db, consentSetting, { ...consent, at });
        enqueue(db, { kind: PRACTICE_RECORDING_KIND, idempotencyKey: key, payload, createdAt: at });
        const outboxId = (db.prepare(`SELECT id FROM outbox WHERE idempotency_key = ?`).get(key) as { id: number }).id;
        db.prepare(
          `INSERT INTO practice_sends (take_id, outbox_id, consent_version, share_as_example, sha256, size, queued_at, state)
           VALUES (@takeId, @outboxId, @version, @share, @sha256, @size, @at, 'queued')
           ON CONFLICT (take_id) DO UPDATE SET outbox_id = @outboxId, consent_version = @version,
             share_as_example = @share, sha256 = @sha256, size = @size, queued_at = @at, acked_offset = 0,
             state = 'queued', recording_id = NULL, error = NULL`,
        ).run({
          takeId: take.id,
          outboxId,
          version: given.version,
          share: given.shareAsExample ? 1 : 0,
          sha256,
          size: take.size,
          at,
        });
      })();
      changed();
    },

    /** The rep changes their mind: a send not yet complete stops, and Studio's lane forgets it. */
    cancel(takeId: string): void {
      const send = sendOf(takeId);
      if (!send || (send.state !== 'queued' && send.state !== 'uploading'))
        throw new PitchcaseError('refused', 'Only a send that has not reached Studio yet can be cancelled.');
      db.transaction(() => {
        db.prepare(`UPDATE practice_sends SET state = 'cancelled', error = NULL WHERE take_id = ?`).run(takeId);
        db.prepare(
          `UPDATE outbox_studio SET refused = 'Cancelled by the rep', batch_key = NULL WHERE outbox_id = ? AND sent_at IS NULL`,
        ).run(send.outbox_id);
      })();
      changed();
    },

    /** A take the rep deletes: whatever is still waiting to go goes with it. */
    forget(takeId: string): void {
      const send = sendOf(takeId);
      if (send && (send.state === 'queued' || send.state === 'uploading')) this.cancel(takeId);
    },

    /**
     * One outbox row of this kind, sent as a resumable upload. Resolves with a refusal reason
     * (never retried) or null once Studio holds the whole file; throws to be retried later.
     */
    async upload(row: OutboxRow, endpoint: StudioEndpoint, transport: Transport): Promise<{ refused: string | null }> {
      const payload = row.payload as PracticeRecordingPayload;
      const send = sendOf(payload.takeId, db);
      if (!send || send.outbox_id !== row.id || send.state === 'cancelled') return { refused: 'Cancelled by the rep' };
      const base = studioBaseOf(endpoint.ingestUrl);
      const host = new URL(base).host;
      const who = `Studio (${host})`;
      const headers = { Authorization: deviceAuthorization(endpoint.credential) };

      const call = async (url: string, init: RequestInit): Promise<PracticeUploadState | { refused: string }> => {
        let answer;
        try {
          answer = await exchange(
            transport.fetchImpl,
            url,
            { ...init, headers: { ...headers, ...init.headers } },
            transport.timeoutMs,
            who,
          );
        } catch (error) {
          throw new Error(`Could not reach Studio at ${host}: ${networkReason(error)}`, { cause: error });
        }
        if (saysRevoked(answer.status, answer.body)) throw new DeviceRevokedError();
        const redirect = redirectProblem(url, answer, who);
        if (redirect) throw new Error(redirect);
        let body: unknown = null;
        try {
          body = JSON.parse(answer.body) as unknown;
        } catch {
          // Not JSON: said in the message below.
        }
        if (answer.status === 409 && typeof (body as { offset?: unknown })?.offset === 'number')
          return { uploadId: '', offset: (body as { offset: number }).offset, size: payload.size, recordingId: null };
        if (answer.status === 401)
          throw new Error(`${who} does not know this device's credential (HTTP 401): enrol the device again`);
        // Refusals of the recording itself (too large, wrong checksum, not a rep's device) are final.
        if (answer.status === 400 || answer.status === 413)
          return { refused: endpointMessage(answer.body) || `${who} refused the recording (HTTP ${answer.status})` };
        if (answer.status < 200 || answer.status > 299) {
          const said = endpointMessage(answer.body);
          throw new Error(`${who} answered HTTP ${answer.status}${said ? `: ${said}` : ''}`);
        }
        const state = practiceUploadState.safeParse(body);
        if (!state.success) throw new Error(`${who} answered the upload in a shape this version does not know`);
        return state.data;
      };

      const start: PracticeUploadStart = { ...payload };
      const opened = await call(base + PRACTICE_PATHS.uploads, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(start),
      });
      if ('refused' in opened) return opened;
      const uploadId = opened.uploadId;
      let offset = opened.offset;
      setProgress(payload.takeId, { acked_offset: offset, state: offset > 0 ? 'uploading' : 'queued', error: null });
      let recordingId = opened.recordingId;
      const file = await open(deps.fileOf(payload.takeId), 'r').catch(() => null);
      if (!file && recordingId === null) return { refused: 'The recording is no longer on this device' };
      try {
        while (recordingId === null) {
          const still = sendOf(payload.takeId, db);
          if (!still || still.state === 'cancelled') return { refused: 'Cancelled by the rep' };
          const length = Math.min(chunkBytes, payload.size - offset);
          const chunk = Buffer.alloc(length);
          await file!.read(chunk, 0, length, offset);
          const answer = await call(
            `${base}${PRACTICE_PATHS.uploads}/${encodeURIComponent(uploadId)}?offset=${offset}`,
            {
              method: 'PUT',
              headers: { 'Content-Type': 'application/octet-stream' },
              body: chunk,
            },
          );
          if ('refused' in answer) return answer;
          if (answer.offset < offset && answer.recordingId === null && answer.uploadId !== '')
            throw new Error(`${who} went back to byte ${answer.offset} of the recording`);
          offset = answer.offset;
          recordingId = answer.recordingId;
          setProgress(payload.takeId, { acked_offset: offset, state: 'uploading' });
        }
      } finally {
        await file?.close();
      }
      setProgress(payload.takeId, {
        acked_offset: payload.size,
        state: 'sent',
        recording_id: recordingId,
        error: null,
      });
      return { refused: null };
    },

    /** The lane gave up on a row (refused) or will retry it (error): the take says why. */
    noteOutcome(row: OutboxRow, outcome: { refused: string } | { error: string }): void {
      const takeId = (row.payload as PracticeRecordingPayload).takeId;
      const send = sendOf(takeId, db);
      if (!send || send.outbox_id !== row.id || send.state === 'cancelled') return;
      if ('refused' in outcome) setProgress(takeId, { state: 'refused', error: outcome.refused });
      else setProgress(takeId, { error: outcome.error });
    },

    /** Reads Studio's practice feed after the stored cursor and keeps every entry, per take. */
    async pullFeed(endpoint: StudioEndpoint, transport: Transport): Promise<'revoked' | 'done' | 'failed'> {
      const base = studioBaseOf(endpoint.ingestUrl);
      const host = new URL(base).host;
      const cursor = getSetting(read, cursorSetting, report);
      const url = `${base}${PRACTICE_PATHS.feed}${cursor ? `?after=${encodeURIComponent(cursor)}` : ''}`;
      let answer;
      try {
        answer = await exchange(
          transport.fetchImpl,
          url,
          { headers: { Accept: 'application/json', Authorization: deviceAuthorization(endpoint.credential) } },
          transport.timeoutMs,
          `Studio (${host})`,
        );
      } catch (error) {
        deps.log.warn('practice feedback not fetched', { reason: networkReason(error) });
        return 'failed';
      }
      if (saysRevoked(answer.status, answer.body)) return 'revoked';
      if (answer.status !== 200) {
        deps.log.warn('practice feedback not fetched', { status: answer.status, reason: endpointMessage(answer.body) });
        return 'failed';
      }
      let feed;
      try {
        feed = practiceFeed.parse(JSON.parse(answer.body));
      } catch (error) {
        deps.log.warn('practice feedback not understood', { reason: (error as Error).message.slice(0, 300) });
        return 'failed';
      }
      const at = deps.clock.now().toISOString();
      const upsert = db.prepare(
        `INSERT INTO practice_feedback (take_id, recording_id, entry, received_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (take_id) DO UPDATE SET recording_id = excluded.recording_id, entry = excluded.entry,
           received_at = excluded.received_at`,
      );
      db.transaction(() => {
        for (const entry of feed.entries) upsert.run(entry.takeId, entry.recordingId, JSON.stringify(entry), at);
        if (feed.cursor) putSetting(db, cursorSetting, feed.cursor);
      })();
      if (feed.entries.length > 0) changed();
      await this.keepExamples(feed.examples, endpoint, transport);
      return 'done';
    },

    /**
     * The examples as Studio lists them now, replacing the last list, and the audio of each one
     * not yet on the device (checked against its sha256); files of examples no longer listed go.
     */
    async keepExamples(
      examples: PracticeExampleEntry[],
      endpoint: StudioEndpoint,
      transport: Transport,
    ): Promise<void> {
      const before = JSON.stringify(this.examples(null));
      const present = new Set(await readdir(deps.examplesDir).catch(() => [] as string[]));
      db.transaction(() => {
        db.prepare(`DELETE FROM practice_examples`).run();
        const insert = db.prepare(
          `INSERT INTO practice_examples (recording_id, prompt_id, prompt_title, team, duration_ms, mime, size, sha256, stored)
           VALUES (@recordingId, @promptId, @promptTitle, @team, @durationMs, @mime, @size, @sha256, @stored)`,
        );
        for (const e of examples) insert.run({ ...e, stored: present.has(e.sha256) ? 1 : 0 });
      })();
      const wanted = new Set(examples.map((e) => e.sha256));
      for (const name of present) if (!wanted.has(name)) await rm(path.join(deps.examplesDir, name), { force: true });
      const base = studioBaseOf(endpoint.ingestUrl);
      for (const e of examples) {
        if (present.has(e.sha256)) continue;
        try {
          const response = await transport.fetchImpl(
            `${base}${PRACTICE_PATHS.examples}/${encodeURIComponent(e.recordingId)}`,
            {
              headers: { Authorization: deviceAuthorization(endpoint.credential) },
              redirect: 'manual',
              signal: AbortSignal.timeout(Math.max(transport.timeoutMs, 120_000)),
            },
          );
          if (response.status !== 200) {
            await response.body?.cancel();
            continue;
          }
          const bytes = Buffer.from(await response.arrayBuffer());
          if (bytes.length !== e.size || createHash('sha256').update(bytes).digest('hex') !== e.sha256) continue;
          const tmp = `${exampleFile(e.sha256)}.tmp`;
          await writeFile(tmp, bytes, { mode: 0o600 });
          await rename(tmp, exampleFile(e.sha256));
          db.prepare(`UPDATE practice_examples SET stored = 1 WHERE sha256 = ?`).run(e.sha256);
        } catch (error) {
          deps.log.warn('practice example not fetched', { reason: networkReason(error) });
        }
      }
      if (JSON.stringify(this.examples(null)) !== before) changed();
    },

    /** The examples of a prompt (all when null), newest list from Studio, offline once fetched. */
    examples(promptId: string | null): PracticeExample[] {
      const rows = read
        .prepare(
          `SELECT recording_id, prompt_id, team, duration_ms, stored FROM practice_examples
            WHERE @promptId IS NULL OR prompt_id = @promptId ORDER BY rowid`,
        )
        .all({ promptId }) as {
        recording_id: string;
        prompt_id: string;
        team: string | null;
        duration_ms: number;
        stored: number;
      }[];
      return rows.map((r) => ({
        recordingId: r.recording_id,
        promptId: r.prompt_id,
        team: r.team,
        durationMs: r.duration_ms,
        available: r.stored === 1,
      }));
    },

    async exampleAudio(recordingId: string): Promise<{ id: string; mime: string; audioBase64: string }> {
      const row = read
        .prepare(`SELECT mime, sha256, stored FROM practice_examples WHERE recording_id = ?`)
        .get(recordingId) as { mime: string; sha256: string; stored: number } | undefined;
      if (!row) throw new PitchcaseError('not-found', 'That example is no longer offered');
      if (row.stored !== 1)
        throw new PitchcaseError('not-found', 'That example is not on this device yet: it arrives with the next sync');
      const bytes = await readFile(exampleFile(row.sha256)).catch(() => null);
      if (!bytes)
        throw new PitchcaseError('not-found', 'That example is not on this device yet: it arrives with the next sync');
      return { id: recordingId, mime: row.mime, audioBase64: bytes.toString('base64') };
    },
  };
}

export type PracticeReviewDesk = ReturnType<typeof createPracticeReview>;
