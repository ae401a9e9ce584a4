/**
 * The audience window's wiring against the fake `electron`: it opens full-screen on the other
 * display when a presentation starts, follows displays being plugged and unplugged, closes when
 * the presentation ends or the rep's window goes, tells the rep's window each time, and IPC only
 * lets it read.
 */
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AudienceState } from '#shared/audience-screen';
import type { EventName } from '#shared/contract';
import { audienceMayCall } from '../../../main/electron/audience-decisions.ts';
import type { Result } from '../../../main/shared/result.ts';
import { fakeKit, fireEvent, type FakeBrowserWindow, type FakeDisplay } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron);

const { openAudienceScreens } = await import('../../../main/electron/audience-window.ts');
const { registerIpc } = await import('../../../main/electron/ipc.ts');
const electron = fakeKit.fakeElectron;

const panel: FakeDisplay = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, internal: true };
const projector: FakeDisplay = { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 720 }, internal: false };
const monitor: FakeDisplay = { id: 3, bounds: { x: -2560, y: 0, width: 2560, height: 1440 }, internal: false };

const state = (over: Partial<AudienceState> = {}): AudienceState => ({
  sessionId: 'session-1',
  seq: 1,
  status: 'presenting',
  slide: { itemId: 'brochure', page: 2 },
  black: false,
  aspect: 16 / 9,
  ink: [],
  ...over,
});

function setUp(displays: FakeDisplay[]) {
  electron.screen.displays = displays;
  const bus = new EventEmitter();
  const rep = new electron.BrowserWindow({ title: 'rep' });
  const events = {
    on: vi.fn((event: EventName, listener: (payload: unknown) => void) => {
      bus.on(event, listener);
      return () => bus.off(event, listener);
    }),
    // The core's bus, as registerIpc forwards it: every event reaches the rep's window.
    announce: vi.fn((event: EventName, payload: unknown) => rep.webContents.send('pitchcase:event', event, payload)),
  };
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const screens = openAudienceScreens({
    screen: electron.screen as never,
    events: events as never,
    repWindow: () => rep as never,
    preloadPath: '/app/build/electron/preload.cjs',
    profileKind: 'standard',
    packaged: true,
    log,
  });
  const audienceWindows = () => fakeKit.windows.filter((w) => w !== rep);
  const openAudience = () => audienceWindows().filter((w) => !w.destroyed);
  /** The 'presenter.screens' events the rep's window got, in order. */
  const repTold = () =>
    rep.webContents.send.mock.calls
      .filter(([channel, name]) => channel === 'pitchcase:event' && name === 'presenter.screens')
      .map(([, , payload]) => payload as { sessionId: string; audienceWindow: boolean });
  return {
    bus,
    events,
    rep,
    screens,
    audienceWindows,
    openAudience,
    repTold,
    publish: (s: AudienceState) => bus.emit('presenter.audience', s),
  };
}

function plug(displays: FakeDisplay[], change: 'display-added' | 'display-removed' | 'display-metrics-changed') {
  electron.screen.displays = displays;
  electron.screen.emit(change, {}, displays.at(-1));
}

beforeEach(() => fakeKit.reset());

