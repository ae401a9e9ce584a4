/**
 * Seam for app updates. electron-updater (generic provider, configured by `publish` in
 * electron-builder.yml, code-signature verification on) is wired in its own issue: it will
 * check only when packaged, download in the background and emit core's 'update.ready'.
 * Until then the shell calls this and nothing happens, so main.ts does not change later.
 */
export interface AppUpdates {
  start(): void;
}

export function appUpdates(_options: { packaged: boolean }): AppUpdates {
  return { start() {} };
}
