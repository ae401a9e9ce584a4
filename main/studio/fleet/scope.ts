import type { Caller, StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';

/**
 * Whose fleet data a caller may read: a manager their own team only (assigned by an admin),
 * everyone else the whole fleet. Every fleet query takes this and filters by it.
 */
export type FleetScope = { team: string | null };

export async function fleetScope(ctx: StudioContext, caller: Caller): Promise<FleetScope> {
  const user = caller.user;
  if (!user) throw new StudioError('unauthenticated', 'Sign in first.');
  if (user.role !== 'manager') return { team: null };
  const row = await ctx.db
    .selectFrom('fleet_manager_teams')
    .select('team')
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (!row) throw new StudioError('forbidden', 'No team is assigned to you yet; ask an admin to assign one.');
  return { team: row.team };
}
