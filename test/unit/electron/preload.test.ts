import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Transport } from '../../../main/shared/client.ts';
import { fakeKit } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron);

const { contextBridge, ipcRenderer } = fakeKit.fakeElectron;
let exposedName: unknown;
let bridge: Transport;

beforeAll(async () => {
  fakeKit.reset();
  await import('../../../main/electron/preload.ts');
  [exposedName, bridge] = contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Transport];
});

describe('preload bridge', () => {
  it('exposes exactly one object, window.pitchcase, with invoke and subscribe only', () => {
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(exposedName).toBe('pitchcase');
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('passes contract methods to the invoke channel', async () => {
    await expect(bridge.invoke('getItem', { id: 'brochure' })).resolves.toEqual({ ok: true, value: 'from-main' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('pitchcase:invoke', 'getItem', { id: 'brochure' });
  });

  it('answers a non-contract method itself, without IPC', async () => {
    ipcRenderer.invoke.mockClear();
    const result = await bridge.invoke('openDevTools' as never, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('forwards contract events without the IPC event object, drops others, and unsubscribes', () => {
    const listener = vi.fn();
    const unsubscribe = bridge.subscribe(listener);
    const ipcEvent = { sender: 'should never reach the page' };
    ipcRenderer.emit('pitchcase:event', ipcEvent, 'library.changed', { version: 3 });
    ipcRenderer.emit('pitchcase:event', ipcEvent, 'evil.event', { x: 1 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith('library.changed', { version: 3 });
    unsubscribe();
    ipcRenderer.emit('pitchcase:event', ipcEvent, 'idle', { idleSeconds: 30 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(ipcRenderer.listenerCount('pitchcase:event')).toBe(0);
  });
});
