import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../support/random.ts';
import { bundleChild } from '../support/bundle-child.ts';
import { tempDir } from '../support/release.ts';

/**
 * Crash safety of the outbox: a device recording leads, meetings and activity and uploading them
 * is SIGKILLed, most often exactly between the endpoint's 2xx and the outbox marking the batch
 * sent (the child freezes there, see outbox-child.ts), otherwise right after the endpoint's
 * answer left the socket or at a random moment. The endpoint stores records by idempotency key.
 * In the end it must hold every record the device created, each received again only when the
 * batch that carried it had been answered by a run that was then killed: nothing lost, and no
 * repeat the outbox could have avoided, and every repeat under the key it first came with.
 * PITCHCASE_CRASH_RUNS sets the number of kills in the window (a quarter more land elsewhere).
 */
const WINDOW_RUNS = Number(process.env.PITCHCASE_CRASH_RUNS ?? 100);
const work = tempDir('pitchcase-outbox-crash-');
let childScript = '';
const profileDir = path.join(work.dir, 'device');

type KillMode = 'window' | 'after-answer' | 'random';

interface Batch {
  run: number;
  idempotencyKey: string;
  records: string[];
}

/** The receiving side: a webhook that keeps every batch it answered 2xx, in order. */
const batches: Batch[] = [];
/** Record key -> indexes into `batches` of every batch that carried it. */
const receipts = new Map<string, number[]>();
const endpointRandom = seededRandom(99);
let currentRun = -1;
/** Set per run: called once the n-th answer of the run has been flushed to the socket. */
let onAnswered: ((answeredInRun: number) => void) | null = null;
let answeredInRun = 0;

const server: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    // An endpoint that sometimes refuses: failed attempts and backoff belong in the mix.
    if (endpointRandom() < 0.1) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('busy');
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records: { idempotencyKey: string }[] };
    const index =
      batches.push({
        run: currentRun,
        idempotencyKey: String(req.headers['idempotency-key']),
        records: body.records.map((r) => r.idempotencyKey),
      }) - 1;
    for (const r of body.records) receipts.set(r.idempotencyKey, [...(receipts.get(r.idempotencyKey) ?? []), index]);
    const n = ++answeredInRun;
    const notify = onAnswered;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}', () => notify?.(n));
  });
});
let endpointUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  childScript = await bundleChild('outbox-child');
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  work.cleanup();
  rmSync(childScript, { force: true });
});

interface RunOutcome {
  lines: string[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/**
 * One life of the device. `stopAt` goes to the child (see outbox-child.ts); `kill` decides when
 * the parent kills it: on the child's "answered" line, once the endpoint's n-th answer has been
 * flushed, after a delay from spawn, or never (the drain run).
 */
function runDevice(
  run: number,
  stopAt: number,
  kill: { onLine?: RegExp; afterAnswer?: number; afterMs?: number },
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    currentRun = run;
    answeredInRun = 0;
    const child = spawn(process.execPath, [childScript, profileDir, endpointUrl, String(run + 1), String(stopAt)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    const sigkill = () => child.kill('SIGKILL');
    const guard = setTimeout(sigkill, 30_000);
    const timer = kill.afterMs === undefined ? null : setTimeout(sigkill, kill.afterMs);
    onAnswered = kill.afterAnswer === undefined ? null : (n) => n === kill.afterAnswer && sigkill();
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (kill.onLine?.test(line)) sigkill();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      onAnswered = null;
      // Lines already read are complete; a partial last line of a killed child is dropped.
      setImmediate(() => resolve({ lines, signal, code, stderr }));
    });
  });
}

