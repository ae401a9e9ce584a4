import { createHash, randomInt, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { z } from 'zod';
import { normaliseEnrolCode } from '#shared/enrol-link';
import { enrolRequest, FLEET_PATHS, type EnrolAnswer, type FleetIdentity } from '#shared/fleet';
import type { CodeView, CreatedCode, DeviceView } from '#shared/studio-fleet';
import { recordAudit } from '../audit.ts';
import type { Caller, StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { channelId, requireChannel } from '../library/routes.ts';
import { ensureChannelKey } from '../releases/channel-keys.ts';
import { DeviceRefusal, newDeviceCredential, secretHash } from './device-auth.ts';
import type { FleetScope } from './scope.ts';

/** Letters a person can read back over the phone: no 0/O, 1/I/L, U. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const CODE_LENGTH = 10;

/** A code as typed: case, spaces and dashes do not matter. */
const codeHash = (code: string) => createHash('sha256').update(normaliseEnrolCode(code), 'utf8').digest('hex');

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

const text = (max: number) => z.string().trim().min(1).max(max);

/** What every code sets beside whom it is for: region, channel, and how long it is valid (a week unless told). */
const codeTerms = {
  region: text(200).nullable().default(null),
  channel: channelId.default('default'),
  expiresInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24 * 7),
};

export const codeRequest = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('rep'),
      name: text(200),
      email: z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254)),
      team: text(200),
      ...codeTerms,
    })
    .strict(),
  z
    .object({
      kind: z.literal('booth'),
      event: text(200),
      team: text(200).nullable().default(null),
      ...codeTerms,
    })
    .strict(),
]);
export type CodeRequest = z.infer<typeof codeRequest>;

/** A new single-use code; a manager may only make codes for their own team's reps. */
export async function createCode(
  ctx: StudioContext,
  caller: Caller,
  scope: FleetScope,
  input: CodeRequest,
): Promise<CreatedCode> {
  if (scope.team !== null && input.team !== scope.team)
    throw new StudioError('forbidden', `You may enrol devices for your team (${scope.team}) only.`);
  await requireChannel(ctx, input.channel);
  const code = newCode();
  const now = ctx.now();
  const row = {
    id: randomUUID(),
    code_hash: codeHash(code),
    kind: input.kind,
    rep_name: input.kind === 'rep' ? input.name : null,
    rep_email: input.kind === 'rep' ? input.email : null,
    booth_event: input.kind === 'booth' ? input.event : null,
    team: input.team,
    region: input.region,
    channel: input.channel,
    created_by: caller.user!.id,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + input.expiresInHours * 3_600_000).toISOString(),
    used_at: null,
    device_id: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('fleet_codes').values(row).execute();
    await recordAudit(trx, {
      at: now,
      userId: caller.user!.id,
      action: 'enrolment-code-created',
      subject: row.id,
      // No e-mail here: an erased rep must not live on in the audit log.
      detail: { kind: row.kind, team: row.team, event: row.booth_event },
    });
  });
  const enrolUrl = `${caller.origin}/enrol?code=${encodeURIComponent(code)}`;
  const qrSvg = await QRCode.toString(enrolUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { id: row.id, code, expiresAt: row.expires_at, enrolUrl, qrSvg };
}

export async function listCodes(ctx: StudioContext, scope: FleetScope): Promise<CodeView[]> {
  let query = ctx.db.selectFrom('fleet_codes').selectAll().orderBy('created_at', 'desc').limit(500);
  if (scope.team !== null) query = query.where('team', '=', scope.team);
  const now = ctx.now().toISOString();
  return (await query.execute()).map((r) => ({
    id: r.id,
    kind: r.kind as CodeView['kind'],
    repName: r.rep_name,
    repEmail: r.rep_email,
    event: r.booth_event,
    team: r.team,
    region: r.region,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    deviceId: r.device_id,
    state: r.used_at ? 'used' : r.expires_at <= now ? 'expired' : 'waiting',
  }));
}

const ENROL_FAILURES_ALLOWED = 20;
const ENROL_WINDOW_MS = 15 * 60_000;

/**
 * `POST /api/fleet/enrol`: the code is the credential, so a wrong one counts against the
 * address (guessing codes runs into the limit) and a right one is spent in the same
 * transaction that creates the device, so two devices racing for one code get one device.
 */
