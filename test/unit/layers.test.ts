import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The dependency direction of ../shared/DESIGN.md, checked through the real lint config: each
 * row is an import that must fail (or pass) in a file of that layer.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nvoid x;\n`, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layer boundaries', () => {
  it.each([
    ['main/core/x.ts', "import x from 'electron';"],
    ['main/core/x.ts', "import x from 'electron-updater';"],
    ['main/core/x.ts', "import x from 'react';"],
    ['main/core/x.ts', "import x from '#host/server';"],
    ['main/core/x.ts', "import x from '../electron/window.ts';"],
    ['main/shared/x.ts', "import x from 'node:fs';"],
    ['main/shared/x.ts', "import x from '#core/index';"],
    ['main/host/x.ts', "import x from 'electron';"],
    ['main/publish/x.ts', "import x from 'electron';"],
    ['main/cli/x.ts', "import { app as x } from 'electron';"],
    ['renderer/x.ts', "import x from 'node:path';"],
    ['renderer/x.ts', "import x from '#core/index';"],
    ['renderer/x.ts', "import x from 'electron';"],
    ['renderer/x.ts', "import x from '../main/core/index.ts';"],
    // Shells reach the core through its public entries only.
    ['main/host/x.ts', "import x from '#core/content/serve';"],
    ['main/cli/x.ts', "import x from '#core/storage/database';"],
    ['main/cli/x.ts', "import x from '#core/channel/install';"],
    ['main/publish/x.ts', "import x from '#core/types';"],
    ['main/electron/x.ts', "import x from '#core/kiosk/pin';"],
    ['main/electron/x.ts', "import x from '../core/index.ts';"],
    ['main/cli/x.ts', "import x from '../core/kiosk/index.ts';"],
    ['renderer/library/x.tsx', "import { client as x } from '../api/client';"],
  ])('%s may not %s', async (file, source) => {
    expect(await restricted(file, source)).toBe(true);
  });

  it.each([
    ['main/electron/x.ts', "import x from 'electron';"],
    ['main/core/x.ts', "import x from '#shared/contract';"],
    ['main/core/x.ts', "import x from 'node:fs';"],
    ['main/host/x.ts', "import x from '#core/index';"],
    ['main/cli/x.ts', "import x from '#core/channel/index';"],
    ['main/electron/x.ts', "import x from '#core/kiosk/index';"],
    ['renderer/x.ts', "import x from '#shared/client';"],
    ['renderer/x.ts', "import x from 'react';"],
    ['renderer/main.tsx', "import { client as x } from './api/client';"],
  ])('%s may %s', async (file, source) => {
    expect(await restricted(file, source)).toBe(false);
  });
});
