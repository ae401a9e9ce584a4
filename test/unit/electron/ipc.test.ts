import { describe, expect, it, vi } from 'vitest';
import { registerIpc } from '../../../main/electron/ipc.ts';
import type { Result } from '../../../main/shared/result.ts';

type InvokeHandler = (event: unknown, method: unknown, arg: unknown) => Promise<Result<unknown>>;

function setUp(options: Parameters<typeof registerIpc>[3] = {}) {
  let anyListener: ((name: string, payload: unknown) => void) | null = null;
  const stopForwarding = vi.fn();
  const core = {
    handle: vi.fn(async (method: unknown, arg: unknown): Promise<Result<unknown>> => ({
      ok: true,
      value: { method, arg },
    })),
    events: {
      on: vi.fn(),
      onAny: vi.fn((listener: (name: string, payload: unknown) => void) => {
        anyListener = listener;
        return stopForwarding;
      }),
    },
    // The core's access table of events: here, the audience window hears only what it shows.
    hears: vi.fn(
      (name: string, origin: { audience?: boolean } = {}) => !origin.audience || name === 'presenter.audience',
    ),
  };
  const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
  const makeWindow = (destroyed = false) => ({
    isDestroyed: () => destroyed,
    webContents: { isDestroyed: () => destroyed, send: vi.fn() },
  });
  const windows = [makeWindow(), makeWindow(), makeWindow(true)];
  const dispose = registerIpc(ipcMain as never, core as never, () => windows as never, options);
  const [channel, handler] = ipcMain.handle.mock.calls[0] as [string, InvokeHandler];
  return {
    core,
    ipcMain,
    windows,
    dispose,
    channel,
    handler,
    stopForwarding,
    emit: (name: string, payload: unknown) => anyListener?.(name, payload),
  };
}

const frame = (url: string, isTop = true) => ({
  senderFrame: { url, parent: isTop ? null : { url: 'pitchcase://app/index.html' } },
});
const appFrame = frame('pitchcase://app/index.html');

describe('registerIpc', () => {
  it('registers one invoke channel from the contract', () => {
    const { channel } = setUp();
    expect(channel).toBe('pitchcase:invoke');
  });

  it('delegates a contract call from the app top frame to core.handle', async () => {
    const { core, handler } = setUp();
    const result = await handler(appFrame, 'getItem', { id: 'brochure' });
    expect(core.handle).toHaveBeenCalledWith('getItem', { id: 'brochure' });
    expect(result).toEqual({ ok: true, value: { method: 'getItem', arg: { id: 'brochure' } } });
  });

  it.each([
    ['the microsite iframe', frame('pitchcase-site://site/tour/index.html', false)],
    ['a sub-frame of the app origin', frame('pitchcase://app/index.html', false)],
    ['a top frame that navigated elsewhere', frame('https://evil.example/')],
    ['a file: page', frame('file:///index.html')],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses %s without calling core', async (_label, event) => {
    const { core, handler } = setUp();
    const result = await handler(event, 'getLibrary', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(core.handle).not.toHaveBeenCalled();
  });

  it.each(['deleteEverything', '__proto__', 'constructor', 42, null])(
    'refuses the non-contract method %s',
    async (method) => {
      const { core, handler } = setUp();
      const result = await handler(appFrame, method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
      expect(core.handle).not.toHaveBeenCalled();
    },
  );

  it('forwards every core event to every live window', () => {
    const { windows, emit } = setUp();
    emit('library.changed', { version: 7 });
    expect(windows[0]!.webContents.send).toHaveBeenCalledWith('pitchcase:event', 'library.changed', { version: 7 });
    expect(windows[1]!.webContents.send).toHaveBeenCalledWith('pitchcase:event', 'library.changed', { version: 7 });
    expect(windows[2]!.webContents.send).not.toHaveBeenCalled();
  });

  it("passes an event on only to the windows the core's access table lets hear it", () => {
    // The first window is the audience window: it must not hear what it does not show.
    const { windows, emit, core } = setUp({
      originOf: (sender) => ({ audience: sender === (windows[0]!.webContents as never) }),
    });
    emit('delivery.status', { pending: 1 });
    expect(windows[0]!.webContents.send).not.toHaveBeenCalled();
    expect(windows[1]!.webContents.send).toHaveBeenCalledWith('pitchcase:event', 'delivery.status', { pending: 1 });
    expect(core.hears).toHaveBeenCalledWith('delivery.status', { audience: true });
    emit('presenter.audience', { seq: 1 });
    expect(windows[0]!.webContents.send).toHaveBeenCalledWith('pitchcase:event', 'presenter.audience', { seq: 1 });
  });

  it('undoes both registrations', () => {
    const { dispose, ipcMain, stopForwarding } = setUp();
    dispose();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith('pitchcase:invoke');
    expect(stopForwarding).toHaveBeenCalled();
  });
});
