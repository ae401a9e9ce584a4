/**
 * Electron main process: the thin relay between Electron and the core. Order matters here:
 * the profile decides userData (and so the single-instance lock and Chromium's storage), and
 * custom schemes must be privileged before `ready`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, screen, session } from 'electron';
import { createCore, stderrLog, type Core, type EmbeddedRelease } from '#core/index';
import {
  connectRouteHash,
  ENROL_LINK_SCHEME,
  enrolLinkInArguments,
  readEnrolLink,
  type EnrolLink,
} from '#shared/enrol-link';
import { parseLaunchArgs, SITE_BASE_URL } from './decisions.ts';
import { registerIpc } from './ipc.ts';
import { openAudienceScreens } from './audience-window.ts';
import { exportLeadsHeadless } from './export-leads.ts';
import { safeStorageKeyProvider } from './keys.ts';
import { privilegedSchemes, registerProtocols } from './protocol.ts';
import { loadAppUpdater } from './updater.ts';
import { resolveProfileKind } from './profile-kind.ts';
import { hardenSession, hardenWebContents, openSupervisedWindow, type SupervisedWindow } from './window.ts';

/** How long a quit waits for the last sync's files to reach the disk (see will-quit below). */
const QUIT_SETTLE_WAIT_MS = 3000;

export interface AppLocations {
  rendererDir: string;
  preloadPath: string;
  iconPath: string;
  embeddedReleaseDir: string;
}

/**
 * Where the built pieces are. The bundle lives in `<root>/build/electron/main.cjs`, both in a
 * checkout and inside app.asar; only the demo release moves, to resources/ (extraResources),
 * so core can read it as plain files.
 */
export function appLocations(bundleDir: string, packaged: boolean, resourcesPath: string): AppLocations {
  const root = path.resolve(bundleDir, '..', '..');
  return {
    rendererDir: path.join(root, 'build', 'renderer'),
    preloadPath: path.join(bundleDir, 'preload.cjs'),
    iconPath: path.join(root, 'resources', 'icons', 'icon.png'),
    embeddedReleaseDir: packaged ? path.join(resourcesPath, 'demo-release') : path.join(root, 'build', 'demo-release'),
  };
}

function readEmbeddedRelease(dir: string): EmbeddedRelease | null {
  const keyPath = path.join(dir, 'public.pem');
  if (!existsSync(keyPath)) {
    stderrLog.warn('no embedded demo release', { dir });
    return null;
  }
  return { dir, publicKeyPem: readFileSync(keyPath, 'utf8') };
}

