import { z } from 'zod';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { defineSetting, getSetting, putSetting, type SettingReport } from '../storage/settings.ts';

/** The release the rep last marked as seen: items changed after it carry the "new" badge. */
export type Seen = { channel: string; version: number } | null;

const seenSetting = defineSetting<Seen>(
  'library.seen',
  z.object({ channel: z.string().min(1), version: z.number().int().nonnegative() }).nullable(),
  null,
);

/** The seen baseline, or none when it was never set or the stored one is refused (no badge). */
export function readSeen(db: ReadDb | WriteDb, report: SettingReport): Seen {
  return getSetting(db, seenSetting, report);
}

export function writeSeen(db: WriteDb, seen: Seen): void {
  putSetting(db, seenSetting, seen);
}
