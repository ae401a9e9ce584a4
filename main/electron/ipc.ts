/**
 * One IPC channel for every contract method and one for every event: the contract's runtime
 * lists drive both, so a new API method needs no IPC code. Everything the renderer sends is
 * untrusted: the sender frame is checked here, the method name here and in core, the argument
 * in core (zod schemas of the contract).
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Core } from '#core/index';
import { ipcChannels, isApiMethod } from '#shared/contract';
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

/** Registers the invoke handler and event forwarding; returns a function that undoes both. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  core: Pick<Core, 'handle' | 'events'>,
  getWindows: () => readonly BrowserWindow[],
): () => void {
  ipcMain.handle(ipcChannels.invoke, async (event, method: unknown, arg: unknown): Promise<Result<unknown>> => {
    if (!senderIsTrusted(event)) return refusal('refused', 'IPC refused: the sender is not the Pitchcase window');
    if (!isApiMethod(method)) return refusal('unknown-method', `Unknown method: ${String(method).slice(0, 100)}`);
    return core.handle(method, arg);
  });

  const stopForwarding = core.events.onAny((name, payload) => {
    for (const window of getWindows()) {
      if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
      window.webContents.send(ipcChannels.event, name, payload);
    }
  });

  return () => {
    stopForwarding();
    ipcMain.removeHandler(ipcChannels.invoke);
  };
}
