import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { KeyObject } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ChannelSettings, PlannedItem, SyncPlan, SyncProgress, SyncStatus } from '#shared/sync';
import { PitchcaseError } from '#shared/result';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { z } from 'zod';
import { readSeen, writeSeen } from '../library/index.ts';
import { defineSetting, getSetting, putSetting, storageBytes } from '../storage/settings.ts';
import type { Clock, Log } from '../types.ts';
import { TransientError, httpSource, type ResumableSource } from './http-source.ts';
import {
  APP_TOO_OLD,
  compareWithInstalled,
  fetchVerifiedRelease,
  itemContentHash,
  missingBlobs,
  switchRelease,
  type VerifiedRelease,
} from './install.ts';
import { parsePublicKey } from './signature.ts';
import { directorySource } from './source.ts';
import { settle } from './settle.ts';
import { currentVersionFor, itemHashes, newItemCount, recordVersionSeen } from './store.ts';

/**
 * The content channel on a device: check for a newer signed release, show what it changes,
 * download only the files it lacks (several at a time, resuming partial ones, retrying
 * transient failures with backoff), then switch in one transaction. The library stays usable
 * throughout: nothing the rep sees changes until the switch. The new files reach the disk
 * behind the switch (settle.ts); the replaced release is kept until they have.
 */
export interface SyncOptions {
  db: WriteDb;
  read: ReadDb;
  blobs: BlobStore;
  clock: Clock;
  log: Log;
  /** This app's version: a release naming a higher `minAppVersion` is refused with "update the app". */
  appVersion: string;
  /** A release was refused as too new for this app: the app's own updater may have the cure. */
  onAppTooOld?(): void;
  onStatus(status: SyncStatus): void;
  onLibraryChanged(version: number): void;
  /** Rows waiting in the outbox, shown with sync health. */
  pendingUploads(): number;
  /** A kiosk counts only the items it shows. */
  kioskOnly?: boolean;
  /** Parallel downloads. */
  concurrency?: number;
  /** Attempts per file before the sync fails. */
  attempts?: number;
  /** First retry delay; doubles each time. */
  retryBaseMs?: number;
  idleTimeoutMs?: number;
}

export interface Sync {
  settings(): ChannelSettings;
  updateSettings(change: Partial<ChannelSettings>): ChannelSettings;
  status(): SyncStatus;
  /** Looks for a newer release; applies it too when autoApply is on. Never runs twice at once. */
  check(): Promise<SyncStatus>;
  /** Downloads and applies the release the last check found (checking first if needed). */
  apply(): Promise<SyncStatus>;
  markSeen(): SyncStatus;
  /** Starts checking on a schedule; returns a function that stops it. */
  startSchedule(firstDelayMs?: number): () => void;
  /** Resolves once the files of the last switch are on disk (or it was rolled back). */
  settled(): Promise<void>;
  /** The device is closing: settling in flight stops touching it (the next start takes over). */
  close(): void;
}

const DEFAULT_SETTINGS: ChannelSettings = {
  channelUrl: null,
  publicKeys: [],
  autoApply: true,
  checkIntervalMinutes: 60,
};

// A field missing from an older row takes its default; a field of the wrong kind refuses the row.
const channelSetting = defineSetting<ChannelSettings>(
  'channel.settings',
  z.object({
    channelUrl: z.string().max(2048).nullable().default(DEFAULT_SETTINGS.channelUrl),
    publicKeys: z.array(z.string().max(4096)).max(8).default(DEFAULT_SETTINGS.publicKeys),
    autoApply: z.boolean().default(DEFAULT_SETTINGS.autoApply),
    checkIntervalMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(DEFAULT_SETTINGS.checkIntervalMinutes),
  }),
  DEFAULT_SETTINGS,
);

interface Health {
  lastCheckAt: string | null;
  lastSuccessAt: string | null;
  lastError: { at: string; message: string } | null;
}

const healthSetting = defineSetting<Health>(
  'sync.health',
  z.object({
    lastCheckAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
  }),
  { lastCheckAt: null, lastSuccessAt: null, lastError: null },
);

/**
 * Opens a blob that a cancelled sync stops reading: the request is dropped, or the stream
 * destroyed mid-way (what arrived is kept for the next sync to resume from).
 */
