/**
 * The one app window and the lock-down every web contents and session gets (Electron security
 * checklist, plus the kiosk profile). Policy lives in decisions.ts; this file only connects
 * Electron's hooks to it.
 *
 * What Electron does not let us hook, and how it is covered instead:
 * - `<input type="file">` opens the OS file chooser with no event to refuse it: the renderer has no
 *   file input, and the File System Access pickers need the 'fileSystem' permission, denied.
 * - `window.print()` has no event either: the main process never calls `webContents.print`, the
 *   app never calls print(), Ctrl+P is blocked, and microsites run in an iframe sandboxed without
 *   `allow-modals`, which is what print() needs.
 * - alert/confirm/prompt show native boxes: microsites cannot (same sandbox); the app does not.
 */
import {
  BrowserWindow,
  Menu,
  shell,
  type PermissionCheckHandlerHandlerDetails as PermissionCheckDetails,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import type { Log } from '#core/index';
import type { ProfileKind } from '#shared/library';
import { mediaPermissionDecision } from './media-permission.ts';
import {
  APP_ENTRY_URL,
  crashRecoveryDecision,
  externalLinkDecision,
  externalProtocolDecision,
  HANG_GRACE_MS,
  isAllowedFrameNavigation,
  isAllowedNavigation,
  permissionDecision,
  RECOVERY_WINDOW_MS,
  recoveryPageUrl,
  shouldBlockInput,
  WEBRTC_IP_HANDLING_POLICY,
  windowOpenDecision,
  type CrashReason,
  type NavigationOpener,
} from './decisions.ts';

export interface MainWindowOptions {
  preloadPath: string;
  profileKind: ProfileKind;
  iconPath?: string;
  /** app.isPackaged; defaults to true (the stricter policy). */
  packaged?: boolean;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** The route the first window opens on (an enrolment link the app was launched with); a reopened window starts at home. */
  initialHash?: string;
}

export interface HardenOptions {
  packaged?: boolean;
  platform?: NodeJS.Platform;
}

/** The parts of Electron's will-navigate details the decisions read. */
interface NavigationEvent {
  url: string;
  isMainFrame?: boolean;
  initiator?: { url: string; parent: unknown } | null;
  preventDefault(): void;
}

function openerOf(event: NavigationEvent): NavigationOpener {
  const initiator = event.initiator ?? null;
  return {
    isMainFrame: event.isMainFrame === true,
    initiatorUrl: initiator?.url ?? null,
    initiatorIsMainFrame: initiator !== null && initiator.parent === null,
  };
}

const hardenedContents = new WeakSet<WebContents>();
const hardenedSessions = new WeakSet<Session>();

/**
 * No popups, no WebRTC over UDP, no navigation off the app (a link the rep taps in the app's
 * own page goes to the OS browser, except in the kiosk), no
 * <webview>, blocked shortcuts, no Bluetooth device picker; in the kiosk also no devtools, no
 * context menu and no beforeunload veto. Idempotent, so main.ts can also apply it to every web
 * contents Electron creates.
 */
export function hardenWebContents(contents: WebContents, profileKind: ProfileKind, options: HardenOptions = {}): void {
  if (hardenedContents.has(contents)) return;
  hardenedContents.add(contents);
  const packaged = options.packaged ?? true;
  const platform = options.platform ?? process.platform;
  const kiosk = profileKind === 'kiosk';

  contents.setWindowOpenHandler(({ url }) => ({ action: windowOpenDecision(url, profileKind).action }));
  // WebRTC gets no UDP, so no STUN/TURN traffic leaves a microsite despite its connect-src.
  contents.setWebRTCIPHandlingPolicy(WEBRTC_IP_HANDLING_POLICY);
  const guardNavigation = (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', (event: NavigationEvent) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    // A link the rep tapped in the app's own page may go to the OS browser; nothing else.
    const external = externalLinkDecision(event.url, openerOf(event), profileKind);
    if (external) void shell.openExternal(external);
  });
  contents.on('will-redirect', guardNavigation);
  // will-navigate covers the top frame only; this covers the microsite's iframe too.
  contents.on('will-frame-navigate', (event: { url: string; isMainFrame: boolean; preventDefault(): void }) => {
    if (!isAllowedFrameNavigation(event.url, event.isMainFrame)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());

  contents.on('before-input-event', (event, input) => {
    if (shouldBlockInput(input, platform, profileKind, { packaged })) event.preventDefault();
  });
  // Without preventDefault Electron would pick the first device itself; '' cancels the request.
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });

  if (kiosk || packaged) {
    // devTools:false already makes openDevTools a no-op; this is the second lock.
    contents.on('devtools-opened', () => contents.closeDevTools());
  }
  if (kiosk) {
    // Electron builds no context menu by itself; the kiosk never builds one (a long press is
    // a context-menu event on a touch screen).
    contents.on('context-menu', (event) => event.preventDefault());
    // A page must not be able to veto a reload, a recovery or a reset with beforeunload.
    contents.on('will-prevent-unload', (event) => event.preventDefault());
  }
}

