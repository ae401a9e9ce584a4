/**
 * One IPC channel for every contract method and one for every event: the contract's runtime
 * lists drive both, so a new API method needs no IPC code. Everything the renderer sends is
 * untrusted: the sender frame is checked here, the method name here and in core, the argument
 * in core (zod schemas of the contract).
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { CallOrigin, Core } from '#core/index';
import { ipcChannels, isApiMethod, type ApiMethod } from '#shared/contract';
import type { Result } from '#shared/result';
import { isTrustedSender } from './decisions.ts';

function refusal(code: 'refused' | 'unknown-method', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** The sender is trusted only when it is the app's own top frame (never the microsite iframe). */
export function senderIsTrusted(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  return isTrustedSender(frame.url, frame.parent === null);
}

export interface IpcOptions {
  /**
   * A narrower door for some windows: the audience window may only read what it shows. Called
   * after the frame check, with a contract method; false refuses the call.
   */
  mayCall?(sender: WebContents, method: ApiMethod): boolean;
  /** Which window a call comes from, for the core's access table (the audience window's rights). */
  originOf?(sender: WebContents): CallOrigin;
}

/** Registers the invoke handler and event forwarding; returns a function that undoes both. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: Pick<Core, 'handle' | 'events' | 'hears'>,
  getWindows: () => readonly BrowserWindow[],
  options: IpcOptions = {},
): () => void {
  ipcMain.handle(ipcChannels.invoke, async (event, method: unknown, arg: unknown): Promise<Result<unknown>> => {
    if (!senderIsTrusted(event)) return refusal('refused', 'IPC refused: the sender is not the Pitchcase window');
    if (!isApiMethod(method)) return refusal('unknown-method', `Unknown method: ${String(method).slice(0, 100)}`);
    if (options.mayCall && !options.mayCall(event.sender, method))
      return refusal('refused', `IPC refused: this window may not call ${method}`);
    return options.originOf ? core.handle(method, arg, options.originOf(event.sender)) : core.handle(method, arg);
  });

  const stopForwarding = core.events.onAny((name, payload) => {
    for (const window of getWindows()) {
      if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
      // The access table of events, per window: a locked kiosk or the audience window hears less.
      if (!core.hears(name, options.originOf ? options.originOf(window.webContents) : {})) continue;
      window.webContents.send(ipcChannels.event, name, payload);
    }
  });

  return () => {
    stopForwarding();
    ipcMain.removeHandler(ipcChannels.invoke);
  };
}
