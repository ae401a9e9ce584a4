/**
 * Remembers the profile kind (standard or kiosk) in the profile folder, so a booth started once
 * with `--kiosk` comes back as a kiosk after a power cut or an OS update restart. The decision is
 * chooseProfileKind (decisions.ts); this file only reads and writes PROFILE_KIND_FILE.
 *
 * No `electron` import: it runs before Electron is ready.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Log } from '#core/index';
import type { ProfileKind } from '#shared/library';
import { rememberProfileKind as rememberInCore } from '#core/profile/index';
import { chooseProfileKind, parseRememberedProfileKind, PROFILE_KIND_FILE, type ProfileKindFlag } from './decisions.ts';

export function readRememberedProfileKind(profileDir: string, log: Log): ProfileKindFlag {
  const file = path.join(profileDir, PROFILE_KIND_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('cannot read the remembered profile kind', { file, reason: String(error) });
    return null;
  }
  const kind = parseRememberedProfileKind(text);
  if (kind === null) log.warn('ignoring an unreadable profile kind file', { file });
  return kind;
}

/** Written to a temporary file and renamed over, so a power cut leaves the old or the new kind. */
export function rememberProfileKind(profileDir: string, kind: ProfileKind): void {
  rememberInCore(profileDir, kind);
}

/**
 * The kind this start runs as. A flag that cannot be remembered (read-only profile) still applies
 * to this run, with a warning.
 */
export function resolveProfileKind(profileDir: string, requested: ProfileKindFlag, log: Log): ProfileKind {
  const choice = chooseProfileKind(requested, readRememberedProfileKind(profileDir, log));
  if (choice.remember) {
    try {
      rememberProfileKind(profileDir, choice.remember);
    } catch (error) {
      log.warn('cannot remember the profile kind', { profileDir, kind: choice.remember, reason: String(error) });
    }
  }
  return choice.kind;
}
