import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import { route, type Caller, type CookieResponse, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { countUsers, createUser, email, password, personName, role, type UserView } from './accounts.ts';
import { decoyHash, verifyPassword } from './passwords.ts';
import { createSession, sessionCookieHeader, tokenHash } from './sessions.ts';
import type { SessionView } from '#shared/studio';
import type { Role } from '../roles.ts';

export type { SessionView } from '#shared/studio';

export const secure = (caller: Caller) => caller.origin.startsWith('https:');

async function recentFailures(ctx: StudioContext, subject: string): Promise<number> {
  const since = new Date(ctx.now().getTime() - ctx.config.signInWindowMs).toISOString();
  const row = await ctx.db
    .selectFrom('sign_in_failures')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('subject', '=', subject)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A new session for someone who proved who they are (password, set-up link or single sign-on). */
export async function startSession(
  ctx: StudioContext,
  caller: Caller,
  user: { id: string; email: string; name: string; role: string },
): Promise<CookieResponse<SessionView>> {
  const { token, csrfToken } = await createSession(ctx, user.id);
  return {
    value: { user: { ...user, role: user.role as Role }, csrfToken },
    setCookie: sessionCookieHeader(token, Math.floor(ctx.config.sessionMs / 1000), secure(caller)),
  };
}

function toUserView(row: {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: number;
  created_at: string;
}): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as UserView['role'],
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
  };
}

export async function twoPersonRule(ctx: StudioContext): Promise<boolean> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', 'twoPersonRule').executeTakeFirst();
  return row ? row.value === 'true' : true;
}

