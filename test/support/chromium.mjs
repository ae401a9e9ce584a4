/**
 * Which Chromium the end-to-end tests drive. Playwright's own browser download cannot be reached
 * from our machines, so the order is: PITCHCASE_CHROMIUM, Playwright's browser where it is
 * installed, then the system's. Plain JavaScript so the Playwright config and the pre-test
 * installer (ensure-chromium.mjs) share it without a build step.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

function playwrightsOwn() {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** @returns {{ path: string, source: string } | { path: null, tried: string[] }} */
export function findChromium(env = process.env) {
  const wanted = env.PITCHCASE_CHROMIUM;
  if (wanted)
    return existsSync(wanted) ? { path: wanted, source: 'PITCHCASE_CHROMIUM' } : { path: null, tried: [wanted] };
  const own = playwrightsOwn();
  if (own) return { path: own, source: "Playwright's browser" };
  const system = SYSTEM_CANDIDATES.find((candidate) => existsSync(candidate));
  if (system) return { path: system, source: 'the system' };
  return { path: null, tried: ["Playwright's browser", ...SYSTEM_CANDIDATES] };
}

/**
 * The flags every end-to-end browser runs with: no sandbox (containers run as root), no GPU,
 * nothing fetched in the background.
 */
export const TEST_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch options for the end-to-end browser; a spec that needs more (a fake microphone) adds its flags. */
export function chromiumLaunchOptions(extraArgs = []) {
  return { executablePath: findChromium().path ?? undefined, args: [...TEST_CHROMIUM_ARGS, ...extraArgs] };
}
