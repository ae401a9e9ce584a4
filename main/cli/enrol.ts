import { createCore, readRememberedProfileKind, stderrLog } from '#core/index';
import { apiArgSchemas } from '#shared/contract';
import { argumentProblem } from '#shared/contract-args';
import type { FleetStatus } from '#shared/contract/fleet';
import { PitchcaseError } from '#shared/result';
import { keysFor } from './delivery.ts';

/**
 * `pitchcase enrol`: IT enrols a device with Studio by a code before handing it out, exactly as
 * the app's "Connect to your company" does: the profile then gets its channel, pinned keys,
 * sealed device credential and identity, and sends its records to Studio. A kiosk profile (as
 * remembered in it) enrols as the booth its code names; at the terminal IT stands in for staff.
 */
export interface EnrolFlags {
  profileDir: string;
  studio: string;
  code: string;
  name?: string;
  json: boolean;
}

export function describeEnrolment(status: FleetStatus): string {
  const identity = status.identity;
  const who = identity?.booth
    ? `booth at ${identity.booth.event}`
    : identity?.rep
      ? `${identity.rep.name} <${identity.rep.email}>`
      : 'nobody';
  return [
    `Enrolled with ${status.studioUrl} as ${who}`,
    `  device id: ${status.deviceId}`,
    ...(identity?.team ? [`  team: ${identity.team}`] : []),
    ...(identity?.region ? [`  region: ${identity.region}`] : []),
    '  records now also go to Studio; the channel and its key were set from Studio',
  ].join('\n');
}

export async function runEnrol(flags: EnrolFlags): Promise<void> {
  const arg = {
    studioUrl: flags.studio,
    code: flags.code,
    ...(flags.name !== undefined ? { deviceName: flags.name } : {}),
  };
  const parsed = apiArgSchemas.enrolDevice.safeParse(arg);
  if (!parsed.success) throw new PitchcaseError('bad-request', argumentProblem('enrolDevice', parsed.error));
  const core = await createCore({
    profileDir: flags.profileDir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    profileKind: readRememberedProfileKind(flags.profileDir, stderrLog) ?? 'standard',
    keys: keysFor(flags.profileDir),
  });
  try {
    const status = await core.api.enrolDevice(parsed.data);
    process.stdout.write(flags.json ? `${JSON.stringify(status)}\n` : `${describeEnrolment(status)}\n`);
  } finally {
    core.close();
  }
}