describe('an outbox killed between the endpoint answering and marking the batch sent', () => {
  it(
    `delivers every record, repeats only what a kill left unacknowledged, and keeps the database intact (${WINDOW_RUNS} kills in the window)`,
    async () => {
      const rand = seededRandom(5);
      const schedule: KillMode[] = [];
      for (let i = 0; i < WINDOW_RUNS; i++) {
        schedule.push('window');
        if (i % 4 === 3) schedule.push(i % 8 === 3 ? 'after-answer' : 'random');
      }
      const created = new Set<string>();
      /** Batches a killed run had answered last: the only ones the outbox may not have marked. */
      const lastAnsweredOfKilled = new Set<number>();
      /** Batches the child was frozen on when it was killed: these must be delivered again. */
      const frozenBatches: number[] = [];

      for (let run = 0; run < schedule.length; run++) {
        const mode = schedule[run]!;
        const firstBatch = batches.length;
        const outcome =
          mode === 'window'
            ? await runDevice(run, 1 + Math.floor(rand() * 3), { onLine: /^answered / })
            : mode === 'after-answer'
              ? await runDevice(run, 0, { afterAnswer: 1 + Math.floor(rand() * 3) })
              : await runDevice(run, 0, { afterMs: Math.floor(rand() * 700) });
        const context = `run ${run} (${mode}): ${outcome.stderr}`;
        expect(outcome.signal, context).toBe('SIGKILL');
        // Every restart finds the database intact (a kill before the first line checks nothing).
        if (outcome.lines.length > 0) expect(outcome.lines[0], context).toBe('integrity ok');
        for (const line of outcome.lines) if (line.startsWith('created ')) created.add(line.slice('created '.length));
        const answeredHere = batches.length - firstBatch;
        if (answeredHere > 0) lastAnsweredOfKilled.add(batches.length - 1);
        if (mode === 'window') {
          const answered = outcome.lines.find((l) => l.startsWith('answered '));
          expect(answered, context).toBeDefined();
          // The frozen batch is the endpoint's last 2xx of this run.
          expect(answered!.slice('answered '.length), context).toBe(batches.at(-1)!.idempotencyKey);
          expect(batches.at(-1)!.run).toBe(run);
          frozenBatches.push(batches.length - 1);
        }
      }

      // A last, uninterrupted life uploads whatever is left.
      const drain = await runDevice(schedule.length, -1, {});
      expect(drain.code, drain.stderr).toBe(0);
      expect(drain.lines[0]).toBe('integrity ok');
      const drained = drain.lines.find((l) => l.startsWith('drained '));
      expect(JSON.parse(drained!.slice('drained '.length))).toEqual({ pending: 0, leadsUndelivered: 0 });

      // Nothing lost: every record the device acknowledged reached the endpoint, and the endpoint
      // holds exactly the outbox's records, all marked sent.
      expect(frozenBatches.length).toBe(WINDOW_RUNS);
      expect(created.size).toBeGreaterThan(WINDOW_RUNS);
      for (const key of created) expect(receipts.has(key), key).toBe(true);
      const db = new Database(path.join(profileDir, 'pitchcase.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db.prepare(`SELECT idempotency_key AS key, sent_at AS sentAt FROM outbox`).all() as {
          key: string;
          sentAt: string | null;
        }[];
        expect(rows.filter((r) => r.sentAt === null)).toEqual([]);
        expect(rows.map((r) => r.key).sort()).toEqual([...receipts.keys()].sort());
      } finally {
        db.close();
      }
      const kinds = new Set([...receipts.keys()].map((k) => k.split(':')[0]));
      expect([...kinds].sort()).toEqual(['event', 'lead', 'meeting']);
      // A connector receives one kind per batch.
      for (const b of batches) expect(new Set(b.records.map((k) => k.split(':')[0])).size).toBe(1);

      // The deduping endpoint: each key accepted once; every repeat it received follows a batch
      // that a killed run had answered last, and every frozen batch was sent again.
      let duplicates = 0;
      for (const [key, seen] of receipts) {
        duplicates += seen.length - 1;
        for (const earlier of seen.slice(0, -1))
          expect(lastAnsweredOfKilled.has(earlier), `${key} repeated after batch ${earlier}`).toBe(true);
      }
      // A receiver that deduplicates by the Idempotency-Key header alone stores each record once:
      // a batch, once sent, goes again with the same key and the same records until acknowledged.
      for (const [key, seen] of receipts) {
        const batchKeys = new Set(seen.map((index) => batches[index]!.idempotencyKey));
        expect(batchKeys.size, `${key} arrived under ${[...batchKeys].join(', ')}`).toBe(1);
        for (const index of seen)
          expect(batches[index]!.records, `${key} repeated in another set of records`).toEqual(
            batches[seen[0]!]!.records,
          );
      }
      let frozenRecords = 0;
      for (const index of frozenBatches) {
        for (const key of batches[index]!.records) {
          frozenRecords++;
          expect(receipts.get(key)!.at(-1)! > index, `${key} of frozen batch ${index} delivered again`).toBe(true);
        }
      }
      expect(duplicates).toBeGreaterThanOrEqual(frozenRecords);
      expect(frozenRecords).toBeGreaterThanOrEqual(WINDOW_RUNS);
    },
    120_000 + WINDOW_RUNS * 3_000,
  );
});
