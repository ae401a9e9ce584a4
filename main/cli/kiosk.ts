import { readFileSync } from 'node:fs';
import { createCore } from '#core/index';
import { PitchcaseError, unwrap } from '#shared/result';
import type { KioskConfig, KioskSettings } from '#shared/kiosk';

/**
 * `pitchcase kiosk settings`: IT prepares a booth's kiosk from a terminal (idle timings,
 * retention, the lead form's fields and consent text), checked by the same schema as the app.
 */
export async function runKioskSettings(options: {
  profileDir: string;
  idleSeconds?: number;
  warningSeconds?: number;
  retentionDays?: number;
  eventName?: string | null;
  formFile?: string;
}): Promise<void> {
  const change: Record<string, unknown> = {};
  if (options.idleSeconds !== undefined) change.idleSeconds = options.idleSeconds;
  if (options.warningSeconds !== undefined) change.warningSeconds = options.warningSeconds;
  if (options.retentionDays !== undefined) change.retentionDays = options.retentionDays;
  if (options.eventName !== undefined) change.eventName = options.eventName;
  if (options.formFile) {
    try {
      change.leadForm = JSON.parse(readFileSync(options.formFile, 'utf8')) as unknown;
    } catch (error) {
      throw new Error(`${options.formFile}: not a readable JSON lead form (${(error as Error).message})`, {
        cause: error,
      });
    }
  }
  const core = await createCore({ profileDir: options.profileDir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
  try {
    const settings = Object.keys(change).length
      ? unwrap<KioskSettings>(await core.handle('updateKioskSettings', change))
      : unwrap<KioskSettings>(await core.handle('getKioskSettings', {}));
    process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
  } finally {
    core.close();
  }
}

/** All of stdin as text (a PIN is never taken from the command line, where `ps` shows it). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    process.stderr.write('Staff PIN (the current one first, on its own line, when one is set), then Ctrl-D:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `pitchcase kiosk pin`: staff set the PIN a kiosk needs before it runs (a kiosk without one
 * shows only "set up by staff"), or change it. `input` holds the new PIN on its own line, after
 * the current one when a PIN is already set; a wrong current PIN counts against the same
 * lock-out as the kiosk's pad.
 */
export async function runKioskPin(options: { profileDir: string; input: string }): Promise<void> {
  const lines = options.input
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const core = await createCore({ profileDir: options.profileDir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
  try {
    const { staffPinSet } = unwrap<KioskConfig>(await core.handle('getKioskConfig', {}));
    const [currentPin, pin] = staffPinSet ? [lines[0], lines[1]] : [undefined, lines[0]];
    if (!pin)
      throw new PitchcaseError(
        'bad-request',
        staffPinSet
          ? 'A staff PIN is set: give the current PIN, then the new one, each on its own line'
          : 'Give the new staff PIN (4 to 12 digits) on stdin',
      );
    unwrap(await core.handle('setKioskPin', { pin, ...(currentPin !== undefined ? { currentPin } : {}) }));
    process.stdout.write(staffPinSet ? 'Staff PIN changed\n' : 'Staff PIN set: the kiosk can run\n');
  } finally {
    core.close();
  }
}
