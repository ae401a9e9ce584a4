import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import {
  batchFileName,
  batchKey,
  createDelivery,
  enqueue,
  lastOutboxError,
  pendingOutboxCount,
  type OutboxRow,
} from '#core/outbox/index';
import { openStorage, type Storage } from '#core/storage/database';
import { tempDir } from '../support/release.ts';

/**
 * The folder destination: each batch one CSV file, in place whole or not at all, rows marked
 * sent only once it is; a batch sent again after a crash replaces its own file; a folder that is
 * not there keeps the rows waiting with a clear message until it is.
 */
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const quiet = { info() {}, warn() {}, error() {} };

function workspace(): { storage: Storage; dir: string } {
  const t = tempDir('pitchcase-outbox-folder-');
  const storage = openStorage(path.join(t.dir, 'pitchcase.db'));
  cleanups.push(
    () => t.cleanup(),
    () => storage.close(),
  );
  return { storage, dir: t.dir };
}

/** Every CSV file in the folder, parsed; temporary files are reported separately. */
function folderContents(dir: string): { files: Map<string, Record<string, string>[]>; temporary: string[] } {
  const names = readdirSync(dir);
  const files = new Map(
    names
      .filter((n) => n.endsWith('.csv'))
      .map((n) => [n, parse(readFileSync(path.join(dir, n), 'utf8'), { columns: true }) as Record<string, string>[]]),
  );
  return { files, temporary: names.filter((n) => n.endsWith('.tmp')) };
}

function enqueueEvents(storage: Storage, ids: string[], at: string): void {
  for (const id of ids)
    enqueue(storage.write, {
      kind: 'event',
      idempotencyKey: `event:${id}`,
      payload: {
        id,
        type: 'item.opened',
        at,
        itemId: 'aquacore-500-brochure',
        page: null,
        dwellMs: null,
        pitchId: null,
        meetingId: null,
        releaseVersion: 3,
      },
      createdAt: at,
    });
}

