/**
 * The one app window and the lock-down every web contents and session gets (Electron security
 * checklist). Policy lives in decisions.ts; this file only connects Electron's hooks to it.
 */
import { BrowserWindow, Menu, shell, type Session, type WebContents } from 'electron';
import type { ProfileKind } from '#shared/library';
import { APP_ENTRY_URL, isAllowedNavigation, permissionDecision, windowOpenDecision } from './decisions.ts';

export interface MainWindowOptions {
  preloadPath: string;
  profileKind: ProfileKind;
  iconPath?: string;
}

const hardenedContents = new WeakSet<WebContents>();
const hardenedSessions = new WeakSet<Session>();

/**
 * No popups (share links go to the OS browser, except in kiosk), no navigation off the app, no
 * <webview>. Idempotent, so main.ts can also apply it to every web contents Electron creates.
 */
export function hardenWebContents(contents: WebContents, profileKind: ProfileKind): void {
  if (hardenedContents.has(contents)) return;
  hardenedContents.add(contents);

  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url, profileKind);
    if (decision.openExternally) void shell.openExternal(decision.openExternally);
    return { action: decision.action };
  });
  const guardNavigation = (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', guardNavigation);
  contents.on('will-redirect', guardNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Every permission request and check goes through permissionDecision (deny by default). */
export function hardenSession(target: Session): void {
  if (hardenedSessions.has(target)) return;
  hardenedSessions.add(target);
  target.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl || contents.getURL()));
  });
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin));
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const kiosk = options.profileKind === 'kiosk';
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
    webPreferences: {
      preload: options.preloadPath,
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
      devTools: !kiosk,
    },
  });

  hardenSession(window.webContents.session);
  hardenWebContents(window.webContents, options.profileKind);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
