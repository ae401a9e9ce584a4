import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { importIntoProfile, parseCrmFile } from '#core/crm/index';
import { silentLog, systemClock } from '#core/index';
import { PitchcaseError } from '#shared/result';

/** A CRM export larger than this is not a cache for one rep's device. */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/**
 * `pitchcase crm import`: accounts, contacts and opportunities from another CRM's export (CSV or
 * JSON) into a profile's CRM cache, for the wrap-up's picker. A bad file changes nothing.
 */
export function runCrmImport(options: { profileDir: string; file: string; replace: boolean; json: boolean }): void {
  const db = path.join(options.profileDir, 'pitchcase.db');
  if (!existsSync(db)) throw new PitchcaseError('not-found', `${options.profileDir} holds no Pitchcase profile`);
  if (!existsSync(options.file)) throw new PitchcaseError('not-found', `No file ${options.file}`);
  if (statSync(options.file).size > MAX_IMPORT_BYTES)
    throw new PitchcaseError('refused', `${options.file} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
  const records = parseCrmFile(options.file, readFileSync(options.file, 'utf8'));
  const status = importIntoProfile(db, records, options.replace, systemClock, silentLog);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ imported: records.length, ...status })}\n`);
    return;
  }
  const words = {
    account: ['account', 'accounts'],
    contact: ['contact', 'contacts'],
    opportunity: ['opportunity', 'opportunities'],
  } as const;
  const say = (kind: keyof typeof words, n: number) => `${n} ${words[kind][n === 1 ? 0 : 1]}`;
  const imported = (kind: keyof typeof words) => say(kind, records.filter((r) => r.kind === kind).length);
  process.stdout.write(
    `Imported ${imported('account')}, ${imported('contact')} and ${imported('opportunity')} into the CRM cache ` +
      `(now ${say('account', status.counts.account)}, ${say('contact', status.counts.contact)}, ${say('opportunity', status.counts.opportunity)})\n`,
  );
}
