import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HANG_GRACE_MS, RECOVERY_RETRY_MS, RECOVERY_WINDOW_MS } from '../../../main/electron/decisions.ts';
import { fakeKit, fireCancellable, fireEvent, type FakeBrowserWindow } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron);

const { createMainWindow, hardenWebContents, openSupervisedWindow } = await import('../../../main/electron/window.ts');
const electron = fakeKit.fakeElectron;

beforeEach(() => fakeKit.reset());

function openWindow(
  profileKind: 'standard' | 'kiosk' = 'standard',
  packaged = false,
  platform: NodeJS.Platform = 'win32',
) {
  createMainWindow({ preloadPath: '/app/build/electron/preload.cjs', profileKind, packaged, platform });
  const window = fakeKit.windows.at(-1);
  if (!window) throw new Error('no window created');
  return window;
}

describe('createMainWindow', () => {
  it('creates the window with hardened webPreferences and the preload', () => {
    const window = openWindow('standard', false);
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

  it('denies every window.open and hands nothing to the OS browser (a microsite middle-click asks the same way)', () => {
    const { webContents } = openWindow();
    const open = webContents.windowOpenHandler!;
    expect(open({ url: 'https://share.pitchcase.example/s/1' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///C:/Windows/System32/cmd.exe' })).toEqual({ action: 'deny' });
    expect(open({ url: 'pitchcase://app/index.html' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it("sends a link the rep taps in the app's own page to the OS browser, never one from a microsite", () => {
    const { webContents } = openWindow();
    const navigate = (url: string, initiator: { url: string; parent: unknown } | null) => {
      let prevented = false;
      webContents.emit('will-navigate', {
        url,
        isMainFrame: true,
        initiator,
        preventDefault: () => (prevented = true),
      });
      return prevented;
    };
    expect(navigate('https://evil.example/', { url: 'pitchcase-site://site/tour/index.html', parent: {} })).toBe(true);
    expect(navigate('https://evil.example/', null)).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(navigate('https://share.pitchcase.example/s/1', { url: 'pitchcase://app/index.html', parent: null })).toBe(
      true,
    );
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://share.pitchcase.example/s/1');
  });

  it('gives WebRTC no UDP path in every web contents, the microsite frames included', () => {
    const { webContents } = openWindow();
    expect(webContents.setWebRTCIPHandlingPolicy).toHaveBeenCalledWith('disable_non_proxied_udp');
    const kiosk = openWindow('kiosk');
    expect(kiosk.webContents.webRtcPolicy).toBe('disable_non_proxied_udp');
  });

  it('prevents navigation and redirects away from the app, allows in-app navigation', () => {
    const { webContents } = openWindow();
    expect(fireCancellable(webContents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fireCancellable(webContents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fireCancellable(webContents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(fireCancellable(webContents, 'will-navigate', 'pitchcase://app/index.html#/item/x')).toBe(false);
  });

  it('keeps the microsite frame on the microsite origin', () => {
    const { webContents } = openWindow();
    const frame = (url: string, isMainFrame: boolean) => {
      let prevented = false;
      webContents.emit('will-frame-navigate', { url, isMainFrame, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(frame('https://evil.example/', false)).toBe(true);
    expect(frame('pitchcase://app/index.html', false)).toBe(true);
    expect(frame('pitchcase-site://site/roi-calculator/about.html', false)).toBe(false);
    expect(frame('pitchcase-site://site/roi-calculator/../x', false)).toBe(true);
    expect(frame('https://evil.example/', true)).toBe(true);
    expect(frame('pitchcase://app/index.html#/item/x', true)).toBe(false);
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
      expect(
        (session.permissionCheckHandler as unknown as (...a: unknown[]) => boolean)(
          webContents,
          permission,
          'pitchcase://app',
        ),
      ).toBe(false);
    }
    expect(granted).toEqual([false, false, false, false, false]);
  });

  it("grants the microphone to the rep's main window on the Rehearse route only", () => {
    const request = (contents: { session: unknown }, details: Record<string, unknown>) =>
      new Promise<boolean>((resolve) =>
        (
          (contents.session as { permissionRequestHandler: unknown }).permissionRequestHandler as (
            ...a: unknown[]
          ) => void
        )(contents, 'media', resolve, details),
      );
    const asks = { requestingUrl: 'pitchcase://app/index.html', isMainFrame: true, mediaTypes: ['audio'] };
    const rep = openWindow().webContents;
    const check = (contents: typeof rep, mediaType: string) =>
      (rep.session.permissionCheckHandler as unknown as (...a: unknown[]) => boolean)(
        contents,
        'media',
        'pitchcase://app',
        { mediaType, isMainFrame: true },
      );
    rep.url = 'pitchcase://app/index.html#/';
    const onHome = request(rep, asks);
    rep.url = 'pitchcase://app/index.html#/rehearse/twin-train';
    const onRehearse = request(rep, asks);
    const fromMicrosite = request(rep, {
      ...asks,
      requestingUrl: 'pitchcase-site://site/tour/index.html',
      isMainFrame: false,
    });
    // Contents the app did not open as its main window (the audience window shares the session).
    const stranger = { ...rep, getURL: () => rep.url };
    const fromStranger = request(stranger, asks);
    expect(check(rep, 'audio')).toBe(true);
    expect(check(rep, 'unknown')).toBe(false);
    return Promise.all([onHome, onRehearse, fromMicrosite, fromStranger]).then((granted) =>
      expect(granted).toEqual([false, true, false, false]),
    );
  });

  it("lets the rep's mailto: tap in the app reach the mail program, and nothing from a microsite", () => {
    const { webContents } = openWindow();
    const request = (details: Record<string, unknown>) =>
      new Promise<boolean>((resolve) =>
        (webContents.session.permissionRequestHandler as unknown as (...a: unknown[]) => void)(
          webContents,
          'openExternal',
          resolve,
          details,
        ),
      );
    return Promise.all([
      request({
        requestingUrl: 'pitchcase://app/index.html',
        isMainFrame: true,
        externalURL: 'mailto:ana@example.com',
      }),
      request({
        requestingUrl: 'pitchcase-site://site/tour/index.html',
        isMainFrame: false,
        externalURL: 'mailto:ana@example.com',
      }),
      request({ requestingUrl: 'pitchcase://app/index.html', isMainFrame: true, externalURL: 'ms-settings:privacy' }),
    ]).then((answers) => expect(answers).toEqual([true, false, false]));
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
    expect(window.webContents.windowOpenHandler!({ url: 'https://share.pitchcase.example/s/1' })).toEqual({
      action: 'deny',
    });
    window.webContents.emit('will-navigate', {
      url: 'https://share.pitchcase.example/s/1',
      isMainFrame: true,
      initiator: { url: 'pitchcase://app/index.html', parent: null },
      preventDefault() {},
    });
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

const key = (
  k: string,
  code: string,
  mods: { control?: boolean; shift?: boolean; alt?: boolean; meta?: boolean } = {},
) => ({
  type: 'keyDown',
  key: k,
  code,
  control: false,
  shift: false,
  alt: false,
  meta: false,
  isAutoRepeat: false,
  isComposing: false,
  location: 0,
  modifiers: [],
  ...mods,
});

describe('kiosk lock-down wiring', () => {
  it('blocks the kiosk shortcuts before the page or a menu sees them, lets typing and Ctrl+F through', () => {
    const { webContents } = openWindow('kiosk', true);
    const blocked = (input: ReturnType<typeof key>) => fireEvent(webContents, 'before-input-event', input).prevented;
    expect(blocked(key('w', 'KeyW', { control: true }))).toBe(true);
    expect(blocked(key('F4', 'F4', { alt: true }))).toBe(true);
    expect(blocked(key('r', 'KeyR', { control: true }))).toBe(true);
    expect(blocked(key('p', 'KeyP', { control: true }))).toBe(true);
    expect(blocked(key('I', 'KeyI', { control: true, shift: true }))).toBe(true);
    expect(blocked(key('F11', 'F11'))).toBe(true);
    expect(blocked(key('f', 'KeyF', { control: true }))).toBe(false);
    expect(blocked(key('a', 'KeyA'))).toBe(false);
    expect(blocked(key('Escape', 'Escape'))).toBe(false);
    expect(webContents.listenerCount('before-input-event')).toBe(1);
  });

  it('judges shortcuts for the given platform (Cmd+Option+I on macOS)', () => {
    const { webContents } = openWindow('kiosk', true, 'darwin');
    expect(fireEvent(webContents, 'before-input-event', key('Dead', 'KeyI', { meta: true, alt: true })).prevented).toBe(
      true,
    );
    expect(fireEvent(webContents, 'before-input-event', key('f', 'KeyF', { meta: true })).prevented).toBe(false);
  });

  it('closes devtools if they ever open, shows no context menu, ignores a beforeunload veto', () => {
    const { webContents } = openWindow('kiosk');
    webContents.emit('devtools-opened');
    expect(webContents.closeDevTools).toHaveBeenCalled();
    expect(fireEvent(webContents, 'context-menu', { x: 1, y: 1 }).prevented).toBe(true);
    expect(fireEvent(webContents, 'will-prevent-unload').prevented).toBe(true);
  });

  it('standard profile: the page keeps its context menu and beforeunload; development keeps devtools and reload', () => {
    const { webContents } = openWindow('standard', false);
    expect(fireEvent(webContents, 'context-menu', {}).handled).toBe(false);
    expect(fireEvent(webContents, 'will-prevent-unload').handled).toBe(false);
    expect(webContents.listenerCount('devtools-opened')).toBe(0);
    expect(
      fireEvent(webContents, 'before-input-event', key('I', 'KeyI', { control: true, shift: true })).prevented,
    ).toBe(false);
    expect(fireEvent(webContents, 'before-input-event', key('r', 'KeyR', { control: true })).prevented).toBe(false);
  });

  it('standard profile, packaged: no devtools (preference and shortcut), no reload, the menu stays', () => {
    const window = openWindow('standard', true);
    expect(window.options.webPreferences).toMatchObject({ devTools: false });
    expect(electron.Menu.setApplicationMenu).not.toHaveBeenCalled();
    expect(fireEvent(window.webContents, 'before-input-event', key('F12', 'F12')).prevented).toBe(true);
    expect(fireEvent(window.webContents, 'before-input-event', key('F5', 'F5')).prevented).toBe(true);
    expect(fireEvent(window.webContents, 'before-input-event', key('w', 'KeyW', { control: true })).prevented).toBe(
      false,
    );
    window.webContents.emit('devtools-opened');
    expect(window.webContents.closeDevTools).toHaveBeenCalled();
  });

  it('kiosk: full screen, no menu bar to show', () => {
    const window = openWindow('kiosk');
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true });
  });

  it('defaults to the packaged policy when not told', () => {
    createMainWindow({ preloadPath: '/p.cjs', profileKind: 'standard' });
    expect(fakeKit.windows.at(-1)!.options.webPreferences).toMatchObject({ devTools: false });
  });
});

describe('session lock-down wiring (every profile)', () => {
  it('cancels every download', () => {
    const { webContents } = openWindow('standard');
    const item = { cancel: vi.fn() };
    expect(fireEvent(webContents.session, 'will-download', item, webContents).prevented).toBe(true);
  });

  it('never picks a HID, USB, serial or Bluetooth device, and allows none', () => {
    const { webContents } = openWindow('kiosk');
    const session = webContents.session;
    const hid = vi.fn();
    expect(
      fireEvent(session, 'select-hid-device', { deviceList: [{ deviceId: 'h1' }], frame: null }, hid).prevented,
    ).toBe(true);
    expect(hid).toHaveBeenCalledWith();
    const usb = vi.fn();
    expect(
      fireEvent(session, 'select-usb-device', { deviceList: [{ deviceId: 'u1' }], frame: null }, usb).prevented,
    ).toBe(true);
    expect(usb).toHaveBeenCalledWith();
    const serial = vi.fn();
    expect(fireEvent(session, 'select-serial-port', [{ portId: 's1' }], webContents, serial).prevented).toBe(true);
    expect(serial).toHaveBeenCalledWith('');
    const bluetooth = vi.fn();
    expect(
      fireEvent(webContents, 'select-bluetooth-device', [{ deviceId: 'b1', deviceName: 'pen' }], bluetooth).prevented,
    ).toBe(true);
    expect(bluetooth).toHaveBeenCalledWith('');
    expect(session.devicePermissionHandler).not.toBeNull();
    expect(
      (session.devicePermissionHandler as unknown as (d: unknown) => boolean)({
        deviceType: 'usb',
        origin: 'pitchcase://app',
      }),
    ).toBe(false);
  });
});

describe('openSupervisedWindow', () => {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  let clock = 0;
  const supervise = (profileKind: 'standard' | 'kiosk' = 'kiosk') =>
    openSupervisedWindow({ preloadPath: '/p.cjs', profileKind, packaged: true }, { log, now: () => clock });
  const crash = (window: FakeBrowserWindow, reason = 'crashed') =>
    window.webContents.emit('render-process-gone', {}, { reason, exitCode: 1 });

  beforeEach(() => {
    clock = 1_000_000;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('first crash: reloads the app entry in the same window', () => {
    const supervised = supervise();
    const first = supervised.current() as unknown as FakeBrowserWindow;
    first.loadURL.mockClear();
    crash(first);
    expect(first.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
    expect(fakeKit.windows).toHaveLength(1);
    expect(log.warn).toHaveBeenCalled();
  });

  it('a clean exit (closing, quitting) is left alone', () => {
    const supervised = supervise();
    const first = supervised.current() as unknown as FakeBrowserWindow;
    first.loadURL.mockClear();
    crash(first, 'clean-exit');
    expect(first.loadURL).not.toHaveBeenCalled();
    expect(fakeKit.windows).toHaveLength(1);
  });

  it('repeated crashes within a minute: a new window (opened before the old one goes), then a still page, then a retry', () => {
    const supervised = supervise();
    const first = supervised.current() as unknown as FakeBrowserWindow;
    let windowsWhenFirstClosed = 0;
    first.on('closed', () => (windowsWhenFirstClosed = fakeKit.windows.length));
    crash(first); // reload
    clock += 5_000;
    crash(first); // recreate
    expect(fakeKit.windows).toHaveLength(2);
    const second = supervised.current() as unknown as FakeBrowserWindow;
    expect(second).toBe(fakeKit.windows[1]);
    expect(first.destroy).toHaveBeenCalled();
    expect(windowsWhenFirstClosed).toBe(2); // never zero windows, or window-all-closed would quit
    expect(second.destroy).not.toHaveBeenCalled();
    expect(second.options).toMatchObject({ kiosk: true });
    expect(second.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
    // The old window's late events change nothing.
    crash(first);
    expect(fakeKit.windows).toHaveLength(2);

    clock += 5_000;
    crash(second); // recreate
    expect(fakeKit.windows).toHaveLength(3);
    const third = supervised.current() as unknown as FakeBrowserWindow;
    clock += 5_000;
    third.loadURL.mockClear();
    crash(third); // give up
    expect(fakeKit.windows).toHaveLength(3);
    expect(third.loadURL).toHaveBeenCalledWith(expect.stringMatching(/^data:text\/html/));
    expect(log.error).toHaveBeenCalled();

    clock += RECOVERY_RETRY_MS;
    vi.advanceTimersByTime(RECOVERY_RETRY_MS);
    expect(fakeKit.windows).toHaveLength(4);
    const fourth = supervised.current() as unknown as FakeBrowserWindow;
    expect(third.destroy).toHaveBeenCalled();
    // A fresh start: the next crash reloads again.
    fourth.loadURL.mockClear();
    crash(fourth);
    expect(fourth.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
    expect(fakeKit.windows).toHaveLength(4);
  });

  it('crashes more than a minute apart only ever reload', () => {
    const supervised = supervise();
    const first = supervised.current() as unknown as FakeBrowserWindow;
    for (let i = 0; i < 5; i++) {
      crash(first);
      clock += RECOVERY_WINDOW_MS;
    }
    expect(fakeKit.windows).toHaveLength(1);
  });

  it('a tampered app (integrity failure) gets the still page and no retry', () => {
    const supervised = supervise('standard');
    const first = supervised.current() as unknown as FakeBrowserWindow;
    crash(first, 'integrity-failure');
    expect(first.loadURL).toHaveBeenLastCalledWith(expect.stringMatching(/^data:text\/html/));
    vi.advanceTimersByTime(RECOVERY_RETRY_MS * 2);
    expect(fakeKit.windows).toHaveLength(1);
  });

  it('a hang past the grace period kills the renderer and reloads; its own crash event is not counted', () => {
    const supervised = supervise();
    const first = supervised.current() as unknown as FakeBrowserWindow;
    first.loadURL.mockClear();
    first.emit('unresponsive');
    vi.advanceTimersByTime(HANG_GRACE_MS - 1);
    expect(first.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(first.webContents.forcefullyCrashRenderer).toHaveBeenCalledTimes(1);
    expect(first.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
    crash(first, 'killed'); // the one we caused
    expect(fakeKit.windows).toHaveLength(1);
    expect(first.loadURL).toHaveBeenCalledTimes(1);
  });

  it('a page that becomes responsive again within the grace period is left alone', () => {
    const supervised = supervise();
    const first = supervised.current() as unknown as FakeBrowserWindow;
    first.emit('unresponsive');
    vi.advanceTimersByTime(HANG_GRACE_MS / 2);
    first.emit('responsive');
    vi.advanceTimersByTime(HANG_GRACE_MS * 2);
    expect(first.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();
  });

  it('dispose stops watching: no recovery after quit', () => {
    const supervised = supervise();
    const first = supervised.current() as unknown as FakeBrowserWindow;
    first.emit('unresponsive');
    supervised.dispose();
    vi.advanceTimersByTime(HANG_GRACE_MS * 2);
    first.loadURL.mockClear();
    crash(first);
    expect(first.webContents.forcefullyCrashRenderer).not.toHaveBeenCalled();
    expect(first.loadURL).not.toHaveBeenCalled();
  });
});
