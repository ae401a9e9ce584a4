/**
 * Builds Studio's UI into build/studio, which `pitchcase studio` serves at its origin root.
 * A second Vite entry beside the app's: same React, same design tokens, no core client.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const studioUrl = process.env.PITCHCASE_STUDIO ?? 'http://127.0.0.1:4400';

export default defineConfig({
  root,
  base: '/',
  publicDir: path.resolve(root, '../public'),
  plugins: [react()],
  build: { outDir: path.resolve(root, '../../build/studio'), emptyOutDir: true, target: 'chrome120' },
  server: { proxy: { '/api': { target: studioUrl }, '/channels': { target: studioUrl } } },
});
