/** Types for chromium.mjs (plain JavaScript so the Playwright config can load it unbuilt). */
export type ChromiumFound = { path: string; source: string } | { path: null; tried: string[] };
export function findChromium(env?: Record<string, string | undefined>): ChromiumFound;
export const TEST_CHROMIUM_ARGS: string[];
export function chromiumLaunchOptions(extraArgs?: string[]): { executablePath: string | undefined; args: string[] };
