/**
 * The audience window: when the rep starts presenting and a second display is there, a window
 * full-screen on it shows only the content (the renderer's audience route), while the rep's
 * window switches to the presenter view. It follows the presentation through the core's
 * 'presenter.audience' events, like any other window; this file only decides when it opens,
 * moves and closes (audience-decisions.ts) and announces it on the core's bus ('presenter.screens').
 */
import { BrowserWindow, type Display, type Screen, type WebContents } from 'electron';
import type { Core, Log } from '#core/index';
import type { AudienceState } from '#shared/audience-screen';
import type { ProfileKind } from '#shared/library';
import { audienceWindowAction, audienceWindowUrl, type DisplayInfo } from './audience-decisions.ts';
import { appWebPreferences, hardenWebContents } from './window.ts';

export interface AudienceScreensOptions {
  screen: Pick<Screen, 'getAllDisplays' | 'getDisplayMatching' | 'on' | 'removeListener'>;
  events: Pick<Core['events'], 'on' | 'announce'>;
  /** The rep's window (crash recovery may replace it). */
  repWindow(): BrowserWindow | null;
  preloadPath: string;
  profileKind: ProfileKind;
  packaged: boolean;
  log: Log;
}

export interface AudienceScreens {
  /** Is this the audience window's web contents (IPC restricts what it may call)? */
  isAudience(contents: WebContents): boolean;
  dispose(): void;
}

const displayChanges = ['display-added', 'display-removed', 'display-metrics-changed'] as const;

function toInfo(display: Display): DisplayInfo {
  return { id: display.id, bounds: { ...display.bounds }, internal: display.internal === true };
}

export function openAudienceScreens(options: AudienceScreensOptions): AudienceScreens {
  let session: string | null = null;
  let audience: { window: BrowserWindow; display: number; session: string } | null = null;
  /** The rep's window of the running presentation: its end (closed, crashed) ends the presentation. */
  let rep: { window: BrowserWindow; stop(): void } | null = null;
  let disposed = false;

  const live = (window: BrowserWindow | null): window is BrowserWindow => window !== null && !window.isDestroyed();

  // Through the core's bus like every event: IPC forwards it to the rep's window.
  const tellRep = (sessionId: string, audienceWindow: boolean) =>
    options.events.announce('presenter.screens', { sessionId, audienceWindow });

  const closeAudience = () => {
    const closing = audience;
    if (!closing) return;
    audience = null;
    if (!closing.window.isDestroyed()) closing.window.destroy();
    tellRep(closing.session, false);
  };

  const openAudience = (display: Display, sessionId: string) => {
    const window = new BrowserWindow({
      ...display.bounds,
      show: false,
      frame: false,
      fullscreen: true,
      skipTaskbar: true,
      autoHideMenuBar: true,
      backgroundColor: '#000000',
      title: 'Pitchcase — audience',
      // The rep's play on their screen starts the video here, with its sound, without a gesture
      // in this window (nobody touches the audience's screen).
      webPreferences: { ...appWebPreferences(options.preloadPath, false), autoplayPolicy: 'no-user-gesture-required' },
    });
    hardenWebContents(window.webContents, options.profileKind, { packaged: options.packaged });
    audience = { window, display: display.id, session: sessionId };
    // Inactive: the rep's clicker and keyboard must keep talking to the rep's window.
    window.once('ready-to-show', () => window.showInactive());
    window.on('closed', () => {
      if (audience?.window !== window) return;
      audience = null;
      tellRep(sessionId, false);
    });
    // A crashed audience page is closed, not recovered: the presentation goes on for the rep.
    window.webContents.on('render-process-gone', () => {
      if (audience?.window === window) closeAudience();
    });
    void window.loadURL(audienceWindowUrl(sessionId));
    options.log.info('audience window opened', { display: display.id });
    tellRep(sessionId, true);
  };

  const moveAudience = (display: Display) => {
    if (!audience) return;
    const { window } = audience;
    audience = { ...audience, display: display.id };
    window.setFullScreen(false);
    window.setBounds(display.bounds);
    window.setFullScreen(true);
  };

  const update = () => {
    if (disposed) return;
    const displays = options.screen.getAllDisplays();
    const repWindow = rep?.window ?? options.repWindow();
    const repDisplayId = live(repWindow) ? options.screen.getDisplayMatching(repWindow.getBounds()).id : null;
    const decision = audienceWindowAction({
      displays: displays.map(toInfo),
      repDisplayId,
      audienceDisplayId: audience && !audience.window.isDestroyed() ? audience.display : null,
      presenting: session !== null,
    });
    const target = 'display' in decision ? displays.find((d) => d.id === decision.display) : undefined;
    switch (decision.action) {
      case 'open':
        if (target && session) openAudience(target, session);
        return;
      case 'move':
        if (target) moveAudience(target);
        return;
      case 'close':
        closeAudience();
        return;
      case 'keep':
      case 'none':
        return;
    }
  };

  const stopFollowingRep = () => {
    rep?.stop();
    rep = null;
  };

  const endPresentation = () => {
    session = null;
    update();
    stopFollowingRep();
  };

  const followRep = () => {
    stopFollowingRep();
    const window = options.repWindow();
    if (!live(window)) return;
    const ended = () => endPresentation();
    window.once('closed', ended);
    window.webContents.once('render-process-gone', ended);
    rep = {
      window,
      stop() {
        window.removeListener('closed', ended);
        if (!window.webContents.isDestroyed()) window.webContents.removeListener('render-process-gone', ended);
      },
    };
  };

  const onState = (state: AudienceState) => {
    if (state.status === 'ended') {
      if (state.sessionId === session) endPresentation();
      return;
    }
    if (state.sessionId === session) return;
    // A new presentation replaces the previous one's window (its rep may have crashed out of it).
    if (audience && audience.session !== state.sessionId) closeAudience();
    session = state.sessionId;
    followRep();
    update();
  };

  const stopEvents = options.events.on('presenter.audience', onState);
  for (const change of displayChanges) options.screen.on(change as 'display-added', update);

  return {
    isAudience: (contents) =>
      audience !== null && !audience.window.isDestroyed() && audience.window.webContents === contents,
    dispose() {
      disposed = true;
      // A test's stand-in core may not hand back an unsubscribe function.
      if (typeof stopEvents === 'function') stopEvents();
      for (const change of displayChanges) options.screen.removeListener(change as 'display-added', update);
      stopFollowingRep();
      closeAudience();
    },
  };
}
