import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PitchcaseError } from '#shared/result';
import { titleSortKey } from '#shared/text';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations/index.ts';

/**
 * Write and read handles are different types (and, on disk, different connections), so a code
 * path that only needs to read cannot write by accident.
 */
export type WriteDb = Database.Database & { readonly __access: 'write' };
export type ReadDb = Pick<Database.Database, 'prepare' | 'pragma'> & { readonly __access: 'read' };

export interface Storage {
  write: WriteDb;
  read: ReadDb;
  schemaVersion: number;
  close(): void;
}

function applyPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // Tablets and kiosks lose power: a committed lead or release switch must survive it.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Applies every pending migration in ONE transaction, so a crash mid-way leaves the previous
 * schema intact. A database written by a newer Pitchcase is refused, never "upgraded" down.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.length;
  if (current > latest) {
    throw new PitchcaseError(
      'schema-too-new',
      `This profile was written by a newer version of Pitchcase (database schema ${current}; this version knows up to ${latest}). Update Pitchcase, or open another profile.`,
    );
  }
  if (current === latest) return current;
  db.transaction(() => {
    for (const migration of list.slice(current)) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  return latest;
}

/**
 * The database holds a profile's settings, sealed leads and meetings: owner-only on POSIX. The
 * file is created 0600 before SQLite opens it, and SQLite gives its -wal and -shm files the
 * database file's mode; an older profile's files are narrowed when it opens.
 */
export function restrictToOwner(file: string): void {
  if (process.platform === 'win32') return;
  closeSync(openSync(file, 'a', 0o600));
  for (const each of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(each).mode & 0o077) !== 0) chmodSync(each, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function openStorage(file: string): Storage {
  restrictToOwner(file);
  const write = new Database(file);
  try {
    applyPragmas(write);
    const schemaVersion = migrate(write);
    const read = new Database(file, { readonly: true, fileMustExist: true });
    read.pragma('busy_timeout = 5000');
    read.pragma('foreign_keys = ON');
    // Lists sorted A–Z read titles as people do; see titleSortKey. Keys are kept, because a
    // sort asks for every title of the list each time and titles rarely change.
    const sortKeys = new Map<string, string>();
    read.function('title_sort_key', { deterministic: true }, (title) => {
      const text = String(title);
      let key = sortKeys.get(text);
      if (key === undefined) {
        if (sortKeys.size >= 250_000) sortKeys.clear();
        key = titleSortKey(text);
        sortKeys.set(text, key);
      }
      return key;
    });
    return {
      write: write as WriteDb,
      read: read as unknown as ReadDb,
      schemaVersion,
      close() {
        read.close();
        try {
          write.pragma('optimize');
        } finally {
          write.close();
        }
      },
    };
  } catch (error) {
    write.close();
    throw error;
  }
}

export { LATEST_SCHEMA_VERSION };
