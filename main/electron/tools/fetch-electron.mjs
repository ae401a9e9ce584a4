#!/usr/bin/env node
/**
 * Runs by package.json "postinstall", before the build. npm here does not run electron's own
 * install script (allowScripts electron:false), so we run it, with a real time limit: on our
 * machines outbound connections other than the npm registry can hang forever. Whatever happens,
 * `npm install` succeeds; without the binary `npm start` uses the browser host.
 *
 *   ELECTRON_SKIP_BINARY_DOWNLOAD=1        do not try
 *   PITCHCASE_ELECTRON_FETCH_TIMEOUT_MS    time limit in ms (default 60000)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const FALLBACK = '`npm start` will use the browser host';

function say(line) {
  process.stdout.write(`${line}\n`);
}

function electronDir() {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

function binaryPresent(dir) {
  try {
    const relative = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    return relative !== '' && existsSync(path.join(dir, 'dist', relative));
  } catch {
    return false;
  }
}

function lastLine(text) {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const error = lines.find((l) => /error/i.test(l)) ?? lines[0] ?? '';
  return error.length > 160 ? `${error.slice(0, 157)}...` : error;
}

function runInstall(dir, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(dir, 'install.js')], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let output = '';
    const collect = (chunk) => {
      if (output.length < 64 * 1024) output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, reason: `download timed out after ${Math.round(timeoutMs / 1000)} s` });
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: error.message });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: lastLine(output) || `installer exited with ${signal ?? code}` });
    });
  });
}

async function main() {
  const dir = electronDir();
  if (!dir) {
    say(`Electron binary not available (the electron package is not installed); ${FALLBACK}`);
    return;
  }
  if (binaryPresent(dir)) return;
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    say(`Electron binary not available (ELECTRON_SKIP_BINARY_DOWNLOAD is set); ${FALLBACK}`);
    return;
  }
  const timeoutMs = Number(process.env.PITCHCASE_ELECTRON_FETCH_TIMEOUT_MS) || 60_000;
  const outcome = await runInstall(dir, timeoutMs);
  if (outcome.ok && binaryPresent(dir)) {
    say('Electron binary installed.');
    return;
  }
  say(
    `Electron binary not available (${outcome.ok ? 'the download left no executable' : outcome.reason}); ${FALLBACK}`,
  );
}

main()
  .catch((error) => say(`Electron binary not available (${error?.message ?? error}); ${FALLBACK}`))
  .finally(() => process.exit(0));
