import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DEVICE_AUTH_SCHEME } from '#shared/fleet';
import type { StudioContext } from '../context.ts';
import { sqliteStatement } from '../database/connection.ts';
import type { FleetDeviceTable } from './tables.ts';

type Row = Pick<
  FleetDeviceTable,
  'id' | 'rep_email' | 'booth_event' | 'team' | 'region' | 'credential_hash' | 'revoked_at'
>;

/** Why a device call is refused: the wire says `{ error }` with these words (see main/shared/fleet.ts). */
export class DeviceRefusal extends Error {
  override readonly name = 'DeviceRefusal';
  constructor(
    readonly status: number,
    readonly error:
      | 'unauthorized'
      | 'revoked'
      | 'bad-request'
      | 'invalid-code'
      | 'too-large'
      | 'rate-limited'
      | 'not-found'
      | 'conflict'
      | 'checksum',
    message: string,
    /** More of the answer, for the device to act on (an upload's offset on a conflict). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const secretHash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A new device's id and secret; the credential is `<id>.<secret>`. */
export function newDeviceCredential(): { deviceId: string; secret: string; credential: string } {
  const deviceId = `dev_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  return { deviceId, secret, credential: `${deviceId}.${secret}` };
}

/** The device as Studio enrolled it: its rep, booth, team and region are Studio's word, not the record's. */
export interface AuthenticatedDevice {
  id: string;
  rep: string | null;
  booth: string | null;
  team: string | null;
  region: string | null;
  revoked: boolean;
}

/**
 * The device behind `Authorization: Device <id>.<secret>`: unknown or wrong is 401, revoked is
 * 403 `revoked` unless the caller only wants to tell the device so (the feed).
 */
export async function authenticateDevice(
  ctx: StudioContext,
  request: IncomingMessage,
  options: { allowRevoked?: boolean } = {},
): Promise<AuthenticatedDevice> {
  const header = request.headers.authorization ?? '';
  const match = new RegExp(`^${DEVICE_AUTH_SCHEME} ([A-Za-z0-9_-]{1,64})\\.([A-Za-z0-9_-]{16,256})$`).exec(header);
  if (!match) throw new DeviceRefusal(401, 'unauthorized', `Send Authorization: ${DEVICE_AUTH_SCHEME} <credential>.`);
  const select = sqliteStatement(
    ctx.db,
    'SELECT id, rep_email, booth_event, team, region, credential_hash, revoked_at FROM fleet_devices WHERE id = ?',
    { outside: true },
  );
  const device = select
    ? (select.get(match[1]!) as Row | undefined)
    : await ctx.db
        .selectFrom('fleet_devices')
        .select(['id', 'rep_email', 'booth_event', 'team', 'region', 'credential_hash', 'revoked_at'])
        .where('id', '=', match[1]!)
        .executeTakeFirst();
  const given = Buffer.from(secretHash(match[2]!), 'hex');
  const stored = Buffer.from(device?.credential_hash ?? '0'.repeat(64), 'hex');
  if (!device || !timingSafeEqual(given, stored))
    throw new DeviceRefusal(401, 'unauthorized', 'This device credential is not known to Studio.');
  if (device.revoked_at && !options.allowRevoked)
    throw new DeviceRefusal(403, 'revoked', 'This device was revoked in Studio; it sends nothing more.');
  return {
    id: device.id,
    rep: device.rep_email,
    booth: device.booth_event,
    team: device.team,
    region: device.region,
    revoked: device.revoked_at !== null,
  };
}
