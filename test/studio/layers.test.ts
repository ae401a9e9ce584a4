import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Studio's place in the dependency direction, checked through the real lint config. */
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nvoid x;\n`, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('Studio layer boundaries', () => {
  it.each([
    ['main/studio/x.ts', "import x from 'electron';"],
    ['main/studio/x.ts', "import x from 'react';"],
    ['main/studio/x.ts', "import x from '#host/server';"],
    ['main/studio/x.ts', "import x from '../cli/program.ts';"],
    ['main/core/x.ts', "import x from '#studio/index';"],
    ['main/publish/x.ts', "import x from '#studio/index';"],
    ['main/host/x.ts', "import x from '#studio/index';"],
    ['main/electron/x.ts', "import x from '#studio/index';"],
    ['renderer/studio/x.ts', "import x from '#studio/index';"],
    ['renderer/studio/x.ts', "import x from 'node:fs';"],
    ['main/studio/rehearse/transcription/key-messages.ts', "import x from 'node:fs';"],
    ['main/studio/rehearse/transcription/phrases.ts', "import x from '../../database/connection.ts';"],
  ])('%s may not %s', async (file, source) => {
    expect(await restricted(file, source)).toBe(true);
  });

  it.each([
    ['main/studio/x.ts', "import x from '#publish/publish';"],
    ['main/studio/x.ts', "import x from '#shared/manifest';"],
    ['main/studio/preview/x.ts', "import x from '#host/server';"],
    ['main/cli/x.ts', "import x from '#studio/index';"],
    ['renderer/studio/x.ts', "import x from 'react';"],
    ['main/studio/rehearse/transcription/transcriber.ts', "import x from 'node:child_process';"],
    ['main/studio/rehearse/transcription/key-messages.ts', "import x from './words.ts';"],
  ])('%s may %s', async (file, source) => {
    expect(await restricted(file, source)).toBe(false);
  });
});