describe('the audience window', () => {
  it('does not open on a single display: the rep presents on their own screen', () => {
    const app = setUp([panel]);
    app.publish(state());
    expect(app.audienceWindows()).toHaveLength(0);
    expect(app.repTold()).toEqual([]);
  });

  it('opens full-screen on the external display, hardened, without stealing the rep’s focus', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    const [audience] = app.openAudience() as [FakeBrowserWindow];
    expect(app.openAudience()).toHaveLength(1);
    expect(audience.options).toMatchObject({
      ...projector.bounds,
      fullscreen: true,
      frame: false,
      show: false,
      skipTaskbar: true,
    });
    expect(audience.options.webPreferences).toMatchObject({
      preload: '/app/build/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
      autoplayPolicy: 'no-user-gesture-required',
    });
    expect(audience.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html#/audience/session-1');
    // The same lock-down as the main window: no popups, no navigation off the app.
    expect(audience.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(fireEvent(audience.webContents, 'will-navigate', 'https://example.com/')).toMatchObject({ handled: true });
    audience.emit('ready-to-show');
    expect(audience.showInactive).toHaveBeenCalledTimes(1);
    expect(audience.show).not.toHaveBeenCalled();
    expect(audience.focus).not.toHaveBeenCalled();
    expect(app.repTold()).toEqual([{ sessionId: 'session-1', audienceWindow: true }]);
  });

  it('opens once per presentation: later states of the same session change nothing', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    app.publish(state({ seq: 2, slide: { itemId: 'brochure', page: 3 } }));
    app.publish(state({ seq: 3, black: true }));
    expect(app.audienceWindows()).toHaveLength(1);
    expect(app.repTold()).toHaveLength(1);
  });

  it('closes when the presentation ends, and the rep is told', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    app.publish(state({ seq: 2, status: 'ended', slide: null }));
    expect(app.openAudience()).toHaveLength(0);
    expect(app.repTold()).toEqual([
      { sessionId: 'session-1', audienceWindow: true },
      { sessionId: 'session-1', audienceWindow: false },
    ]);
  });

  it('ignores the end of another presentation', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    app.publish(state({ sessionId: 'session-0', seq: 9, status: 'ended', slide: null }));
    expect(app.openAudience()).toHaveLength(1);
  });

  it('closes when the projector is unplugged; presenting goes on, and it comes back when plugged in again', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    plug([panel], 'display-removed');
    expect(app.openAudience()).toHaveLength(0);
    expect(app.repTold().at(-1)).toEqual({ sessionId: 'session-1', audienceWindow: false });

    plug([panel, projector], 'display-added');
    const reopened = app.openAudience();
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html#/audience/session-1');
    expect(app.repTold().at(-1)).toEqual({ sessionId: 'session-1', audienceWindow: true });
  });

  it('opens when a display is plugged in mid-presentation', () => {
    const app = setUp([panel]);
    app.publish(state());
    expect(app.openAudience()).toHaveLength(0);
    plug([panel, projector], 'display-added');
    expect(app.openAudience()).toHaveLength(1);
    expect(app.openAudience()[0]!.options).toMatchObject(projector.bounds);
  });

  it('moves to the remaining external display when its own goes away, and stays put when a third is added', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    const [audience] = app.openAudience() as [FakeBrowserWindow];
    plug([panel, projector, monitor], 'display-added');
    expect(audience.setBounds).not.toHaveBeenCalled();

    plug([panel, monitor], 'display-removed');
    expect(app.openAudience()).toEqual([audience]);
    expect(audience.setBounds).toHaveBeenCalledWith(monitor.bounds);
    expect(audience.setFullScreen.mock.calls).toEqual([[false], [true]]);
  });

  it('closes when the rep’s window closes or its page crashes', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    app.rep.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(app.openAudience()).toHaveLength(0);

    // A new presentation after recovery opens a new window; closing the rep's window ends it.
    app.publish(state({ sessionId: 'session-2' }));
    expect(app.openAudience()).toHaveLength(1);
    app.rep.destroy();
    expect(app.openAudience()).toHaveLength(0);
  });

  it('a new presentation replaces the window of one that never said it ended', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    const [first] = app.openAudience() as [FakeBrowserWindow];
    app.publish(state({ sessionId: 'session-2' }));
    expect(first.destroyed).toBe(true);
    const [second] = app.openAudience() as [FakeBrowserWindow];
    expect(second.loadURL).toHaveBeenCalledWith('pitchcase://app/index.html#/audience/session-2');
  });

  it('a crashed audience page is closed, not restarted, and the rep is told', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    const [audience] = app.openAudience() as [FakeBrowserWindow];
    audience.webContents.emit('render-process-gone', {}, { reason: 'crashed' });
    expect(app.openAudience()).toHaveLength(0);
    expect(app.repTold().at(-1)).toEqual({ sessionId: 'session-1', audienceWindow: false });
  });

  it('dispose closes the window and stops following displays and the core', () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    app.screens.dispose();
    expect(app.openAudience()).toHaveLength(0);
    app.publish(state({ sessionId: 'session-2' }));
    plug([panel, projector, monitor], 'display-added');
    expect(app.openAudience()).toHaveLength(0);
    expect(app.bus.listenerCount('presenter.audience')).toBe(0);
  });
});

describe('IPC from the audience window', () => {
  type InvokeHandler = (event: unknown, method: unknown, arg: unknown) => Promise<Result<unknown>>;

  it('may read what it shows but never publish or change anything; the rep’s window may', async () => {
    const app = setUp([panel, projector]);
    app.publish(state());
    const [audience] = app.openAudience() as [FakeBrowserWindow];
    const core = {
      handle: vi.fn(async (_method: unknown, _arg: unknown): Promise<Result<unknown>> => ({ ok: true, value: {} })),
      events: { on: vi.fn(), onAny: vi.fn(() => () => {}) },
    };
    // The same rule main.ts gives registerIpc.
    registerIpc(electron.ipcMain as never, core as never, () => [], {
      mayCall: (sender, method) => !app.screens.isAudience(sender) || audienceMayCall(method),
    });
    const handler = (electron.ipcMain.handle.mock.calls as unknown as [string, InvokeHandler][])[0]![1];
    const from = (window: FakeBrowserWindow) => ({
      sender: window.webContents,
      senderFrame: { url: 'pitchcase://app/index.html#/x', parent: null },
    });

    await expect(handler(from(audience), 'getAudienceState', { sessionId: 'session-1' })).resolves.toMatchObject({
      ok: true,
    });
    await expect(handler(from(audience), 'getItem', { id: 'brochure' })).resolves.toMatchObject({ ok: true });
    await expect(handler(from(audience), 'showToAudience', state({ seq: 5 }))).resolves.toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    await expect(handler(from(audience), 'savePitch', { name: 'x', steps: [] })).resolves.toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    expect(core.handle.mock.calls.map(([method]) => method)).toEqual(['getAudienceState', 'getItem']);

    await expect(handler(from(app.rep), 'showToAudience', state({ seq: 5 }))).resolves.toMatchObject({ ok: true });
    expect(core.handle).toHaveBeenLastCalledWith('showToAudience', state({ seq: 5 }));
  });
});