async function openCancellable(
  source: ResumableSource,
  sha256: string,
  offset: number,
  signal: AbortSignal,
): Promise<{ stream: Readable; offset: number }> {
  const cancelled = () => new TransientError(`blob ${sha256}: cancelled, another file of this release failed`);
  if (signal.aborted) throw cancelled();
  const opened = await source.openBlobFrom(sha256, offset, signal);
  if (signal.aborted) {
    opened.stream.destroy();
    throw cancelled();
  }
  const stop = () => opened.stream.destroy(cancelled());
  signal.addEventListener('abort', stop, { once: true });
  opened.stream.once('close', () => signal.removeEventListener('abort', stop));
  return opened;
}

/** Turns the configured URL into a source: http(s) static hosting, or a folder (file:). */
export function sourceFor(url: string, idleTimeoutMs?: number): ResumableSource {
  const parsed = new URL(url);
  if (parsed.protocol === 'file:')
    return directorySource(fileURLToPath(parsed), idleTimeoutMs ? { idleTimeoutMs } : {});
  if (parsed.protocol === 'https:' || parsed.protocol === 'http:')
    return httpSource(url, idleTimeoutMs ? { idleTimeoutMs } : {});
  throw new PitchcaseError('bad-request', `A channel URL is https://, http:// or file://, not ${parsed.protocol}`);
}

