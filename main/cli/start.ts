import { stopSignal } from './stop-signal.ts';
import { spawn } from 'node:child_process';
import open from 'open';
import { startHost } from '#host/server';
import { readRememberedProfileKind, rememberProfileKind, stderrLog } from '#core/index';
import type { ProfileKind } from '#shared/library';
import { assertBuilt, embeddedDemoRelease, rendererDir } from './paths.ts';

export interface StartOptions {
  profileDir: string;
  port: number;
  sitePort: number;
  json: boolean;
  open: boolean;
  /** Asked on the command line; null = the kind remembered in the profile. */
  kiosk: boolean | null;
  /** False: the first-run "Connect to your company" screen is marked as skipped (`--no-connect-prompt`). */
  connectPrompt?: boolean;
}

/** Like the desktop app: a flag wins and is remembered; without one, the remembered kind. */
function profileKindFor(options: StartOptions): ProfileKind {
  const remembered = readRememberedProfileKind(options.profileDir, stderrLog);
  if (options.kiosk === null) return remembered ?? 'standard';
  const kind: ProfileKind = options.kiosk ? 'kiosk' : 'standard';
  if (remembered !== kind) rememberProfileKind(options.profileDir, kind);
  return kind;
}

/** `pitchcase start`: the browser host on loopback, until Ctrl+C or SIGTERM. */
export async function runStart(options: StartOptions): Promise<void> {
  assertBuilt();
  const stopped = stopSignal();
  const host = await startHost({
    core: {
      profileDir: options.profileDir,
      profileKind: profileKindFor(options),
      embeddedRelease: embeddedDemoRelease(),
      log: stderrLog,
      backgroundSync: true,
    },
    rendererDir,
    port: options.port,
    sitePort: options.sitePort,
  });
  // IT's fleets without Studio (and the end-to-end tests of everything else) start past the prompt.
  if (options.connectPrompt === false) await host.core.api.skipFleetConnect({});
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ url: host.url, siteUrl: host.siteUrl, profileDir: options.profileDir })}\n`,
    );
  } else {
    process.stdout.write(`Pitchcase is running at ${host.url}  (profile: ${options.profileDir}; Ctrl+C to stop)\n`);
  }
  host.core.events.on('app.restartRequired', ({ reason }) => {
    process.stdout.write(`${reason}: stop and start \`pitchcase start\` again to apply it.\n`);
  });
  if (options.open && hasDesktop()) {
    await open(host.url).catch(() => process.stdout.write('Could not open a browser; open the address above.\n'));
  }
  await stopped;
  await host.close();
}

function hasDesktop(): boolean {
  if (process.platform === 'win32' || process.platform === 'darwin') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/**
 * `npm start`: the Electron app where its binary exists; otherwise one clear line and the
 * browser host, so a machine without the Electron binary (ours, CI) still runs the app.
 */
export async function runLaunch(argv: readonly string[], options: StartOptions): Promise<void> {
  const { electronBinaryPath } = await import('../electron/tools/electron-binary.ts');
  const binary = electronBinaryPath();
  if (binary) {
    const { repoRoot } = await import('./paths.ts');
    const child = spawn(binary, ['build/electron/main.cjs', ...argv], { cwd: repoRoot, stdio: 'inherit' });
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return;
  }
  process.stdout.write('Electron binary not installed on this machine: starting the browser host instead.\n');
  await runStart({ ...options, open: true });
}
