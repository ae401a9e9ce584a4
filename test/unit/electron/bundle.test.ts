import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { electronBundleOptions, mainExternals } from '../../../main/electron/tools/bundle-options.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

async function bundleText(which: 'main' | 'preload'): Promise<string> {
  const options = electronBundleOptions(root)[which];
  const result = await build({ ...options, write: false, sourcemap: false, logLevel: 'silent' });
  const output = result.outputFiles.find((f) => f.path.endsWith('.cjs'));
  if (!output) throw new Error('no bundle produced');
  return output.text;
}

const requires = (code: string) =>
  [...new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]))].sort();

describe('Electron bundles', () => {
  it('the sandboxed preload is self-contained: it requires electron and nothing else', async () => {
    const code = await bundleText('preload');
    expect(requires(code)).toEqual(['electron']);
    expect(code).toContain('exposeInMainWorld');
    expect(code).toContain('pitchcase:invoke');
  });

  it('the main bundle inlines our code and leaves only Node built-ins and the declared externals', async () => {
    const code = await bundleText('main');
    const external = requires(code).filter((name) => !name!.startsWith('node:'));
    for (const name of external) expect(mainExternals as readonly string[]).toContain(name);
    expect(external).toContain('electron');
    expect(code).not.toMatch(/require\(["']#(shared|core)\//);
  }, 30_000);
});
