#!/usr/bin/env node
/**
 * Runs before the end-to-end tests (npm run test:e2e). Finds a Chromium; where there is none,
 * installs one the way the platform allows, or stops at once with the one command that gets it —
 * instead of letting every end-to-end test fail with "executable doesn't exist".
 *
 *   - Debian/Ubuntu as root: apt-get install chromium (Playwright's own download is blocked on
 *     our machines, Debian's package is not).
 *   - anywhere else: `npx playwright install chromium` is the command to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

function say(line) {
  process.stdout.write(`${line}\n`);
}

function found() {
  const result = findChromium();
  if (result.path) say(`e2e: Chromium from ${result.source}: ${result.path}`);
  return result;
}

const first = found();
if (first.path) process.exit(0);

if (process.env.PITCHCASE_CHROMIUM) {
  say(`e2e: PITCHCASE_CHROMIUM points at ${process.env.PITCHCASE_CHROMIUM}, which does not exist.`);
  process.exit(1);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (process.platform === 'linux' && hasApt && isRoot) {
  say("e2e: no Chromium found; installing Debian's package (apt-get install chromium)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install =
    update.status === 0
      ? spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
      : update;
  if (install.status === 0 && found().path) process.exit(0);
  say('e2e: installing Chromium with apt-get failed (see above).');
  process.exit(1);
}

const command =
  process.platform === 'linux' && hasApt ? 'sudo apt-get install chromium' : 'npx playwright install chromium';
say(`e2e: no Chromium found (tried ${first.tried.join(', ')}).`);
say(`e2e: get one with:  ${command}   (or point PITCHCASE_CHROMIUM at a Chromium binary)`);
process.exit(1);
