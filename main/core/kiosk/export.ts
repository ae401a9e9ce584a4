import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PitchcaseError } from '#shared/result';
import { openStorage } from '../storage/database.ts';
import type { KeyProvider } from '../crypto/index.ts';
import { leadsCsv, openLeads } from './leads.ts';

/** The files that say how a profile's lead key is kept: in a file, or sealed by the OS keystore. */
export const LEAD_KEY_FILE = 'lead.key';
export const SEALED_LEAD_KEY_FILE = 'lead.key.sealed';

export type LeadKeyKind = 'file' | 'os-keystore' | 'none';

/** How this profile's leads are sealed (a profile that never captured a lead has no key). */
export function leadKeyKind(profileDir: string): LeadKeyKind {
  if (existsSync(path.join(profileDir, LEAD_KEY_FILE))) return 'file';
  if (existsSync(path.join(profileDir, SEALED_LEAD_KEY_FILE))) return 'os-keystore';
  return 'none';
}

/**
 * Every lead of a profile, opened with `keys`, written as CSV to `out` (mode 0600; written
 * beside it first and renamed, so a failure leaves no half file and no earlier file clobbered).
 * Used by `pitchcase leads export` (key file) and by the desktop app's headless
 * `--export-leads` (key sealed by the OS keystore). A profile without a key has no leads: the
 * CSV is the header alone, and no key is created.
 */
export function exportProfileLeads(options: { profileDir: string; out: string; keys: KeyProvider }): {
  path: string;
  count: number;
} {
  const dbFile = path.join(options.profileDir, 'pitchcase.db');
  if (!existsSync(dbFile)) throw new PitchcaseError('not-found', `${options.profileDir} holds no Pitchcase profile`);
  const out = path.resolve(options.out);
  const storage = openStorage(dbFile);
  let csv: string;
  let count: number;
  try {
    const hasKey = leadKeyKind(options.profileDir) !== 'none';
    const leads = hasKey ? openLeads({ db: storage.write, keys: options.keys }) : [];
    const stored = (storage.write.prepare(`SELECT count(*) AS n FROM leads`).get() as { n: number }).n;
    if (!hasKey && stored > 0)
      throw new PitchcaseError('storage', `${options.profileDir} has ${stored} leads but no key to open them`);
    csv = leadsCsv(leads);
    count = leads.length;
  } finally {
    storage.close();
  }
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, csv, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new PitchcaseError('storage', `Cannot write ${out}: ${(error as Error).message}`);
  }
  return { path: out, count };
}
