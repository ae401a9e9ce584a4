import type { ReadDb, WriteDb } from './database.ts';

/** Small typed values of the profile (channel, sync health, seen version), stored as JSON. */
export function readSetting<T>(db: ReadDb | WriteDb, key: string, fallback: T): T {
  const row = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
  if (!row) return fallback;
  try {
    return JSON.parse(row.value) as T;
  } catch {
    return fallback;
  }
}

export function writeSetting(db: WriteDb, key: string, value: unknown): void {
  db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, JSON.stringify(value));
}

export function storageBytes(db: ReadDb | WriteDb): number {
  return (db.prepare(`SELECT coalesce(sum(size), 0) AS n FROM blobs`).get() as { n: number }).n;
}