describe('folder delivery', () => {
  it('writes each batch as one CSV file named by kind, date and batch key, and leaves no temporary file', async () => {
    const { storage, dir } = workspace();
    const drop = path.join(dir, 'drop');
    mkdirSync(drop);
    enqueueEvents(storage, ['e-1', 'e-2', 'e-3'], '2026-11-23T09:00:00.000Z');
    enqueue(storage.write, {
      kind: 'meeting',
      idempotencyKey: 'meeting:m-1',
      payload: { meetingId: 'm-1', Subject: 'Meeting with Marston', ActivityDate: '2026-11-23', Status: 'Completed' },
      createdAt: '2026-11-23T10:00:00.000Z',
    });
    const delivery = createDelivery({
      db: storage.write,
      clock: { now: () => new Date('2026-11-23T12:00:00Z') },
      log: quiet,
      endpoints: () => ({ event: { type: 'folder', path: drop }, meeting: { type: 'folder', path: drop } }),
      batchSize: 2,
    });
    expect(await delivery.flush()).toMatchObject({ delivered: 4, failed: 0 });
    expect(pendingOutboxCount(storage.write)).toBe(0);
    const { files, temporary } = folderContents(drop);
    expect(temporary).toEqual([]);
    expect([...files.keys()].sort()).toEqual([
      expect.stringMatching(/^pitchcase-event-2026-11-23-[0-9a-f]{16}\.csv$/),
      expect.stringMatching(/^pitchcase-event-2026-11-23-[0-9a-f]{16}\.csv$/),
      expect.stringMatching(/^pitchcase-meeting-2026-11-23-[0-9a-f]{16}\.csv$/),
    ]);
    const firstBatch = [{ idempotencyKey: 'event:e-1' }, { idempotencyKey: 'event:e-2' }] as OutboxRow[];
    const firstFile = batchFileName('event', ['2026-11-23T09:00:00.000Z'], batchKey(firstBatch));
    expect(files.get(firstFile)!.map((r) => r['Pitchcase Id'])).toEqual(['event:e-1', 'event:e-2']);
    expect(files.get(firstFile)![0]).toMatchObject({
      Type: 'item.opened',
      Item: 'aquacore-500-brochure',
      'Release Version': '3',
    });
    const meetings = [...files].find(([name]) => name.startsWith('pitchcase-meeting-'))![1];
    expect(meetings).toEqual([
      expect.objectContaining({ Subject: 'Meeting with Marston', 'Pitchcase Id': 'meeting:m-1' }),
    ]);
  });

  it('after a crash between writing the file and marking the rows, sends the same batch again into the same file, never a record twice', async () => {
    const { storage, dir } = workspace();
    const drop = path.join(dir, 'drop');
    mkdirSync(drop);
    let now = Date.parse('2026-11-23T12:00:00Z');
    let crash = true;
    const delivery = createDelivery({
      db: storage.write,
      clock: { now: () => new Date(now) },
      log: quiet,
      endpoints: () => ({ event: { type: 'folder', path: drop } }),
      retryBaseMs: 1000,
      // Runs in the transaction that marks the rows sent: throwing rolls the marking back, as a
      // kill right after the rename would leave it.
      onSent: () => {
        if (crash) throw new Error('stopped before the rows were marked sent');
      },
    });
    enqueueEvents(storage, ['a-1', 'a-2', 'a-3'], '2026-11-23T09:00:00.000Z');
    expect(await delivery.flush()).toMatchObject({ delivered: 0, failed: 3 });
    expect(pendingOutboxCount(storage.write)).toBe(3);
    const [written] = [...folderContents(drop).files.keys()];
    const before = statSync(path.join(drop, written!)).ino;

    // Records arrive meanwhile: they are due at once, and would have joined a new, bigger batch.
    enqueueEvents(storage, ['b-1', 'b-2'], '2026-11-23T13:00:00.000Z');
    crash = false;
    now += 60 * 60_000;
    expect(await delivery.flush()).toMatchObject({ delivered: 5, failed: 0 });
    expect(pendingOutboxCount(storage.write)).toBe(0);

    const { files, temporary } = folderContents(drop);
    expect(temporary).toEqual([]);
    expect(files.size).toBe(2);
    // The first batch's file was written again (a new file renamed over it), with the same rows.
    expect(statSync(path.join(drop, written!)).ino).not.toBe(before);
    expect(files.get(written!)!.map((r) => r['Pitchcase Id'])).toEqual(['event:a-1', 'event:a-2', 'event:a-3']);
    const everyRecord = [...files.values()].flat().map((r) => r['Pitchcase Id']);
    expect(everyRecord.sort()).toEqual(['event:a-1', 'event:a-2', 'event:a-3', 'event:b-1', 'event:b-2']);
  });

  it('keeps the rows waiting with a clear message while the folder is missing, backs off, and delivers once it is there', async () => {
    const { storage, dir } = workspace();
    const drop = path.join(dir, 'OneDrive - Acme', 'Pitchcase');
    let now = Date.parse('2026-11-23T12:00:00Z');
    const delivery = createDelivery({
      db: storage.write,
      clock: { now: () => new Date(now) },
      log: quiet,
      endpoints: () => ({ event: { type: 'folder', path: drop } }),
      retryBaseMs: 1000,
    });
    enqueueEvents(storage, ['w-1'], '2026-11-23T11:00:00.000Z');
    const missing = `The folder ${drop} does not exist: create it, or connect the network share or let OneDrive/SharePoint sync it`;
    expect(await delivery.flush()).toEqual({ delivered: 0, failed: 1, lastError: missing });
    expect(lastOutboxError(storage.write)).toMatchObject({ kind: 'event', message: missing });
    const row = storage.write.prepare(`SELECT attempts, next_attempt_at, sent_at FROM outbox`).get() as {
      attempts: number;
      next_attempt_at: string;
      sent_at: string | null;
    };
    expect(row).toMatchObject({ attempts: 1, sent_at: null });
    expect(Date.parse(row.next_attempt_at) - now).toBe(1000);
    // Not due yet: nothing is tried.
    expect(await delivery.flush()).toMatchObject({ delivered: 0, failed: 0 });

    mkdirSync(drop, { recursive: true });
    now += 1000;
    expect(await delivery.flush()).toMatchObject({ delivered: 1, failed: 0 });
    expect(pendingOutboxCount(storage.write)).toBe(0);
    expect(lastOutboxError(storage.write)).toBeNull();
    const { files, temporary } = folderContents(drop);
    expect(temporary).toEqual([]);
    expect([...files.values()].flat().map((r) => r['Pitchcase Id'])).toEqual(['event:w-1']);
  });

  it('fails the batch and removes its temporary file when the file cannot take its name', async () => {
    const { storage, dir } = workspace();
    let now = Date.parse('2026-11-23T12:00:00Z');
    const delivery = createDelivery({
      db: storage.write,
      clock: { now: () => new Date(now) },
      log: quiet,
      endpoints: () => ({ event: { type: 'folder', path: dir } }),
      retryBaseMs: 1000,
    });
    enqueueEvents(storage, ['r-1'], '2026-11-23T11:00:00.000Z');
    // Something (a folder) already has the batch's name: the rename fails after the write.
    const name = batchFileName(
      'event',
      ['2026-11-23T11:00:00.000Z'],
      batchKey([{ idempotencyKey: 'event:r-1' }] as OutboxRow[]),
    );
    mkdirSync(path.join(dir, name, 'inside'), { recursive: true });
    const report = await delivery.flush();
    expect(report).toMatchObject({
      delivered: 0,
      failed: 1,
      lastError: expect.stringMatching(new RegExp(`folder ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
    });
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(pendingOutboxCount(storage.write)).toBe(1);

    rmSync(path.join(dir, name), { recursive: true });
    now += 1000;
    expect(await delivery.flush()).toMatchObject({ delivered: 1 });
    expect(statSync(path.join(dir, name)).isFile()).toBe(true);
  });
});

describe('folder destination through the API', () => {
  const cores: Core[] = [];
  afterEach(() => cores.splice(0).forEach((c) => c.close()));

  async function kioskCore(): Promise<{ core: Core; dir: string; drop: string }> {
    const t = tempDir('pitchcase-folder-core-');
    cleanups.push(() => t.cleanup());
    const core = await createCore({
      profileDir: path.join(t.dir, 'profile'),
      shell: 'browser',
      profileKind: 'kiosk',
      siteBaseUrl: 'http://127.0.0.1',
      delivery: { retryBaseMs: 1 },
    });
    cores.push(core);
    return { core, dir: path.join(t.dir, 'profile'), drop: path.join(t.dir, 'crm-drop') };
  }

  it('stores the folder without secrets, refuses a path that is not a full one, and tests it', async () => {
    const { core, drop } = await kioskCore();
    expect(
      await core.api
        .updateDeliverySettings({ event: { type: 'folder', path: 'crm-drop' } })
        .catch((e: Error) => e.message),
    ).toBe(
      'Activity: The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
    );
    expect(
      await core.handle('updateDeliverySettings', { event: { type: 'folder', path: '/mnt/a\u0000b' } }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/control character/) } });
    expect(
      await core.handle('updateDeliverySettings', { event: { type: 'folder', path: drop, extra: 1 } }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(
      await core.api.updateDeliverySettings({
        lead: { type: 'folder', path: ` ${drop} ` },
        event: { type: 'folder', path: drop },
      }),
    ).toEqual({
      lead: { type: 'folder', path: drop },
      meeting: null,
      event: { type: 'folder', path: drop },
    });

    expect(await core.api.testDeliveryConnection({ kind: 'lead' })).toEqual({
      ok: false,
      status: null,
      message: `The folder ${drop} does not exist: create it, or connect the network share or let OneDrive/SharePoint sync it`,
    });
    writeFileSync(drop, 'a file, not a folder');
    expect(await core.api.testDeliveryConnection({ kind: 'lead' })).toMatchObject({
      ok: false,
      message: `${drop} is not a folder`,
    });
    rmSync(drop);
    mkdirSync(drop);
    const ok = await core.api.testDeliveryConnection({ kind: 'event', endpoint: { type: 'folder', path: drop } });
    expect(ok).toEqual({
      ok: true,
      status: null,
      message: expect.stringMatching(
        new RegExp(
          `^Pitchcase can write to .*crm-drop \\(\\d+(\\.\\d)? [GM]B free\\): each batch becomes a CSV file there$`,
        ),
      ),
    });
    // The probe file is gone again.
    expect(readdirSync(drop)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)(
    'says when the folder does not take files (not as root, who may write anywhere)',
    async () => {
      const { core, drop } = await kioskCore();
      mkdirSync(drop);
      chmodSync(drop, 0o500);
      cleanups.push(() => chmodSync(drop, 0o700));
      expect(
        await core.api.testDeliveryConnection({ kind: 'event', endpoint: { type: 'folder', path: drop } }),
      ).toMatchObject({
        ok: false,
        message: `Pitchcase may not write to the folder ${drop} (permission denied)`,
      });
    },
  );

  it("puts a lead's opened fields in the CSV file only: the profile's bytes never hold them, and the lead counts as delivered", async () => {
    const { core, dir, drop } = await kioskCore();
    mkdirSync(drop);
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    const email = 'ana.lima@marston-brewery.example';
    await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Ana', lastName: 'Lima', email, company: '=HYPERLINK("http://evil.example")' },
      consent: { given: true, version },
    });
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 1, undelivered: 1 });

    await core.api.updateDeliverySettings({ lead: { type: 'folder', path: drop } });
    expect(await core.api.deliverNow({})).toMatchObject({ pending: 0, lastError: null });
    expect(await core.api.getLeadStats({})).toMatchObject({ total: 1, undelivered: 0 });

    const { files, temporary } = folderContents(drop);
    expect(temporary).toEqual([]);
    const [name, rows] = [...files][0]!;
    expect(name).toMatch(/^pitchcase-lead-\d{4}-\d{2}-\d{2}-[0-9a-f]{16}\.csv$/);
    expect(rows).toEqual([
      expect.objectContaining({
        'First Name': 'Ana',
        'Last Name': 'Lima',
        Email: email,
        Company: `'=HYPERLINK("http://evil.example")`,
        'Lead Source': 'Trade Show',
        'Consent Version': version,
      }),
    ]);

    for (const file of readdirSync(dir).filter((f) => f.startsWith('pitchcase.db'))) {
      const bytes = readFileSync(path.join(dir, file)).toString('latin1');
      expect(bytes.includes(email), file).toBe(false);
      expect(bytes.includes('marston-brewery'), file).toBe(false);
    }
  });
});
