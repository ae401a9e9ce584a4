import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ProfileKind } from '#shared/library';
import type { SettingReport } from '../storage/settings.ts';

/** A start flag asking for a profile kind, or none. */
export type ProfileKindFlag = ProfileKind | null;

export const PRODUCT_NAME = 'Pitchcase';

/**
 * The folder Electron's app.getPath('userData') would give, computed without Electron so the CLI
 * and the browser host open the same profile the desktop app uses.
 */
export function defaultProfileDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32')
    return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), PRODUCT_NAME);
}

/**
 * Every entry point takes its profile the same way: `--profile DIR` (or `--profile=DIR`) wins,
 * then PITCHCASE_PROFILE, then the OS user-data folder. Relative paths resolve against the cwd.
 */
export function resolveProfileDir(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  fallback: string = defaultProfileDir(),
): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--profile' && argv[i + 1]) return path.resolve(argv[i + 1]!);
    if (arg.startsWith('--profile=') && arg.length > '--profile='.length)
      return path.resolve(arg.slice('--profile='.length));
  }
  if (env.PITCHCASE_PROFILE) return path.resolve(env.PITCHCASE_PROFILE);
  return fallback;
}

/** The file in the profile folder that remembers the profile kind across restarts. */
export const PROFILE_KIND_FILE = 'profile-kind.json';

const rememberedKind = z.object({ kind: z.enum(['kiosk', 'standard']) });

/** `{"kind":"kiosk"}` -> 'kiosk'; anything else (missing, garbage, an unknown kind) -> null. */
export function parseRememberedProfileKind(text: unknown): ProfileKindFlag {
  if (typeof text !== 'string' || text.length > 4096) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = rememberedKind.safeParse(value);
  return parsed.success ? parsed.data.kind : null;
}

export function serializeProfileKind(kind: ProfileKind): string {
  return `${JSON.stringify({ kind })}\n`;
}

export interface ProfileKindChoice {
  kind: ProfileKind;
  /** The kind to write to PROFILE_KIND_FILE, or null when the file already says it / nothing was asked. */
  remember: ProfileKind | null;
}

/**
 * A start flag wins and is remembered; without one the remembered kind applies; with neither the
 * app starts in the standard profile and writes nothing.
 */
export function chooseProfileKind(requested: ProfileKindFlag, remembered: ProfileKindFlag): ProfileKindChoice {
  if (requested) return { kind: requested, remember: requested === remembered ? null : requested };
  return { kind: remembered ?? 'standard', remember: null };
}

/**
 * The kind remembered in a profile, or null: none, or a file that cannot be read or does not
 * hold a kind (reported, never its content; the standard profile applies).
 */
export function readRememberedProfileKind(profileDir: string, report: SettingReport): ProfileKindFlag {
  let text: string;
  try {
    text = readFileSync(path.join(profileDir, PROFILE_KIND_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      report.warn('cannot read the remembered profile kind: the standard profile applies', {
        key: PROFILE_KIND_FILE,
        reason: (error as NodeJS.ErrnoException).code ?? 'unknown',
      });
    return null;
  }
  const kind = parseRememberedProfileKind(text);
  if (kind === null)
    report.warn('ignoring an unreadable profile kind file: the standard profile applies', { key: PROFILE_KIND_FILE });
  return kind;
}

/** Written to a temporary file and renamed over, so a power cut leaves the old or the new kind. */
export function rememberProfileKind(profileDir: string, kind: ProfileKind): void {
  mkdirSync(profileDir, { recursive: true });
  const file = path.join(profileDir, PROFILE_KIND_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, serializeProfileKind(kind), { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * The profile folder holds the database, the leads' key, the CRM cache and exports: owner-only
 * on POSIX (0700), created so, and narrowed when an older profile (or a shell that made the
 * folder first, like Electron's userData) left it open to others.
 */
export function openProfileFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
