import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import { route, type Routes } from '../context.ts';
import { StudioError } from '../errors.ts';
import { createCode, codeRequest, listCodes, listDevices, revokeDevice } from './enrolment.ts';
import { eraseSubject, exportSubject, privacySubject } from './privacy.ts';
import { fleetScope } from './scope.ts';

const deviceId = z.string().min(1).max(64);

/** What people do with the fleet in Studio's UI: codes, devices, managers' teams. */
export const fleetAdminRoutes: Routes = {
  'fleet.codes.create': route({
    method: 'POST',
    path: '/api/fleet/codes',
    args: codeRequest,
    async run(ctx, caller, args) {
      return createCode(ctx, caller, await fleetScope(ctx, caller), args);
    },
  }),
  'fleet.codes.list': route({
    method: 'GET',
    path: '/api/fleet/codes',
    args: z.object({}).strict(),
    async run(ctx, caller) {
      return listCodes(ctx, await fleetScope(ctx, caller));
    },
  }),
  'fleet.devices.list': route({
    method: 'GET',
    path: '/api/fleet/devices',
    args: z.object({}).strict(),
    async run(ctx, caller) {
      return listDevices(ctx, await fleetScope(ctx, caller));
    },
  }),
  'fleet.devices.revoke': route({
    method: 'POST',
    path: '/api/fleet/devices/:device/revoke',
    args: z.object({ device: deviceId }).strict(),
    async run(ctx, caller, args) {
      return revokeDevice(ctx, caller, await fleetScope(ctx, caller), args.device);
    },
  }),
  'fleet.managers.list': route({
    method: 'GET',
    path: '/api/fleet/managers',
    args: z.object({}).strict(),
    async run(ctx) {
      const rows = await ctx.db
        .selectFrom('users')
        .leftJoin('fleet_manager_teams', 'fleet_manager_teams.user_id', 'users.id')
        .select(['users.id', 'users.name', 'users.email', 'fleet_manager_teams.team'])
        .where('users.role', '=', 'manager')
        .orderBy('users.name')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, team: r.team ?? null }));
    },
  }),
  'fleet.managers.assign': route({
    method: 'PUT',
    path: '/api/fleet/managers/:user',
    args: z.object({ user: z.string().min(1).max(64), team: z.string().trim().min(1).max(200) }).strict(),
    async run(ctx, caller, args) {
      const user = await ctx.db
        .selectFrom('users')
        .select(['id', 'role'])
        .where('id', '=', args.user)
        .executeTakeFirst();
      if (!user) throw new StudioError('not-found', 'No such person.');
      if (user.role !== 'manager') throw new StudioError('bad-request', 'Only a manager has a team.');
      await ctx.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('fleet_manager_teams')
          .values({ user_id: args.user, team: args.team })
          .onConflict((oc) => oc.column('user_id').doUpdateSet({ team: args.team }))
          .execute();
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'manager-team-assigned',
          subject: args.user,
          detail: { team: args.team },
        });
      });
      return { id: args.user, team: args.team };
    },
  }),
  'fleet.privacy.export': route({
    method: 'GET',
    path: '/api/fleet/privacy/export',
    args: privacySubject,
    run: (ctx, caller, args) => exportSubject(ctx, caller, args),
  }),
  'fleet.privacy.erase': route({
    method: 'POST',
    path: '/api/fleet/privacy/erase',
    args: privacySubject,
    run: (ctx, caller, args) => eraseSubject(ctx, caller, args),
  }),
};
