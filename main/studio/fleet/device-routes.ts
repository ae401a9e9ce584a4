import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { FLEET_PATHS, type FleetFeed } from '#shared/fleet';
import type { Standing } from '#shared/standing';
import { route, type Caller, type RawResponse, type Routes, type StudioContext } from '../context.ts';
import { StudioError, studioErrorStatus } from '../errors.ts';
import { authenticateDevice, DeviceRefusal } from './device-auth.ts';
import { forwardedFor } from '../forwarding/routes.ts';
import { deviceDisconnected, enrol } from './enrolment.ts';
import { ingest, MAX_INGEST_BYTES, readDeviceJson } from './ingest.ts';
import { standingOf } from '../points/points.ts';

export const json = (status: number, value: unknown): RawResponse => ({
  raw: true,
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  body: Buffer.from(JSON.stringify(value), 'utf8'),
});

/**
 * The three calls a device makes answer in the wire shapes of main/shared/fleet.ts: the answer
 * itself on success, `{ error, message }` on refusal (403 `revoked`, 401 `unauthorized` …),
 * instead of the envelope the Studio UI's API uses.
 */
export function deviceCall(
  run: (ctx: StudioContext, caller: Caller, request: IncomingMessage) => Promise<unknown>,
): (ctx: StudioContext, caller: Caller, args: unknown, request: IncomingMessage) => Promise<RawResponse> {
  return async (ctx, caller, _args, request) => {
    try {
      return json(200, await run(ctx, caller, request));
    } catch (error) {
      if (!request.readableEnded) request.resume();
      if (error instanceof DeviceRefusal)
        return json(error.status, { ...error.detail, error: error.error, message: error.message });
      if (error instanceof StudioError)
        return json(studioErrorStatus[error.code], { error: error.code, message: error.message });
      throw error;
    }
  };
}

const ENROL_BODY_LIMIT = 16 * 1024;

export const deviceRoutes: Routes = {
  'fleet.enrol': route({
    method: 'POST',
    path: FLEET_PATHS.enrol,
    args: z.object({}).strict(),
    body: 'stream',
    run: deviceCall(async (ctx, caller, request) =>
      enrol(ctx, caller, await readDeviceJson(request, ENROL_BODY_LIMIT)),
    ),
  }),
  'fleet.ingest': route({
    method: 'POST',
    path: FLEET_PATHS.ingest,
    args: z.object({}).strict(),
    body: 'stream',
    run: deviceCall(async (ctx, _caller, request) => {
      const device = await authenticateDevice(ctx, request);
      const key = request.headers['idempotency-key'];
      return ingest(
        ctx,
        device,
        typeof key === 'string' ? key : undefined,
        await readDeviceJson(request, MAX_INGEST_BYTES),
      );
    }),
  }),
  'fleet.disconnect': route({
    method: 'POST',
    path: FLEET_PATHS.disconnect,
    args: z.object({}).strict(),
    body: 'stream',
    run: deviceCall(async (ctx, _caller, request) => {
      // A device Studio revoked first may still say it left: the devices list shows both.
      const device = await authenticateDevice(ctx, request, { allowRevoked: true });
      request.resume();
      return deviceDisconnected(ctx, device.id);
    }),
  }),
  'fleet.feed': route({
    method: 'GET',
    path: FLEET_PATHS.feed,
    args: z.object({}).strict(),
    run: deviceCall(async (ctx, _caller, request): Promise<FleetFeed> => {
      // A revoked device still reads its feed: that is how it learns it was revoked.
      const device = await authenticateDevice(ctx, request, { allowRevoked: true });
      if (!device.revoked)
        await ctx.db
          .updateTable('fleet_devices')
          .set({ last_seen_at: ctx.now().toISOString() })
          .where('id', '=', device.id)
          .execute();
      return {
        deviceId: device.id,
        revoked: device.revoked,
        generatedAt: ctx.now().toISOString(),
        // A booth's staff see whether each lead reached the CRM Studio forwards to.
        ...(device.revoked ? {} : { forwarded: await forwardedFor(ctx, device.id) }),
      };
    }),
  }),
  'fleet.standing': route({
    method: 'GET',
    path: FLEET_PATHS.standing,
    args: z.object({}).strict(),
    run: deviceCall(async (ctx, _caller, request): Promise<Standing> => {
      const device = await authenticateDevice(ctx, request);
      // A booth has no rep: nothing of anyone's standing is its business.
      if (!device.rep) throw new StudioError('forbidden', 'A booth has no standing: points are for reps.');
      return standingOf(ctx, device.rep, device.team);
    }),
  }),
};
