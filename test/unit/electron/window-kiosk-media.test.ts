/**
 * The kiosk's session, wired by createMainWindow against the fake `electron`: the microphone is
 * never granted, even with the Rehearse route showing. Its own file, because the one fake
 * session is hardened once per module, for the profile that opened the first window.
 */
import { expect, it, vi } from 'vitest';
import { fakeKit } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).fakeElectron);

const { createMainWindow } = await import('../../../main/electron/window.ts');

it('never grants the microphone on a kiosk, even on the Rehearse route', async () => {
  fakeKit.reset();
  createMainWindow({ preloadPath: '/app/build/electron/preload.cjs', profileKind: 'kiosk', packaged: false });
  const kiosk = fakeKit.windows.at(-1)!.webContents;
  kiosk.url = 'pitchcase://app/index.html#/rehearse';
  const granted = await new Promise<boolean>((resolve) =>
    (kiosk.session.permissionRequestHandler as unknown as (...a: unknown[]) => void)(kiosk, 'media', resolve, {
      requestingUrl: 'pitchcase://app/index.html',
      isMainFrame: true,
      mediaTypes: ['audio'],
    }),
  );
  expect(granted).toBe(false);
  expect(
    (kiosk.session.permissionCheckHandler as unknown as (...a: unknown[]) => boolean)(
      kiosk,
      'media',
      'pitchcase://app',
      {
        mediaType: 'audio',
        isMainFrame: true,
      },
    ),
  ).toBe(false);
});