export async function boot(
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const launch = parseLaunchArgs(argv, env);
  if (launch.exportLeadsTo) {
    // Headless: no window, no single-instance lock (a kiosk may be running on this profile;
    // SQLite's WAL lets both read), nothing but the keystore and the database.
    const out = launch.exportLeadsTo;
    await app.whenReady();
    const code = exportLeadsHeadless(
      { profileDir: launch.profileDir, out },
      {
        safeStorage,
        log: stderrLog,
        say: (line) => process.stdout.write(`${line}\n`),
        complain: (line) => process.stderr.write(`${line}\n`),
      },
    );
    app.exit(code);
    return;
  }
  // Before anything touches the disk: Electron keys the single-instance lock on userData, so
  // two profiles run side by side while a second launch of the same profile focuses the first.
  app.setPath('userData', launch.profileDir);
  app.setPath('sessionData', path.join(launch.profileDir, 'chromium'));
  protocol.registerSchemesAsPrivileged(privilegedSchemes);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // `--kiosk` / `--standard` are remembered in the profile; without a flag the remembered kind
  // applies. After the lock: a second launch that only focuses the first must not change it.
  const profileKind = resolveProfileKind(launch.profileDir, launch.requestedProfileKind, stderrLog);
  if (process.platform === 'win32') app.setAppUserModelId('com.pitchcase.app');

  // Enrolment links (`pitchcase-enrol://connect?…`, offered by Studio's enrolment page) open the
  // rep's connect screen filled in; nothing connects until the rep taps Connect. A kiosk takes
  // none: its staff connect it behind the PIN. The installer registers the scheme with Windows
  // (electron-builder.yml); a portable copy registers it when it runs.
  const takesEnrolLinks = profileKind === 'standard';
  if (takesEnrolLinks && app.isPackaged) app.setAsDefaultProtocolClient(ENROL_LINK_SCHEME);
  const launchLink = takesEnrolLinks ? enrolLinkInArguments(argv) : null;
  let offerEnrolLink: ((link: EnrolLink) => void) | null = null;

  let supervised: SupervisedWindow | null = null;
  app.on('second-instance', (_event, secondArgv: string[] = []) => {
    const window = supervised?.current();
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
    const link = takesEnrolLinks ? enrolLinkInArguments(secondArgv) : null;
    if (link) offerEnrolLink?.(link);
  });
  // macOS hands links to the running app instead of launching a second one.
  app.on('open-url', (event, url: string) => {
    event.preventDefault();
    const link = takesEnrolLinks ? readEnrolLink(url) : null;
    if (link) offerEnrolLink?.(link);
  });
  // Any web contents Electron creates (not only ours) gets the same lock-down.
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, profileKind, { packaged: app.isPackaged }),
  );
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  hardenSession(session.defaultSession, profileKind);

  const bundleDir = typeof __dirname === 'string' ? __dirname : path.resolve('build', 'electron');
  const locations = appLocations(bundleDir, app.isPackaged, process.resourcesPath);

  // Only a packaged app has app-update.yml; in development there is nothing to update.
  const updater = app.isPackaged ? loadAppUpdater(stderrLog) : null;

  let core: Core;
  try {
    core = await createCore({
      profileDir: launch.profileDir,
      shell: 'electron',
      profileKind,
      siteBaseUrl: SITE_BASE_URL,
      embeddedRelease: readEmbeddedRelease(locations.embeddedReleaseDir),
      appVersion: app.getVersion(),
      updater,
      keys: safeStorageKeyProvider(safeStorage, launch.profileDir, stderrLog),
      exportDir: app.getPath('documents'),
      log: stderrLog,
      backgroundSync: true,
    });
  } catch (error) {
    updater?.dispose();
    dialog.showErrorBox('Pitchcase cannot open its library', (error as Error).message);
    app.exit(1);
    return;
  }

  registerProtocols(protocol, core, locations.rendererDir);
  // Presenting with a second display: the audience window there, the presenter view for the rep.
  // Not in a kiosk: one screen, no presenting.
  const audienceScreens =
    profileKind === 'standard'
      ? openAudienceScreens({
          screen,
          events: core.events,
          repWindow: () => supervised?.current() ?? null,
          preloadPath: locations.preloadPath,
          profileKind,
          packaged: app.isPackaged,
          log: stderrLog,
        })
      : null;
  offerEnrolLink = (link) => core.events.announce('fleet.enrolLink', link);
  const stopIpc = registerIpc(ipcMain, core, () => BrowserWindow.getAllWindows(), {
    originOf: (sender) => ({ audience: audienceScreens?.isAudience(sender) ?? false }),
  });
  // Entering or leaving kiosk mode takes effect on the next start: start again right away.
  core.events.on('app.restartRequired', () => {
    app.relaunch();
    app.quit();
  });
  // A downloaded update installs on quit by itself (autoInstallOnAppQuit in the updater).
  // The first quit waits (a few seconds at most) for the files of a sync that has just switched
  // to reach the disk, so the next start need not verify them again; then quits for real.
  let settledBeforeQuit = false;
  app.on('will-quit', (event) => {
    if (!settledBeforeQuit) {
      settledBeforeQuit = true;
      event.preventDefault();
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise((resolve) => (timer = setTimeout(resolve, QUIT_SETTLE_WAIT_MS)));
      void Promise.race([core.settled(), giveUp]).finally(() => {
        clearTimeout(timer);
        app.quit();
      });
      return;
    }
    supervised?.dispose();
    audienceScreens?.dispose();
    updater?.dispose();
    stopIpc();
    core.close();
  });

  // Restarted if its renderer crashes or hangs (window.ts).
  supervised = openSupervisedWindow(
    {
      preloadPath: locations.preloadPath,
      profileKind,
      packaged: app.isPackaged,
      ...(existsSync(locations.iconPath) ? { iconPath: locations.iconPath } : {}),
      ...(launchLink ? { initialHash: connectRouteHash(launchLink) } : {}),
    },
    { log: stderrLog },
  );
}

boot().catch((error: unknown) => {
  stderrLog.error('Pitchcase failed to start', { reason: error instanceof Error ? error.stack : String(error) });
  app.exit(1);
});
