import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, SchemaTooNewError } from '#studio/database/connection';
import { migrations } from '#studio/database/migrations';
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
});
