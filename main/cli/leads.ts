import { spawn } from 'node:child_process';
import path from 'node:path';
import { exportProfileLeads, keyFileProvider, leadKeyKind } from '#core/kiosk/index';
import { PitchcaseError } from '#shared/result';

/** What runs the desktop app headless: the installed app, or Electron on this checkout's bundle. */
export interface AppCommand {
  command: string;
  args: string[];
  cwd?: string;
}

/**
 * The desktop app to ask, in order: PITCHCASE_APP (the installed Pitchcase executable, e.g.
 * "C:\\Program Files\\Pitchcase\\Pitchcase.exe"), then this checkout's Electron with its
 * bundle. Null when neither exists.
 */
export async function desktopAppCommand(env: NodeJS.ProcessEnv = process.env): Promise<AppCommand | null> {
  if (env.PITCHCASE_APP) return { command: env.PITCHCASE_APP, args: [] };
  const { electronBinaryPath } = await import('../electron/tools/electron-binary.ts');
  const binary = electronBinaryPath();
  if (!binary) return null;
  const { repoRoot } = await import('./paths.ts');
  return { command: binary, args: [path.join(repoRoot, 'build', 'electron', 'main.cjs')], cwd: repoRoot };
}

/**
 * `pitchcase leads export`: the kiosk's leads as CSV for Salesforce's or HubSpot's importer.
 * It opens the lead key the way the logged-in user's own app does: a key file in the profile
 * (browser host, or a machine without a keystore) directly; a key sealed by the OS keystore
 * (the desktop app) through the app itself, run headless as this user (`--export-leads`), since
 * only it may ask the keystore. Nothing is asked of the user that the keystore would not give.
 */
export async function runLeadsExport(
  options: { profileDir: string; out: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const out = path.resolve(options.out);
  if (leadKeyKind(options.profileDir) !== 'os-keystore') {
    const { count } = exportProfileLeads({
      profileDir: options.profileDir,
      out,
      keys: keyFileProvider(options.profileDir),
    });
    process.stdout.write(`Wrote ${count} lead${count === 1 ? '' : 's'} to ${out}\n`);
    return;
  }
  const app = await desktopAppCommand(env);
  if (!app) {
    throw new PitchcaseError(
      'refused',
      "This profile's leads are sealed by the desktop app's OS keystore and no desktop app was found here: set PITCHCASE_APP to the Pitchcase executable, or run `Pitchcase --export-leads FILE --profile DIR` as the kiosk's user",
    );
  }
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      app.command,
      [...app.args, '--profile', path.resolve(options.profileDir), '--export-leads', out],
      {
        cwd: app.cwd,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', (error) =>
      reject(new PitchcaseError('refused', `Cannot start ${app.command}: ${error.message}`)),
    );
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  if (code !== 0) throw new PitchcaseError('refused', `The desktop app could not export the leads (exit code ${code})`);
}