export async function enrol(
  ctx: StudioContext,
  caller: Pick<Caller, 'origin' | 'address'>,
  body: unknown,
): Promise<EnrolAnswer> {
  const parsed = enrolRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeviceRefusal(400, 'bad-request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const { code, device } = parsed.data;
  const now = ctx.now();
  const subject = `enrol:${caller.address}`;
  const failures = await ctx.db
    .selectFrom('sign_in_failures')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('subject', '=', subject)
    .where('at', '>', new Date(now.getTime() - ENROL_WINDOW_MS).toISOString())
    .executeTakeFirstOrThrow();
  if (Number(failures.n) >= ENROL_FAILURES_ALLOWED)
    throw new DeviceRefusal(429, 'rate-limited', 'Too many wrong enrolment codes from this address; wait 15 minutes.');

  const { deviceId, secret, credential } = newDeviceCredential();
  const enrolled = await ctx.db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable('fleet_codes')
      .set({ used_at: now.toISOString(), device_id: deviceId })
      .where('code_hash', '=', codeHash(code))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returningAll()
      .executeTakeFirst();
    if (!spent) return null;
    await trx
      .insertInto('fleet_devices')
      .values({
        id: deviceId,
        kind: spent.kind,
        rep_name: spent.rep_name,
        rep_email: spent.rep_email,
        booth_event: spent.booth_event,
        team: spent.team,
        region: spent.region,
        channel: spent.channel,
        name: device.name,
        platform: device.platform,
        app_version: device.appVersion,
        profile_kind: device.profileKind,
        credential_hash: secretHash(secret),
        enrolled_at: now.toISOString(),
        revoked_at: null,
        revoked_by: null,
        last_seen_at: now.toISOString(),
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      userId: null,
      action: 'device-enrolled',
      subject: deviceId,
      detail: { code: spent.id, name: device.name, address: caller.address },
    });
    return spent;
  });
  if (!enrolled) {
    await ctx.db.insertInto('sign_in_failures').values({ id: randomUUID(), subject, at: now.toISOString() }).execute();
    throw new DeviceRefusal(400, 'invalid-code', 'This enrolment code is wrong, used already or expired.');
  }
  const identity: FleetIdentity = {
    deviceId,
    rep: enrolled.rep_name !== null ? { name: enrolled.rep_name, email: enrolled.rep_email ?? '' } : null,
    booth: enrolled.booth_event !== null ? { event: enrolled.booth_event } : null,
    team: enrolled.team,
    region: enrolled.region,
  };
  const publicKey = await ensureChannelKey(ctx.dataDir, enrolled.channel);
  return {
    identity,
    credential,
    channel: { url: `${caller.origin}/channels/${enrolled.channel}/`, publicKeys: [publicKey] },
    ingestUrl: `${caller.origin}${FLEET_PATHS.ingest}`,
    feedUrl: `${caller.origin}${FLEET_PATHS.feed}`,
  };
}

export async function listDevices(ctx: StudioContext, scope: FleetScope): Promise<DeviceView[]> {
  let query = ctx.db
    .selectFrom('fleet_devices as d')
    .leftJoin('fleet_device_status as s', 's.device_id', 'd.id')
    .select([
      'd.id',
      'd.kind',
      'd.name',
      'd.rep_name',
      'd.rep_email',
      'd.booth_event',
      'd.team',
      'd.region',
      'd.platform',
      'd.app_version',
      'd.profile_kind',
      'd.enrolled_at',
      'd.last_seen_at',
      'd.revoked_at',
      'd.disconnected_at',
      's.release_version',
      's.last_sync_at',
      's.app_version as status_app_version',
    ])
    .orderBy('d.enrolled_at', 'desc')
    .limit(20_000);
  if (scope.team !== null) query = query.where('d.team', '=', scope.team);
  return (await query.execute()).map((r) => ({
    id: r.id,
    kind: r.kind as DeviceView['kind'],
    name: r.name,
    repName: r.rep_name,
    repEmail: r.rep_email,
    event: r.booth_event,
    team: r.team,
    region: r.region,
    platform: r.platform,
    appVersion: r.status_app_version ?? r.app_version,
    profileKind: r.profile_kind,
    enrolledAt: r.enrolled_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
    disconnectedAt: r.disconnected_at ?? null,
    releaseVersion: r.release_version === null ? null : Number(r.release_version),
    lastSyncAt: r.last_sync_at ?? null,
  }));
}

/**
 * The device disconnected itself: from now on its credential is refused like a revoked one's;
 * what it stored so far stays. Repeated (a notice sent again after a lost answer), it changes nothing.
 */
export async function deviceDisconnected(
  ctx: StudioContext,
  deviceId: string,
): Promise<{ deviceId: string; disconnectedAt: string }> {
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const device = await trx
      .selectFrom('fleet_devices')
      .select(['revoked_at', 'disconnected_at'])
      .where('id', '=', deviceId)
      .executeTakeFirstOrThrow();
    if (device.disconnected_at) return;
    await trx
      .updateTable('fleet_devices')
      .set(device.revoked_at ? { disconnected_at: at } : { disconnected_at: at, revoked_at: at, revoked_by: 'device' })
      .where('id', '=', deviceId)
      .execute();
    await recordAudit(trx, { at: ctx.now(), userId: null, action: 'device-disconnected', subject: deviceId });
  });
  const row = await ctx.db
    .selectFrom('fleet_devices')
    .select('disconnected_at')
    .where('id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return { deviceId, disconnectedAt: row.disconnected_at ?? at };
}

/** Revoking refuses the device's uploads from now on; what it stored so far stays. */
export async function revokeDevice(
  ctx: StudioContext,
  caller: Caller,
  scope: FleetScope,
  deviceId: string,
): Promise<{ id: string; revokedAt: string }> {
  const device = await ctx.db
    .selectFrom('fleet_devices')
    .select(['id', 'team', 'revoked_at'])
    .where('id', '=', deviceId)
    .executeTakeFirst();
  if (!device || (scope.team !== null && device.team !== scope.team))
    throw new StudioError('not-found', `No device ${deviceId}.`);
  if (device.revoked_at) return { id: device.id, revokedAt: device.revoked_at };
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('fleet_devices')
      .set({ revoked_at: at, revoked_by: caller.user!.id })
      .where('id', '=', deviceId)
      .execute();
    await recordAudit(trx, { at: ctx.now(), userId: caller.user!.id, action: 'device-revoked', subject: deviceId });
  });
  return { id: deviceId, revokedAt: at };
}
