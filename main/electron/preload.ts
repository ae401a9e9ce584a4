/**
 * The renderer's only door to the core: `window.pitchcase`, a `Transport` for the shared client.
 * Runs sandboxed, so the bundle must be self-contained (only `electron` may be required), and
 * it exposes functions, never ipcRenderer itself or the IPC event objects (they carry `sender`).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Transport } from '#shared/client';
import { ipcChannels, isApiMethod, isEventName } from '#shared/contract';
import type { Result } from '#shared/result';

const transport: Transport = {
  invoke(method, arg) {
    if (!isApiMethod(method)) {
      const result: Result<never> = {
        ok: false,
        error: { code: 'unknown-method', message: `Unknown method: ${String(method)}` },
      };
      return Promise.resolve(result);
    }
    return ipcRenderer.invoke(ipcChannels.invoke, method, arg) as Promise<unknown>;
  },
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (isEventName(name)) listener(name, payload);
    };
    ipcRenderer.on(ipcChannels.event, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('pitchcase', transport);
