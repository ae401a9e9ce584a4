import type { z } from 'zod';
import type { ReadDb, WriteDb } from './database.ts';

/**
 * Small typed values of the profile (channel, sync health, delivery, seen version, kiosk), one row of
 * the settings table each, stored as JSON. Every setting is declared once with `defineSetting`:
 * its key, the zod schema a stored value must pass and the default used when there is none. A
 * stored value that does not parse (written by hand, by a bug, or cut short) is reported and
 * replaced by the default: it is never trusted as the type it claims to be.
 */
export interface Setting<T> {
  key: string;
  schema: z.ZodType<T>;
  fallback: T;
}

/** Who hears about a stored value that was refused (the core's log). */
export interface SettingReport {
  warn(message: string, fields?: Record<string, unknown>): void;
}

const registry = new Map<string, Setting<unknown>>();

/** Declares a setting; a key declared twice is a programming error, caught at start-up. */
export function defineSetting<T>(key: string, schema: z.ZodType<T>, fallback: T): Setting<T> {
  if (registry.has(key)) throw new Error(`The setting ${key} is declared twice`);
  const setting: Setting<T> = { key, schema, fallback };
  registry.set(key, setting as Setting<unknown>);
  return setting;
}

/** Every declared setting, for tests and diagnostics. */
export function declaredSettings(): readonly Setting<unknown>[] {
  return [...registry.values()];
}

/** The stored value of a setting, checked by its schema; the default when absent or refused. */
export function getSetting<T>(db: ReadDb | WriteDb, setting: Setting<T>, report: SettingReport): T {
  const row = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(setting.key) as { value: string } | undefined;
  if (!row) return setting.fallback;
  let raw: unknown;
  try {
    raw = JSON.parse(row.value) as unknown;
  } catch {
    report.warn('a stored setting is not JSON: its default is used', { key: setting.key });
    return setting.fallback;
  }
  const parsed = setting.schema.safeParse(raw);
  if (!parsed.success) {
    // Only where the value is wrong, never the value itself: it may hold sealed secrets.
    report.warn('a stored setting does not have its expected shape: its default is used', {
      key: setting.key,
      problems: parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`),
    });
    return setting.fallback;
  }
  return parsed.data;
}

/** Stores a setting's value; it is checked first, so nothing unreadable is ever written. */
export function putSetting<T>(db: WriteDb, setting: Setting<T>, value: T): void {
  writeSetting(db, setting.key, setting.schema.parse(value));
}

/**
 * A stored row as plain JSON, unchecked and typed as unknown: only for code that must look at a
 * shape the declared setting refuses (sealing what an older version stored in clear). Absent or
 * not JSON reads as undefined.
 */
export function readStoredJson(db: ReadDb | WriteDb, key: string): unknown {
  const row = db.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
  if (!row) return undefined;
  try {
    return JSON.parse(row.value) as unknown;
  } catch {
    return undefined;
  }
}

function writeSetting(db: WriteDb, key: string, value: unknown): void {
  db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(key, JSON.stringify(value));
}

export function storageBytes(db: ReadDb | WriteDb): number {
  return (db.prepare(`SELECT coalesce(sum(size), 0) AS n FROM blobs`).get() as { n: number }).n;
}
