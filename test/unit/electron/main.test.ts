import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectRouteHash, enrolLinkFor } from '#shared/enrol-link';
import { fakeKit } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron);

const fakeCore = {
  api: {},
  events: { on: vi.fn(), onAny: vi.fn(() => () => {}), announce: vi.fn() },
  content: { blob: vi.fn(), site: vi.fn() },
  handle: vi.fn(),
  settled: vi.fn(async () => {}),
  close: vi.fn(),
};

/** Quits as Electron does: will-quit, which main.ts may put off once (preventDefault) and quit again. */
async function quit() {
  const event = { preventDefault: vi.fn() };
  app.emit('will-quit', event);
  if (event.preventDefault.mock.calls.length > 0) {
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    app.emit('will-quit', { preventDefault: vi.fn() });
  }
}
const createCore = vi.fn(async (_options: unknown) => fakeCore);
vi.mock('#core/index', () => ({
  createCore: (options: unknown) => createCore(options),
  stderrLog: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
}));

const { app, protocol, ipcMain } = fakeKit.fakeElectron;
const profileDir = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-main-'));
afterAll(() => rmSync(profileDir, { recursive: true, force: true }));

/** main.ts boots on import, as Electron runs it; each test gets a fresh copy. */
async function importMain() {
  vi.resetModules();
  await import('../../../main/electron/main.ts');
  await new Promise((resolve) => setImmediate(resolve));
}

const kindFile = path.join(profileDir, 'profile-kind.json');
const argvBefore = [...process.argv];

beforeEach(() => {
  fakeKit.reset();
  createCore.mockClear();
  vi.stubEnv('PITCHCASE_PROFILE', profileDir);
  rmSync(kindFile, { force: true });
  process.argv.splice(0, process.argv.length, ...argvBefore);
});
afterAll(() => process.argv.splice(0, process.argv.length, ...argvBefore));