/** The rep's main windows: the only web contents mediaPermissionDecision may grant the microphone to. */
const rehearsalWindows = new WeakSet<WebContents>();

/**
 * Every permission request and check goes through permissionDecision (deny by default), except
 * a link to another program (externalProtocolDecision: the rep's mailto: in the app only); no
 * device is ever chosen or allowed; nothing is ever downloaded (content comes through the
 * channel, not the browser).
 */
export function hardenSession(target: Session, profileKind: ProfileKind): void {
  if (hardenedSessions.has(target)) return;
  hardenedSessions.add(target);
  target.setPermissionRequestHandler((contents, permission, callback, details) => {
    // A mailto: link the rep taps in the app; the frame that asks is known here.
    if (permission === 'openExternal') callback(externalProtocolDecision(details, profileKind));
    // The microphone: the rep's main window on the Rehearse screen only.
    else if (permission === 'media')
      callback(
        mediaPermissionDecision({
          permission,
          mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
          profileKind,
          window: rehearsalWindows.has(contents) ? 'main' : 'other',
          requestingUrl: details.requestingUrl,
          isMainFrame: details.isMainFrame,
          pageUrl: contents.getURL(),
        }),
      );
    else callback(permissionDecision(permission, details.requestingUrl || contents.getURL()));
  });
  // Electron may call a check without details: missing fields read as unknown, so refused.
  target.setPermissionCheckHandler(
    (contents, permission, requestingOrigin, details?: Partial<PermissionCheckDetails>) =>
      permission === 'media'
        ? contents !== null &&
          mediaPermissionDecision({
            permission,
            mediaTypes: [details?.mediaType],
            profileKind,
            window: rehearsalWindows.has(contents) ? 'main' : 'other',
            requestingUrl: requestingOrigin,
            isMainFrame: details?.isMainFrame,
            pageUrl: contents.getURL(),
          })
        : permissionDecision(permission, requestingOrigin),
  );
  target.setDevicePermissionHandler(() => false);
  target.on('will-download', (event) => event.preventDefault());
  target.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  target.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  target.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
}

/** The settings every window of the app gets (the main window and the audience window alike). */
export function appWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    devTools,
  };
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const kiosk = options.profileKind === 'kiosk';
  const packaged = options.packaged ?? true;
  // In the kiosk the menu is the easiest way out (and to devtools); the desktop app keeps it.
  if (kiosk) Menu.setApplicationMenu(null);

  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 600,
    show: false,
    backgroundColor: '#0f172a',
    title: 'Pitchcase',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: kiosk,
    // Devtools only in a development build of the desktop profile.
    webPreferences: appWebPreferences(options.preloadPath, !kiosk && !packaged),
  });

  hardenSession(window.webContents.session, options.profileKind);
  rehearsalWindows.add(window.webContents);
  hardenWebContents(window.webContents, options.profileKind, {
    packaged,
    ...(options.platform ? { platform: options.platform } : {}),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL + (options.initialHash ?? ''));
  return window;
}

export interface SupervisedWindow {
  /** The window showing now (recovery may have replaced the first one). */
  current(): BrowserWindow;
  /** Stops watching (timers included); the window itself stays. */
  dispose(): void;
}

