/**
 * Remembers the profile kind (standard or kiosk) in the profile folder, so a booth started once
 * with `--kiosk` comes back as a kiosk after a power cut or an OS update restart. The decision is
 * chooseProfileKind (decisions.ts); this file only reads and writes PROFILE_KIND_FILE.
 *
 * No `electron` import: it runs before Electron is ready.
 */
import type { Log } from '#core/index';
import type { ProfileKind } from '#shared/library';
import { readRememberedProfileKind as readInCore, rememberProfileKind as rememberInCore } from '#core/profile/index';
import { chooseProfileKind, type ProfileKindFlag } from './decisions.ts';

/** The core's reader: a refused file is logged and the standard profile applies. */
export function readRememberedProfileKind(profileDir: string, log: Log): ProfileKindFlag {
  return readInCore(profileDir, log);
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