describe('main process boot', () => {
  it('before ready: profile as userData, privileged schemes, single-instance lock, nothing served yet', async () => {
    await importMain();
    expect(app.setPath).toHaveBeenCalledWith('userData', profileDir);
    expect(app.setPath).toHaveBeenCalledWith('sessionData', path.join(profileDir, 'chromium'));
    const schemes = protocol.registerSchemesAsPrivileged.mock.calls[0]?.[0] as { scheme: string }[];
    expect(schemes.map((s) => s.scheme)).toEqual(['pitchcase', 'pitchcase-site']);
    // The lock is keyed on userData, so it must be taken after the profile is chosen.
    const setPathOrder = app.setPath.mock.invocationCallOrder[0]!;
    expect(app.requestSingleInstanceLock.mock.invocationCallOrder[0]).toBeGreaterThan(setPathOrder);
    expect(protocol.handle).not.toHaveBeenCalled();
    expect(createCore).not.toHaveBeenCalled();
    expect(fakeKit.windows).toHaveLength(0);
  });

  it('starts again when the core says the profile kind changed (entering or leaving kiosk mode)', async () => {
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    const on = fakeCore.events.on as unknown as { mock: { calls: [string, () => void][] } };
    const restart = on.mock.calls.find(([event]) => event === 'app.restartRequired');
    expect(restart).toBeDefined();
    restart![1]();
    expect(fakeKit.fakeElectron.app.relaunch).toHaveBeenCalledTimes(1);
    expect(fakeKit.fakeElectron.app.quit).toHaveBeenCalled();
  });

  it('after ready: creates the core for the profile, serves both schemes, registers IPC, opens the window', async () => {
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    expect(createCore).toHaveBeenCalledWith(
      expect.objectContaining({
        profileDir,
        shell: 'electron',
        profileKind: 'standard',
        siteBaseUrl: 'pitchcase-site://site',
        appVersion: '0.1.0-test',
      }),
    );
    const options = createCore.mock.calls[0]![0] as { embeddedRelease: { dir: string } | null };
    if (options.embeddedRelease) expect(options.embeddedRelease.dir).toMatch(/build[\\/]demo-release$/);
    expect(protocol.handle.mock.calls.map(([scheme]) => scheme)).toEqual(['pitchcase', 'pitchcase-site']);
    expect(ipcMain.handle).toHaveBeenCalledWith('pitchcase:invoke', expect.any(Function));
    const window = fakeKit.windows[0]!;
    expect(window.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(fakeKit.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
  });

  it('closes the core when the app quits', async () => {
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    await quit();
    expect(fakeCore.close).toHaveBeenCalled();
  });

  it('a quit right after a sync waits for its files to reach the disk before closing the core', async () => {
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    let settle: () => void = () => {};
    fakeCore.settled.mockImplementationOnce(() => new Promise<void>((resolve) => (settle = resolve)));
    fakeCore.close.mockClear();
    const first = { preventDefault: vi.fn() };
    app.emit('will-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.quit).not.toHaveBeenCalled();
    expect(fakeCore.close).not.toHaveBeenCalled();
    settle();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    const second = { preventDefault: vi.fn() };
    app.emit('will-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
    expect(fakeCore.close).toHaveBeenCalled();
  });

  it('a second launch of the same profile quits at once, and its --kiosk changes nothing', async () => {
    app.requestSingleInstanceLock.mockReturnValueOnce(false);
    process.argv.push('--kiosk');
    await importMain();
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(existsSync(kindFile)).toBe(false);
  });

  it('--export-leads: after ready, writes the CSV and exits with its code; no lock, no core, no window', async () => {
    // A profile with a database and no leads yet: the header alone, exit 0.
    const { openStorage } = await import('#core/storage/database');
    openStorage(path.join(profileDir, 'pitchcase.db')).close();
    const out = path.join(profileDir, 'exported.csv');
    rmSync(out, { force: true });
    process.argv.push('--export-leads', out);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await importMain();
      expect(app.exit).not.toHaveBeenCalled();
      fakeKit.becomeReady();
      await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
      expect(stdout).toHaveBeenCalledWith(`Wrote 0 leads to ${out}\n`);
    } finally {
      stdout.mockRestore();
    }
    expect(readFileSync(out, 'utf8')).toMatch(/^First Name,/);
    expect(app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(createCore).not.toHaveBeenCalled();
    expect(fakeKit.windows).toHaveLength(0);
  });

  it('--export-leads of a folder that is no profile exits 1 with the reason on stderr', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-noprofile-'));
    process.argv.push('--profile', empty, '--export-leads', path.join(empty, 'x.csv'));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await importMain();
      fakeKit.becomeReady();
      await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/holds no Pitchcase profile/));
    } finally {
      stderr.mockRestore();
      rmSync(empty, { recursive: true, force: true });
    }
    expect(existsSync(path.join(empty, 'x.csv'))).toBe(false);
  });

  it('the first instance focuses its window on second-instance', async () => {
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    app.emit('second-instance');
    expect(fakeKit.windows[0]!.focus).toHaveBeenCalled();
  });

  describe('enrolment links (pitchcase-enrol://connect?…)', () => {
    const link = { studioUrl: 'https://studio.acme.example', code: 'ABCDE-FGHJK' };

    it('a launch with a link opens the connect screen filled in; a reopened window starts at home', async () => {
      process.argv.push(enrolLinkFor(link));
      await importMain();
      fakeKit.becomeReady();
      await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
      expect(fakeKit.windows[0]!.loadURL).toHaveBeenCalledWith(`pitchcase://app/index.html${connectRouteHash(link)}`);
      const first = fakeKit.windows[0]!;
      first.loadURL.mockClear();
      first.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 }); // reload
      expect(first.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
      first.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 }); // new window
      expect(fakeKit.windows).toHaveLength(2);
      expect(fakeKit.windows[1]!.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
    });

    it('a link handed to the running app is announced to its windows; anything else is not', async () => {
      await importMain();
      fakeKit.becomeReady();
      await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
      app.emit('second-instance', {}, ['Pitchcase.exe', enrolLinkFor(link)]);
      expect(fakeKit.windows[0]!.focus).toHaveBeenCalled();
      expect(fakeCore.events.announce).toHaveBeenCalledWith('fleet.enrolLink', link);
      fakeCore.events.announce.mockClear();
      app.emit('second-instance', {}, [
        'Pitchcase.exe',
        'pitchcase-enrol://connect?studio=http%3A%2F%2Fevil.example&code=ABCDE',
      ]);
      app.emit('open-url', { preventDefault: vi.fn() }, 'pitchcase-enrol://connect?code=ABCDE');
      expect(fakeCore.events.announce).not.toHaveBeenCalled();
      app.emit('open-url', { preventDefault: vi.fn() }, enrolLinkFor(link));
      expect(fakeCore.events.announce).toHaveBeenCalledWith('fleet.enrolLink', link);
    });

    it('the packaged app registers the scheme; a kiosk neither registers it nor follows a link', async () => {
      app.isPackaged = true;
      await importMain();
      expect(app.setAsDefaultProtocolClient).toHaveBeenCalledWith('pitchcase-enrol');

      fakeKit.reset();
      app.isPackaged = true;
      process.argv.push('--kiosk', enrolLinkFor(link));
      await importMain();
      expect(app.setAsDefaultProtocolClient).not.toHaveBeenCalled();

      fakeKit.reset();
      await importMain();
      fakeKit.becomeReady();
      await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
      expect(fakeKit.windows[0]!.options).toMatchObject({ kiosk: true });
      expect(fakeKit.windows[0]!.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html');
      app.emit('second-instance', {}, ['Pitchcase.exe', enrolLinkFor(link)]);
      expect(fakeCore.events.announce).not.toHaveBeenCalled();
    });
  });

  it('shows an error and exits when the library cannot be opened', async () => {
    createCore.mockRejectedValueOnce(new Error('profile written by a newer Pitchcase'));
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(fakeKit.fakeElectron.dialog.showErrorBox).toHaveBeenCalledWith(
      expect.any(String),
      'profile written by a newer Pitchcase',
    );
    expect(fakeKit.windows).toHaveLength(0);
  });

  it('--kiosk: a kiosk window and core, remembered in the profile for the next start', async () => {
    process.argv.push('--kiosk');
    await importMain();
    expect(JSON.parse(readFileSync(kindFile, 'utf8'))).toEqual({ kind: 'kiosk' });
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    expect(createCore).toHaveBeenCalledWith(expect.objectContaining({ profileKind: 'kiosk' }));
    expect(fakeKit.windows[0]!.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(fakeKit.fakeElectron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('without a flag the remembered kiosk comes back; --standard leaves it', async () => {
    writeFileSync(kindFile, '{"kind":"kiosk"}');
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    expect(createCore).toHaveBeenCalledWith(expect.objectContaining({ profileKind: 'kiosk' }));
    expect(fakeKit.windows[0]!.options).toMatchObject({ kiosk: true });

    fakeKit.reset();
    createCore.mockClear();
    process.argv.push('--standard');
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    expect(createCore).toHaveBeenCalledWith(expect.objectContaining({ profileKind: 'standard' }));
    expect(JSON.parse(readFileSync(kindFile, 'utf8'))).toEqual({ kind: 'standard' });
  });

  it('every web contents Electron creates gets the kiosk input lock-down too', async () => {
    writeFileSync(kindFile, '{"kind":"kiosk"}');
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    const { FakeWebContents } = await import('./fake-electron.ts');
    const other = new FakeWebContents(fakeKit.defaultSession);
    app.emit('web-contents-created', {}, other);
    let prevented = false;
    other.emit(
      'before-input-event',
      { preventDefault: () => (prevented = true) },
      { type: 'keyDown', key: 'F5', code: 'F5' },
    );
    expect(prevented).toBe(true);
  });

  it('after a crash replaced the window, second-instance focuses the new one; quitting stops the watch', async () => {
    await importMain();
    fakeKit.becomeReady();
    await vi.waitFor(() => expect(fakeKit.windows).toHaveLength(1));
    const first = fakeKit.windows[0]!;
    first.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 }); // reload
    first.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 }); // new window
    expect(fakeKit.windows).toHaveLength(2);
    app.emit('second-instance');
    expect(fakeKit.windows[1]!.focus).toHaveBeenCalled();
    expect(first.focus).not.toHaveBeenCalled();
    await quit();
    fakeKit.windows[1]!.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(fakeKit.windows).toHaveLength(2);
  });
});
