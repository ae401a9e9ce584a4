import type { Log } from '#core/index';
import { exportProfileLeads } from '#core/kiosk/index';
import { safeStorageKeyProvider, type SafeStorageLike } from './keys.ts';

/**
 * `Pitchcase --export-leads FILE [--profile DIR]`: the kiosk's leads as CSV, without a window.
 * In the desktop app the lead key is sealed by the OS keystore, which opens it for the
 * logged-in user and no one else, so only the app itself (as that user) can read the leads;
 * `pitchcase leads export` runs this for such profiles. Nothing is created: a profile without a
 * key exports its (empty) header, a keystore that refuses the key fails with the reason.
 * Returns the process exit code; one line goes to `out` (stdout) or `err` (stderr).
 */
export function exportLeadsHeadless(
  options: { profileDir: string; out: string },
  deps: { safeStorage: SafeStorageLike; log: Log; say(line: string): void; complain(line: string): void },
): number {
  try {
    const keys = safeStorageKeyProvider(deps.safeStorage, options.profileDir, deps.log, { create: false });
    const { path, count } = exportProfileLeads({ profileDir: options.profileDir, out: options.out, keys });
    deps.say(`Wrote ${count} lead${count === 1 ? '' : 's'} to ${path}`);
    return 0;
  } catch (error) {
    deps.complain(`pitchcase: ${(error as Error).message}`);
    return 1;
  }
}
