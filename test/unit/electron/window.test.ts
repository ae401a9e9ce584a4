import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeKit, fireCancellable } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron);

const { createMainWindow, hardenWebContents } = await import('../../../main/electron/window.ts');
const electron = fakeKit.fakeElectron;

beforeEach(() => fakeKit.reset());

function openWindow(profileKind: 'standard' | 'kiosk' = 'standard') {
  createMainWindow({ preloadPath: '/app/build/electron/preload.cjs', profileKind });
  const window = fakeKit.windows.at(-1);
  if (!window) throw new Error('no window created');
  return window;
}

describe('createMainWindow', () => {
  it('creates the window with hardened webPreferences and the preload', () => {
    const window = openWindow();
    expect(window.options.webPreferences).toMatchObject({
      preload: '/app/build/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: true,
    });
  });

  it('loads the app from the custom protocol, never file://', () => {
    const window = openWindow();
    expect(window.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
  });

  it('shows the window only when it has painted', () => {
    const window = openWindow();
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it('denies every window.open; share links go to the OS browser', () => {
    const { webContents } = openWindow();
    const open = webContents.windowOpenHandler!;
    expect(open({ url: 'https://share.pitchcase.example/s/1' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://share.pitchcase.example/s/1');
    electron.shell.openExternal.mockClear();
    expect(open({ url: 'file:///C:/Windows/System32/cmd.exe' })).toEqual({ action: 'deny' });
    expect(open({ url: 'pitchcase://app/index.html' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('prevents navigation and redirects away from the app, allows in-app navigation', () => {
    const { webContents } = openWindow();
    expect(fireCancellable(webContents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fireCancellable(webContents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fireCancellable(webContents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(fireCancellable(webContents, 'will-navigate', 'pitchcase://app/index.html#/item/x')).toBe(false);
  });

  it('refuses to attach a <webview>', () => {
    const { webContents } = openWindow();
    expect(fireCancellable(webContents, 'will-attach-webview', 'pitchcase://app/')).toBe(true);
  });

  it('denies permission requests and checks', () => {
    const { webContents } = openWindow();
    const session = webContents.session;
    const granted: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'fullscreen', 'clipboard-read']) {
      (session.permissionRequestHandler as unknown as (...a: unknown[]) => void)(
        webContents,
        permission,
        (allowed: boolean) => granted.push(allowed),
        { requestingUrl: 'pitchcase://app/index.html' },
      );
      expect((session.permissionCheckHandler as unknown as (...a: unknown[]) => boolean)(webContents, permission, 'pitchcase://app')).toBe(false);
    }
    expect(granted).toEqual([false, false, false, false, false]);
  });

  it('keeps the desktop menu in the standard profile', () => {
    const window = openWindow('standard');
    expect(electron.Menu.setApplicationMenu).not.toHaveBeenCalled();
    expect(window.options).toMatchObject({ kiosk: false, fullscreen: false });
  });

  it('locks the kiosk profile down: no menu, kiosk + full screen, no devtools, no external links', () => {
    const window = openWindow('kiosk');
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(window.options.webPreferences).toMatchObject({ devTools: false, sandbox: true, contextIsolation: true });
    expect(window.webContents.windowOpenHandler!({ url: 'https://share.pitchcase.example/s/1' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('hardenWebContents', () => {
  it('is idempotent, so applying it from web-contents-created and the window does not double handlers', () => {
    const { webContents } = openWindow();
    hardenWebContents(webContents as never, 'standard');
    expect(webContents.listenerCount('will-navigate')).toBe(1);
    expect(webContents.setWindowOpenHandler).toHaveBeenCalledTimes(1);
  });
});
