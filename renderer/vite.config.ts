/**
 * Builds the renderer into build/renderer, which both shells serve at the origin root (the
 * Electron custom protocol and the browser host), so asset URLs are absolute.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';

const rendererRoot = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));

/**
 * pdf.js loads the 14 standard PDF fonts (Helvetica, Times...) and its image decoders at run
 * time from URLs we give it. Nothing may come from a CDN (CSP, offline), so ship them with the
 * app: emitted into the build, and served by the dev server from node_modules.
 */
function pdfjsRuntimeAssets(): Plugin {
  const folders = ['standard_fonts', 'wasm'] as const;
  const publicPrefix = '/pdfjs/';
  return {
    name: 'pitchcase:pdfjs-runtime-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0] ?? '';
        if (!url.startsWith(publicPrefix)) return next();
        const [folder, file, ...rest] = url.slice(publicPrefix.length).split('/');
        if (!folders.includes(folder as (typeof folders)[number]) || !file || rest.length > 0) return next();
        const available = readdirSync(path.join(pdfjsRoot, folder as string));
        if (!available.includes(file)) return next();
        res.setHeader('Content-Type', file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
        res.end(readFileSync(path.join(pdfjsRoot, folder as string, file)));
      });
    },
    generateBundle() {
      for (const folder of folders) {
        for (const file of readdirSync(path.join(pdfjsRoot, folder))) {
          this.emitFile({
            type: 'asset',
            fileName: `pdfjs/${folder}/${file}`,
            source: readFileSync(path.join(pdfjsRoot, folder, file)),
          });
        }
      }
    },
  };
}

/**
 * The script the content server adds to microsite pages (renderer/glossary/microsite): a
 * self-contained IIFE, because it runs inside marketing's page, not in the app. Core reads it
 * from this fixed name (main/core/content/site-glossary.ts).
 */
function micrositeGlossaryScript(): Plugin {
  return {
    name: 'pitchcase:microsite-glossary-script',
    apply: 'build',
    async generateBundle() {
      const result = await esbuild({
        entryPoints: [path.join(rendererRoot, 'glossary', 'microsite', 'glossary-frame.ts')],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'chrome120',
        minify: true,
        write: false,
        legalComments: 'none',
        logLevel: 'warning',
      });
      this.emitFile({ type: 'asset', fileName: 'microsite-glossary.js', source: result.outputFiles[0]!.text });
    },
  };
}

const hostUrl = process.env.PITCHCASE_HOST ?? 'http://127.0.0.1:4317';

export default defineConfig({
  root: rendererRoot,
  base: '/',
  plugins: [react(), pdfjsRuntimeAssets(), micrositeGlossaryScript()],
  build: {
    outDir: path.resolve(rendererRoot, '../build/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 1600,
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      // Only the contract's endpoints (`/api/getLibrary`, `/api/events`): the dev server itself
      // serves this folder's `renderer/api/*.ts` modules under the same prefix.
      '^/api/[A-Za-z][A-Za-z0-9]*(\\?.*)?$': { target: hostUrl, changeOrigin: true },
      '/content': { target: hostUrl, changeOrigin: true },
    },
  },
});