export interface SupervisorDeps {
  log: Log;
  now?: () => number;
}

/**
 * Opens the main window and keeps it alive: a renderer that crashes, or hangs longer than
 * HANG_GRACE_MS, is restarted as crashRecoveryDecision says (reload at the app's entry, then a new
 * window, then a still page). In every profile: a blank or frozen window helps no one.
 */
export function openSupervisedWindow(options: MainWindowOptions, deps: SupervisorDeps): SupervisedWindow {
  const now = deps.now ?? Date.now;
  const recoveries: number[] = [];
  // Renderers we crashed ourselves to get out of a hang: their 'render-process-gone' is expected.
  const crashedOnPurpose = new WeakSet<WebContents>();
  let hangTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const clearHang = () => {
    if (hangTimer) clearTimeout(hangTimer);
    hangTimer = null;
  };
  const clearRetry = () => {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  };

  // Only the first window opens on the launch's route; one made again after a failure starts at home.
  const { initialHash: _launchRoute, ...reopened } = options;
  let opened = 0;
  const open = (): BrowserWindow => {
    const window = createMainWindow(opened++ === 0 ? options : reopened);
    watch(window);
    return window;
  };

  /** The new window first: destroying the only window would quit the app (window-all-closed). */
  const replace = () => {
    clearHang();
    const old = current;
    current = open();
    if (!old.isDestroyed()) old.destroy();
  };

  const recover = (window: BrowserWindow, reason: CrashReason) => {
    const time = now();
    const decision = crashRecoveryDecision(reason, recoveries, time);
    if (decision.action === 'ignore') return;
    deps.log.warn('the app window stopped working; recovering', { reason, action: decision.action });
    while (recoveries.length > 0 && time - recoveries[0]! >= RECOVERY_WINDOW_MS) recoveries.shift();
    recoveries.push(time);
    clearHang();
    switch (decision.action) {
      case 'reload':
        if (reason === 'unresponsive') {
          // Electron's way out of a hang: kill the renderer, then navigate in a fresh one.
          crashedOnPurpose.add(window.webContents);
          window.webContents.forcefullyCrashRenderer();
        }
        // The entry, not reload(): the route that crashed may crash again; in the kiosk it is also
        // a clean start for the next visitor.
        void window.loadURL(APP_ENTRY_URL);
        return;
      case 'recreate':
        replace();
        return;
      case 'give-up':
        deps.log.error('the app window keeps failing; showing a still page', {
          reason,
          retryAfterMs: decision.retryAfterMs,
        });
        if (reason === 'unresponsive') {
          crashedOnPurpose.add(window.webContents);
          window.webContents.forcefullyCrashRenderer();
        }
        void window.loadURL(recoveryPageUrl(options.profileKind));
        clearRetry();
        if (decision.retryAfterMs !== null) {
          retryTimer = setTimeout(() => {
            retryTimer = null;
            if (disposed) return;
            recoveries.length = 0;
            replace();
          }, decision.retryAfterMs);
          retryTimer.unref?.();
        }
        return;
    }
  };

  function watch(window: BrowserWindow): void {
    const isCurrent = () => !disposed && window === current && !window.isDestroyed();
    window.webContents.on('render-process-gone', (_event, details) => {
      if (crashedOnPurpose.has(window.webContents)) {
        crashedOnPurpose.delete(window.webContents);
        return;
      }
      if (isCurrent()) recover(window, details.reason);
    });
    window.on('unresponsive', () => {
      if (!isCurrent() || hangTimer) return;
      hangTimer = setTimeout(() => {
        hangTimer = null;
        if (isCurrent()) recover(window, 'unresponsive');
      }, HANG_GRACE_MS);
      hangTimer.unref?.();
    });
    window.on('responsive', () => {
      if (window === current) clearHang();
    });
    window.on('closed', () => {
      if (window !== current) return;
      clearHang();
      clearRetry();
    });
  }

  let current: BrowserWindow = open();
  return {
    current: () => current,
    dispose() {
      disposed = true;
      clearHang();
      clearRetry();
    },
  };
}
