import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, SchemaTooNewError, sqliteHandleOf, sqliteStatement } from '#studio/database/connection';
import { migrations } from '#studio/database/migrations';
import { startCheckpoints, type CheckpointResult } from '#studio/database/checkpoints';
import { startStudio } from '#studio/index';
import { tempDir } from '../support/release.ts';

/** Studio's own database: migrations, durability settings, and a newer schema refused. */

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('Studio database', () => {
  it('migrates a new SQLite file with WAL, full sync and foreign keys, and reopens without migrating again', async () => {
    const data = tempDir('studio-db-');
    cleanups.push(data.cleanup);
    const first = await openDatabase({ dataDir: data.dir });
    expect(first.dialect).toBe('sqlite');
    await first.db.destroy();
    const raw = new Database(path.join(data.dir, 'studio.sqlite'));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const names = (raw.prepare('select name from studio_migration order by name').all() as { name: string }[]).map(
      (r) => r.name,
    );
    expect(names).toEqual(Object.keys(migrations).sort());
    expect(names.slice(0, 4)).toEqual(['001-people', '002-library', '003-upload-sessions', '004-collections']);
    raw.close();
    const again = await openDatabase({ dataDir: data.dir });
    await again.db.destroy();
  });

  it('refuses a database written by a newer Studio, and leaves it as it was', async () => {
    const data = tempDir('studio-db-');
    cleanups.push(data.cleanup);
    await (await openDatabase({ dataDir: data.dir })).db.destroy();
    const raw = new Database(path.join(data.dir, 'studio.sqlite'));
    raw
      .prepare('insert into studio_migration (name, timestamp) values (?, ?)')
      .run('999-future', new Date().toISOString());
    raw.close();
    await expect(openDatabase({ dataDir: data.dir })).rejects.toBeInstanceOf(SchemaTooNewError);
    const after = new Database(path.join(data.dir, 'studio.sqlite'));
    expect((after.prepare('select count(*) as n from studio_migration').get() as { n: number }).n).toBe(
      Object.keys(migrations).length + 1,
    );
    after.close();
  });

  it('links a provider identity to its account, and removing the account removes the link', async () => {
    const data = tempDir('studio-db-');
    cleanups.push(data.cleanup);
    const { db } = await openDatabase({ dataDir: data.dir });
    const at = new Date().toISOString();
    await db
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'ed@example.com',
        name: 'Ed',
        role: 'editor',
        password_hash: 'sso-only',
        created_at: at,
        disabled: 0,
      })
      .execute();
    await db
      .insertInto('sso_identities')
      .values({ issuer: 'https://idp', subject: 's1', user_id: 'u1', created_at: at })
      .execute();
    await expect(
      db
        .insertInto('sso_identities')
        .values({ issuer: 'https://idp', subject: 's1', user_id: 'u1', created_at: at })
        .execute(),
    ).rejects.toThrow();
    await db.deleteFrom('users').where('id', '=', 'u1').execute();
    expect(await db.selectFrom('sso_identities').selectAll().execute()).toEqual([]);
    await db.destroy();
  });
  it('keeps 64 MB of pages and checkpoints every 64 MB of log on SQLite', async () => {
    const data = tempDir('studio-db-');
    cleanups.push(data.cleanup);
    const { db } = await openDatabase({ dataDir: data.dir });
    const handle = sqliteHandleOf(db)!;
    expect(handle.pragma('synchronous', { simple: true })).toBe(2);
    expect(handle.pragma('cache_size', { simple: true })).toBe(-65536);
    expect(handle.pragma('wal_autocheckpoint', { simple: true })).toBe(16384);
    await db.destroy();
  });

  it('copies the write-ahead log into the database on a thread of its own, and hands it back when stopped', async () => {
    const data = tempDir('studio-db-');
    cleanups.push(data.cleanup);
    const { db } = await openDatabase({ dataDir: data.dir });
    const handle = sqliteHandleOf(db)!;
    // The timer's first copy that holds the rows written below (the migrations' log comes first).
    let copiedRows: (result: CheckpointResult) => void = () => {};
    const copied = new Promise<CheckpointResult>((resolve) => (copiedRows = resolve));
    const checkpoints = startCheckpoints(db, {
      everyMs: 10,
      copied: (result) => result.checkpointed > 900 && copiedRows(result),
    })!;
    await checkpoints.ready;
    // Studio's own commits copy the log only as a fallback, at four times the usual size.
    expect(handle.pragma('wal_autocheckpoint', { simple: true })).toBe(65536);
    const file = path.join(data.dir, 'studio.sqlite');
    const before = statSync(file).size;
    // About 4 MB written by Studio's connection: into the log, not the database file.
    const insert = handle.prepare(
      'INSERT INTO fleet_batches (device_id, idempotency_key, answer, received_at) VALUES (?, ?, ?, ?)',
    );
    handle.transaction(() => {
      for (let i = 0; i < 1000; i++) insert.run('dev_1', `k${i}`, 'x'.repeat(4000), '2026-11-02T10:00:00.000Z');
    })();
    expect((await copied).busy).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(before + 4_000_000);
    // Asked for, a checkpoint copies whatever is left; no reader holds any of it back.
    insert.run('dev_1', 'last', '{}', '2026-11-02T10:00:00.000Z');
    const asked = await checkpoints.now();
    expect(asked.busy).toBe(0);
    expect(asked.checkpointed).toBe(asked.log);
    await checkpoints.stop();
    expect(handle.pragma('wal_autocheckpoint', { simple: true })).toBe(16384);
    await expect(checkpoints.now()).rejects.toThrow('checkpoints stopped');
    // Nothing written was lost on the way.
    await db.destroy();
    const raw = new Database(file, { readonly: true });
    expect((raw.prepare('select count(*) as n from fleet_batches').get() as { n: number }).n).toBe(1001);
    raw.close();
  });

  it('a running Studio on SQLite checkpoints on that thread', async () => {
    const data = tempDir('studio-db-');
    cleanups.push(data.cleanup);
    const studio = await startStudio({ dataDir: data.dir, port: 0, config: { scryptCost: 2 ** 10 }, log: () => {} });
    const handle = sqliteHandleOf(studio.context.db)!;
    expect(handle.pragma('wal_autocheckpoint', { simple: true })).toBe(65536);
    await studio.close();
    expect(handle.open).toBe(false);
  });

  it('leaves a database in memory to checkpoint itself', async () => {
    const { db } = await openDatabase({ dataDir: '/nonexistent', url: ':memory:' });
    expect(startCheckpoints(db)).toBeNull();
    await db.destroy();
  });

  it('prepares a hot statement once, and never lets a read outside a transaction see one left open', async () => {
    const data = tempDir('studio-db-');
    cleanups.push(data.cleanup);
    const { db } = await openDatabase({ dataDir: data.dir });
    const text = 'SELECT answer FROM fleet_batches WHERE device_id = ? AND idempotency_key = ?';
    const select = sqliteStatement(db, text, { outside: true })!;
    expect(sqliteStatement(db, text)).toBe(select);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('fleet_batches')
        .values({ device_id: 'dev_1', idempotency_key: 'k', answer: '{}', received_at: '2026-11-02T10:00:00.000Z' })
        .execute();
      // Another request's read while this batch is not yet committed: it must wait, not see it.
      expect(sqliteStatement(db, text, { outside: true })).toBeUndefined();
      // The transaction's own statements still run.
      expect(sqliteStatement(db, text)!.get('dev_1', 'k')).toEqual({ answer: '{}' });
    });
    expect(select.get('dev_1', 'k')).toEqual({ answer: '{}' });
    await db.destroy();
  });
});