export const peopleRoutes: Routes = {
  'session.signIn': route({
    method: 'POST',
    path: '/api/session',
    args: z.object({ email, password: z.string().max(512) }).strict(),
    async run(ctx, caller, args) {
      // Counted per account and per address: guessing one account from many addresses, or many
      // accounts from one address, both run into the limit.
      const subjects = [`account:${args.email}`, `address:${caller.address}`];
      // An address may be an office behind one NAT: it gets more room than one account.
      const [accountFailures, addressFailures] = await Promise.all(subjects.map((s) => recentFailures(ctx, s)));
      if (
        accountFailures! >= ctx.config.signInFailuresAllowed ||
        addressFailures! >= ctx.config.signInFailuresAllowed * 5
      ) {
        await recordAudit(ctx.db, {
          at: ctx.now(),
          userId: null,
          action: 'sign-in-refused',
          subject: args.email,
          detail: { reason: 'rate-limited', address: caller.address },
        });
        throw new StudioError('rate-limited', 'Too many wrong passwords. Wait 15 minutes, or ask an admin.');
      }
      const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', args.email).executeTakeFirst();
      const good = await verifyPassword(args.password, user?.password_hash ?? (await decoyHash(ctx.config.scryptCost)));
      if (!user || !good || user.disabled) {
        const at = ctx.now().toISOString();
        await ctx.db
          .insertInto('sign_in_failures')
          .values(subjects.map((subject) => ({ id: randomUUID(), subject, at })))
          .execute();
        await recordAudit(ctx.db, {
          at: ctx.now(),
          userId: user?.id ?? null,
          action: 'sign-in-refused',
          subject: args.email,
          detail: { reason: 'wrong password', address: caller.address },
        });
        throw new StudioError('unauthenticated', 'Wrong e-mail or password.');
      }
      await ctx.db.deleteFrom('sign_in_failures').where('subject', '=', `account:${args.email}`).execute();
      // Housekeeping rides on sign-ins: old failures and expired sessions count for nothing.
      const now = ctx.now();
      await ctx.db
        .deleteFrom('sign_in_failures')
        .where('at', '<', new Date(now.getTime() - ctx.config.signInWindowMs).toISOString())
        .execute();
      await ctx.db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
      await recordAudit(ctx.db, {
        at: ctx.now(),
        userId: user.id,
        action: 'sign-in',
        subject: user.email,
        detail: { address: caller.address },
      });
      return startSession(ctx, caller, { id: user.id, email: user.email, name: user.name, role: user.role });
    },
  }),
  'session.get': route({
    method: 'GET',
    path: '/api/session',
    args: z.object({}).strict(),
    async run(_ctx, caller) {
      return { user: caller.user!, csrfToken: caller.csrfToken! } satisfies SessionView;
    },
  }),
  'session.signOut': route({
    method: 'DELETE',
    path: '/api/session',
    args: z.object({}).strict(),
    async run(ctx, caller) {
      if (caller.sessionIdHash)
        await ctx.db.deleteFrom('sessions').where('id_hash', '=', caller.sessionIdHash).execute();
      await recordAudit(ctx.db, {
        at: ctx.now(),
        userId: caller.user?.id ?? null,
        action: 'sign-out',
        subject: caller.user?.email ?? '',
      });
      return {
        value: { signedOut: true },
        setCookie: sessionCookieHeader('', 0, secure(caller)),
      } satisfies CookieResponse<unknown>;
    },
  }),
  'setup.status': route({
    method: 'GET',
    path: '/api/setup',
    args: z.object({}).strict(),
    async run(ctx) {
      return { needed: (await countUsers(ctx)) === 0 };
    },
  }),
  'setup.createAdmin': route({
    method: 'POST',
    path: '/api/setup',
    args: z.object({ token: z.string().min(10).max(200), email, name: personName, password }).strict(),
    async run(ctx, caller, args) {
      const row = await ctx.db
        .selectFrom('setup_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash(args.token))
        .executeTakeFirst();
      if (!row || row.expires_at <= ctx.now().toISOString() || (await countUsers(ctx)) > 0) {
        throw new StudioError(
          'forbidden',
          'This set-up link is no longer valid. Restart Studio for a new one, or use `pitchcase studio user add`.',
        );
      }
      await ctx.db.deleteFrom('setup_tokens').execute();
      const user = await createUser(
        ctx,
        { email: args.email, name: args.name, role: 'admin', password: args.password },
        null,
      );
      await recordAudit(ctx.db, { at: ctx.now(), userId: user.id, action: 'setup', subject: user.email });
      return startSession(ctx, caller, user);
    },
  }),
  'users.list': route({
    method: 'GET',
    path: '/api/users',
    args: z.object({}).strict(),
    async run(ctx) {
      const rows = await ctx.db.selectFrom('users').selectAll().orderBy('email').execute();
      return rows.map(toUserView);
    },
  }),
  'users.create': route({
    method: 'POST',
    path: '/api/users',
    args: z.object({ email, name: personName, role, password }).strict(),
    async run(ctx, caller, args) {
      return createUser(ctx, args, caller.user!.id);
    },
  }),
  'users.update': route({
    method: 'PATCH',
    path: '/api/users/:id',
    args: z.object({ id: z.uuid(), role: role.optional(), disabled: z.boolean().optional() }).strict(),
    async run(ctx, caller, args) {
      const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', args.id).executeTakeFirst();
      if (!user) throw new StudioError('not-found', 'No such user.');
      if (args.id === caller.user!.id && ((args.role !== undefined && args.role !== 'admin') || args.disabled)) {
        throw new StudioError('conflict', 'You cannot demote or disable yourself; ask another admin.');
      }
      await ctx.db.transaction().execute(async (trx) => {
        if (args.role !== undefined && args.role !== user.role) {
          await trx.updateTable('users').set({ role: args.role }).where('id', '=', args.id).execute();
          await recordAudit(trx, {
            at: ctx.now(),
            userId: caller.user!.id,
            action: 'role-changed',
            subject: user.id,
            detail: { email: user.email, from: user.role, to: args.role },
          });
        }
        if (args.disabled !== undefined && (args.disabled ? 1 : 0) !== user.disabled) {
          await trx
            .updateTable('users')
            .set({ disabled: args.disabled ? 1 : 0 })
            .where('id', '=', args.id)
            .execute();
          if (args.disabled) await trx.deleteFrom('sessions').where('user_id', '=', args.id).execute();
          await recordAudit(trx, {
            at: ctx.now(),
            userId: caller.user!.id,
            action: 'user-disabled',
            subject: user.id,
            detail: { email: user.email, disabled: args.disabled },
          });
        }
      });
      const after = await ctx.db.selectFrom('users').selectAll().where('id', '=', args.id).executeTakeFirstOrThrow();
      return toUserView(after);
    },
  }),
  'audit.list': route({
    method: 'GET',
    path: '/api/audit',
    args: z
      .object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.string().max(40).optional() })
      .strict(),
    async run(ctx, _caller, args) {
      let query = ctx.db
        .selectFrom('audit')
        .leftJoin('users', 'users.id', 'audit.user_id')
        .select(['audit.id', 'audit.at', 'audit.action', 'audit.subject', 'audit.detail', 'users.email as userEmail'])
        .orderBy('audit.at', 'desc')
        .orderBy('audit.id', 'desc')
        .limit(args.limit);
      if (args.before) query = query.where('audit.at', '<', args.before);
      const rows = await query.execute();
      return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown }));
    },
  }),
  'settings.get': route({
    method: 'GET',
    path: '/api/settings',
    args: z.object({}).strict(),
    async run(ctx) {
      return { twoPersonRule: await twoPersonRule(ctx) };
    },
  }),
  'settings.update': route({
    method: 'PATCH',
    path: '/api/settings',
    args: z.object({ twoPersonRule: z.boolean() }).strict(),
    async run(ctx, caller, args) {
      await ctx.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('settings').where('key', '=', 'twoPersonRule').execute();
        await trx
          .insertInto('settings')
          .values({ key: 'twoPersonRule', value: String(args.twoPersonRule) })
          .execute();
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'settings-changed',
          subject: 'twoPersonRule',
          detail: { value: args.twoPersonRule },
        });
      });
      return { twoPersonRule: args.twoPersonRule };
    },
  }),
};
