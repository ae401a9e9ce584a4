import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { roles, type Role } from '../roles.ts';
import { hashPassword } from './passwords.ts';
import { tokenHash } from './sessions.ts';
import type { UserView } from '#shared/studio';

export const email = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));
export const password = z.string().min(12, 'a password has at least 12 characters').max(512);
export const role = z.enum(roles);
export const personName = z.string().trim().min(1).max(200);

export type { UserView } from '#shared/studio';

export async function createUser(
  ctx: StudioContext,
  input: { email: string; name: string; role: Role; password: string },
  actorId: string | null,
): Promise<UserView> {
  const existing = await ctx.db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) throw new StudioError('conflict', `${input.email} already has an account.`);
  const user = {
    id: randomUUID(),
    email: input.email,
    name: input.name,
    role: input.role,
    password_hash: await hashPassword(input.password, ctx.config.scryptCost),
    created_at: ctx.now().toISOString(),
    disabled: 0,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(user).execute();
    await recordAudit(trx, {
      at: ctx.now(),
      userId: actorId,
      action: 'user-created',
      subject: user.id,
      detail: { email: user.email, role: user.role },
    });
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: input.role,
    disabled: false,
    createdAt: user.created_at,
  };
}

export async function countUsers(ctx: StudioContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The one-time set-up link of a Studio with nobody in it: a new token on every start (the old
 * ones stop working), valid for a day, gone once the first admin exists.
 */
export async function issueSetupToken(ctx: StudioContext): Promise<string | null> {
  if ((await countUsers(ctx)) > 0) return null;
  const token = randomBytes(24).toString('base64url');
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('setup_tokens').execute();
    await trx
      .insertInto('setup_tokens')
      .values({ token_hash: tokenHash(token), expires_at: new Date(ctx.now().getTime() + 86_400_000).toISOString() })
      .execute();
  });
  return token;
}
