import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keyFileProvider, leadsCsv, openLeads } from '#core/kiosk/index';
import { openStorage } from '#core/storage/database';
import { PitchcaseError } from '#shared/result';

/**
 * `pitchcase leads export`: the kiosk's leads as CSV for Salesforce's or HubSpot's importer.
 * It reads the key the way the logged-in user's own app would: a key file in the profile. A
 * profile whose key is sealed by Electron's OS keystore is exported by the desktop app itself.
 */
export function runLeadsExport(options: { profileDir: string; out: string }): void {
  const db = path.join(options.profileDir, 'pitchcase.db');
  if (!existsSync(db)) throw new PitchcaseError('not-found', `${options.profileDir} holds no Pitchcase profile`);
  if (!existsSync(path.join(options.profileDir, 'lead.key')) && existsSync(path.join(options.profileDir, 'lead.key.sealed'))) {
    throw new PitchcaseError('refused', 'This profile\'s leads are sealed by the desktop app\'s OS keystore: export them from the staff screen of Pitchcase on that machine');
  }
  const storage = openStorage(db);
  try {
    const leads = openLeads({ db: storage.write, keys: keyFileProvider(options.profileDir) });
    writeFileSync(options.out, leadsCsv(leads), { mode: 0o600 });
    process.stdout.write(`Wrote ${leads.length} lead${leads.length === 1 ? '' : 's'} to ${options.out}\n`);
  } finally {
    storage.close();
  }
}
