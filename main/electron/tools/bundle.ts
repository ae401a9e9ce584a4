/** `npm run build:electron`: bundles the main process and the preload into build/electron/. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { electronBundleOptions } from './bundle-options.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const options = electronBundleOptions(root);
await Promise.all([build(options.main), build(options.preload)]);
process.stdout.write(
  `Electron shell bundled: ${path.relative(root, String(options.main.outfile))}, ${path.relative(root, String(options.preload.outfile))}\n`,
);
