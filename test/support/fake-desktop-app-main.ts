import { stderrLog } from '#core/index';
import { parseLaunchArgs } from '../../main/electron/decisions.ts';
import { exportLeadsHeadless } from '../../main/electron/export-leads.ts';
import { fakeKeystore } from './fake-keystore.ts';

/** What main.ts does with `--export-leads`, minus Electron; anything else is a usage error. */
export function runFakeDesktopApp(argv: readonly string[]): number {
  const launch = parseLaunchArgs(argv, process.env, '/nonexistent-default-profile');
  if (!launch.exportLeadsTo) {
    process.stderr.write(`fake desktop app: expected --export-leads, got ${argv.slice(2).join(' ')}\n`);
    return 64;
  }
  return exportLeadsHeadless(
    { profileDir: launch.profileDir, out: launch.exportLeadsTo },
    {
      safeStorage: fakeKeystore(process.env.FAKE_KEYSTORE_USER ?? 'rep'),
      log: stderrLog,
      say: (line) => process.stdout.write(`${line}\n`),
      complain: (line) => process.stderr.write(`${line}\n`),
    },
  );
}