export function validateChannelUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PitchcaseError('bad-request', `Not a URL: ${url}`);
  }
  if (!['https:', 'http:', 'file:'].includes(parsed.protocol)) {
    throw new PitchcaseError('bad-request', `A channel URL is https://, http:// or file://, not ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password)
    throw new PitchcaseError('bad-request', 'A channel URL must not carry a user name or password');
  return parsed.href;
}

export function createSync(options: SyncOptions): Sync {
  const { db, read, blobs, clock, log } = options;
  const concurrency = options.concurrency ?? 4;
  const attempts = options.attempts ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  let state: SyncStatus['state'] = 'idle';
  let plan: SyncPlan | null = null;
  let pending: { release: VerifiedRelease; source: ResumableSource } | null = null;
  let progress: SyncProgress | null = null;
  let running: Promise<SyncStatus> | null = null;
  /** Set while a schedule runs: restarts its wait (a new interval applies at once). */
  let reschedule: (() => void) | null = null;
  /** The last switch's files being settled (never rejects). */
  let settling: Promise<void> | null = null;
  let closed = false;

  const ctx = { db, blobs, now: () => clock.now(), appVersion: options.appVersion };
  const health = (): Health => getSetting(read, healthSetting, log);
  const setHealth = (change: Partial<Health>) => putSetting(db, healthSetting, { ...health(), ...change });

  function settings(): ChannelSettings {
    return getSetting(read, channelSetting, log);
  }

  function status(): SyncStatus {
    const h = health();
    return {
      state,
      channelUrl: settings().channelUrl,
      plan,
      progress,
      lastCheckAt: h.lastCheckAt,
      lastSuccessAt: h.lastSuccessAt,
      lastError: h.lastError,
      storageBytes: storageBytes(read),
      newSinceSeen: newItemCount(read, readSeen(read, log), clock.now().toISOString(), options.kioskOnly ?? false),
      pendingUploads: options.pendingUploads(),
    };
  }

  const publish = () => options.onStatus(status());
  const setState = (next: SyncStatus['state']) => {
    state = next;
    publish();
  };

  function keys(): KeyObject[] {
    return settings().publicKeys.map((pem) => parsePublicKey(pem));
  }

  function planFor(release: VerifiedRelease): SyncPlan {
    const { manifest } = release;
    const current = currentVersionFor(db);
    const before =
      current && current.channel === manifest.channel
        ? itemHashes(db, current.id)
        : new Map<string, { hash: string; title: string }>();
    const added: PlannedItem[] = [];
    const updated: PlannedItem[] = [];
    const ids = new Set<string>();
    for (const item of manifest.items) {
      ids.add(item.id);
      const old = before.get(item.id);
      if (!old) added.push({ id: item.id, title: item.title });
      else if (old.hash !== itemContentHash(item)) updated.push({ id: item.id, title: item.title });
    }
    const removed = [...before].filter(([id]) => !ids.has(id)).map(([id, v]) => ({ id, title: v.title }));
    const missing = missingBlobs(ctx, manifest);
    const sizes = new Map<string, number>();
    for (const item of manifest.items) for (const f of item.files) sizes.set(f.sha256, f.size);
    return {
      channel: manifest.channel,
      fromVersion: current && current.channel === manifest.channel ? current.version : null,
      toVersion: manifest.version,
      publishedAt: manifest.publishedAt,
      added,
      updated,
      removed,
      downloadBytes: missing.reduce((n, b) => n + b.size, 0),
      downloadFiles: missing.length,
      totalBytes: [...sizes.values()].reduce((n, s) => n + s, 0),
    };
  }

  function fail(error: unknown): SyncStatus {
    const message = error instanceof Error ? error.message : String(error);
    // A refused release is not retried as is: the next attempt checks the channel again.
    if (error instanceof PitchcaseError) {
      pending = null;
      plan = null;
    }
    log.warn('content sync failed', { reason: message });
    if (error instanceof PitchcaseError && message.startsWith(APP_TOO_OLD)) options.onAppTooOld?.();
    setHealth({ lastError: { at: clock.now().toISOString(), message } });
    progress = null;
    setState('error');
    return status();
  }

  async function doCheck(): Promise<SyncStatus> {
    const { channelUrl, autoApply } = settings();
    if (!channelUrl) {
      state = 'idle';
      return status();
    }
    setState('checking');
    try {
      const source = sourceFor(channelUrl, options.idleTimeoutMs);
      const release = await withRetries(
        () => fetchVerifiedRelease(source, keys(), clock.now(), options.appVersion),
        'channel.json',
      );
      setHealth({ lastCheckAt: clock.now().toISOString() });
      if (compareWithInstalled(db, release.manifest) === 'same') {
        pending = null;
        plan = null;
        setHealth({ lastSuccessAt: clock.now().toISOString(), lastError: null });
        setState('idle');
        return status();
      }
      // Verified and not older: no later answer may take the device below it (a rollback).
      recordVersionSeen(db, release.manifest.channel, release.manifest.version);
      pending = { release, source };
      plan = planFor(release);
      setState('available');
      return autoApply ? await doApply() : status();
    } catch (error) {
      setHealth({ lastCheckAt: clock.now().toISOString() });
      return fail(error);
    }
  }

  /** Retries transient failures with backoff; a cancelled sync neither retries nor waits. */
  async function withRetries<T>(task: () => Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await task();
      } catch (error) {
        if (!(error instanceof TransientError) || attempt >= attempts || signal?.aborted) throw error;
        const delay = retryBaseMs * 2 ** (attempt - 1);
        log.info('retrying', { what, attempt, delayMs: delay, reason: error.message });
        await sleep(delay, undefined, signal ? { signal } : {}).catch(() => {
          throw error;
        });
      }
    }
  }

  async function doApply(): Promise<SyncStatus> {
    if (!pending) return status();
    const { release, source } = pending;
    // Only one release waits in retirement: the last switch settles before the next begins.
    await settling;
    try {
      const missing = missingBlobs(ctx, release.manifest);
      const total = missing.reduce((n, b) => n + b.size, 0);
      let done = missing.reduce((n, b) => n + blobs.partialBytes(b.sha256), 0);
      const started = Date.now();
      const resumedFrom = done;
      let filesDone = 0;
      let lastPublish = 0;
      // The first file that fails for good cancels the others: nothing keeps downloading (or
      // reporting into a core that may be closing) after the sync has said it failed.
      const cancel = new AbortController();
      const report = (force = false) => {
        if (cancel.signal.aborted) return;
        const elapsed = (Date.now() - started) / 1000;
        const rate = elapsed > 0.5 ? (done - resumedFrom) / elapsed : 0;
        progress = {
          bytesDone: done,
          bytesTotal: total,
          filesDone,
          filesTotal: missing.length,
          etaSeconds: rate > 0 ? Math.round((total - done) / rate) : null,
        };
        if (force || Date.now() - lastPublish > 250) {
          lastPublish = Date.now();
          publish();
        }
      };
      state = 'downloading';
      report(true);
      const queue = [...missing];
      const worker = async () => {
        for (let blob = queue.shift(); blob && !cancel.signal.aborted; blob = queue.shift()) {
          const b = blob;
          await withRetries(
            async () => {
              const before = blobs.partialBytes(b.sha256);
              let got = 0;
              try {
                // Verified and under its final name here; fsynced once the switch is made (settle.ts).
                await blobs.putResumable(
                  b.sha256,
                  b.size,
                  (offset) => openCancellable(source, b.sha256, offset, cancel.signal),
                  (n) => {
                    got += n;
                    done += n;
                    report();
                  },
                  { durableLater: true },
                );
              } catch (error) {
                // Progress counts what is on disk: a discarded partial file goes back to zero.
                done -= before + got - blobs.partialBytes(b.sha256);
                // A body that ended early is worth another try (it resumes); a refusal is final.
                if (error instanceof PitchcaseError || error instanceof TransientError) throw error;
                throw new TransientError(`blob ${b.sha256}: ${(error as Error).message}`, { cause: error });
              }
            },
            `blob ${b.sha256}`,
            cancel.signal,
          );
          filesDone++;
          report();
        }
      };
      const workers = Array.from({ length: Math.min(concurrency, missing.length) }, () =>
        worker().catch((error: unknown) => {
          if (!cancel.signal.aborted) cancel.abort(error);
        }),
      );
      // Every worker has stopped (its partial file written out for a later resume) before the
      // first failure is reported, once.
      await Promise.allSettled(workers);
      if (cancel.signal.aborted) throw cancel.signal.reason;
      // Every file is verified: switch now. Their fsyncs finish behind the switch, and the
      // release it replaces stays until they have (see settle.ts).
      setState('applying');
      switchRelease(ctx, release, true);
      settleInBackground();
      pending = null;
      plan = null;
      progress = null;
      setHealth({ lastSuccessAt: clock.now().toISOString(), lastError: null });
      state = 'idle';
      options.onLibraryChanged(release.manifest.version);
      publish();
      return status();
    } catch (error) {
      return fail(error);
    }
  }

  function settleInBackground(): void {
    const run = settle(ctx, log, () => !closed)
      .then((result) => {
        if (result.outcome === 'left-for-next-start') return;
        if (result.outcome === 'rolled-back') {
          const back = result.now ? `version ${result.now.version}` : 'no library';
          setHealth({
            lastError: {
              at: clock.now().toISOString(),
              message: `New content could not be saved on this device (${result.reason}); back to ${back} until the next sync`,
            },
          });
          options.onLibraryChanged(result.now?.version ?? 0);
        }
        // Storage used changes once the old files are gone.
        publish();
      })
      .catch((error: unknown) => {
        // Whatever it was, the next start verifies what is still unsettled.
        if (!closed) log.error('settling content files failed', { reason: (error as Error).message });
      });
    settling = run;
    void run.finally(() => {
      if (settling === run) settling = null;
    });
  }

  const single = (task: () => Promise<SyncStatus>): Promise<SyncStatus> => {
    running ??= task().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    settings,
    updateSettings(change) {
      const next = { ...settings() };
      if (change.channelUrl !== undefined)
        next.channelUrl =
          change.channelUrl === null || change.channelUrl.trim() === ''
            ? null
            : validateChannelUrl(change.channelUrl.trim());
      if (change.publicKeys !== undefined) {
        for (const pem of change.publicKeys) parsePublicKey(pem);
        next.publicKeys = change.publicKeys.map((k) => k.trim() + '\n');
      }
      if (change.autoApply !== undefined) next.autoApply = change.autoApply;
      if (change.checkIntervalMinutes !== undefined) next.checkIntervalMinutes = change.checkIntervalMinutes;
      putSetting(db, channelSetting, next);
      if (change.checkIntervalMinutes !== undefined) reschedule?.();
      if (change.channelUrl !== undefined || change.publicKeys !== undefined) {
        pending = null;
        plan = null;
      }
      publish();
      return next;
    },
    status,
    check: () => single(doCheck),
    apply: () =>
      single(async () => {
        if (pending) return doApply();
        // A check with auto-apply on has already tried to apply: never download twice per call.
        const checked = await doCheck();
        return pending && !settings().autoApply ? doApply() : checked;
      }),
    markSeen() {
      const current = currentVersionFor(db);
      writeSeen(db, current ? { channel: current.channel, version: current.version } : null);
      publish();
      return status();
    },
    settled: async () => {
      while (settling) await settling;
    },
    close() {
      closed = true;
    },
    startSchedule(firstDelayMs = 5000) {
      let timer: NodeJS.Timeout | null = null;
      let stopped = false;
      const tick = (delay: number) => {
        timer = setTimeout(() => {
          void single(doCheck).finally(() => {
            if (!stopped) tick(settings().checkIntervalMinutes * 60_000);
          });
        }, delay);
        timer.unref?.();
      };
      tick(firstDelayMs);
      reschedule = () => {
        if (timer) clearTimeout(timer);
        if (!stopped) tick(settings().checkIntervalMinutes * 60_000);
      };
      return () => {
        stopped = true;
        reschedule = null;
        if (timer) clearTimeout(timer);
      };
    },
  };
}
