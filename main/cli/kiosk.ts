import { readFileSync } from 'node:fs';
import { createCore } from '#core/index';
import { unwrap } from '#shared/result';
import type { KioskSettings } from '#shared/kiosk';

/**
 * `pitchcase kiosk settings`: IT prepares a booth's kiosk from a terminal (idle timings,
 * retention, the lead form's fields and consent text), checked by the same schema as the app.
 */
export async function runKioskSettings(options: { profileDir: string; idleSeconds?: number; warningSeconds?: number; retentionDays?: number; formFile?: string }): Promise<void> {
  const change: Record<string, unknown> = {};
  if (options.idleSeconds !== undefined) change.idleSeconds = options.idleSeconds;
  if (options.warningSeconds !== undefined) change.warningSeconds = options.warningSeconds;
  if (options.retentionDays !== undefined) change.retentionDays = options.retentionDays;
  if (options.formFile) {
    try {
      change.leadForm = JSON.parse(readFileSync(options.formFile, 'utf8')) as unknown;
    } catch (error) {
      throw new Error(`${options.formFile}: not a readable JSON lead form (${(error as Error).message})`, { cause: error });
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
