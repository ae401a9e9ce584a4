import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';

/** `pitchcase studio` and `pitchcase studio user add` as an admin runs them. */

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

async function startCli(
  dataDir: string,
): Promise<{ url: string; setupUrl: string | null; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'studio', '--data', dataDir, '--port', '0', '--json'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const ready = JSON.parse(line) as { url: string; setupUrl: string | null };
  return {
    ...ready,
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

function userAdd(
  dataDir: string,
  email: string,
  role: string,
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, 'studio', 'user', 'add', '--data', dataDir, '--email', email, '--role', role],
      { cwd: repoRoot },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin);
  });
}

describe('pitchcase studio', () => {
  it('listens on loopback, prints a one-time set-up link until someone exists, and stops on SIGTERM', async () => {
    const data = tempDir('studio-cli-');
    cleanups.push(data.cleanup);
    const first = await startCli(data.dir);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.setupUrl).toMatch(new RegExp(`^${first.url}/setup#[A-Za-z0-9_-]{20,}$`));
    expect(await first.stop()).toBe(0);

    const added = await userAdd(data.dir, 'root@example.com', 'admin', 'a long enough password\n');
    expect(added.stdout, added.stderr).toMatch(/Added root@example.com as admin/);
    const short = await userAdd(data.dir, 'x@example.com', 'admin', 'short\n');
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const badRole = await userAdd(data.dir, 'x@example.com', 'superuser', 'a long enough password\n');
    expect(badRole.code, badRole.stdout).not.toBe(0);

    const second = await startCli(data.dir);
    expect(second.setupUrl).toBeNull();
    const client = new StudioClient(second.url);
    expect((await client.signIn('root@example.com', 'a long enough password')).status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, 60_000);
});
