import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { StudioContext, SignedInUser } from '../context.ts';
import { roles, type Role } from '../roles.ts';

export const sessionCookie = 'studio_session';

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function readCookie(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || null;
  }
  return null;
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure behind TLS. */
export function sessionCookieHeader(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${sessionCookie}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export async function createSession(ctx: StudioContext, userId: string): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await ctx.db
    .insertInto('sessions')
    .values({
      id_hash: tokenHash(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ctx.config.sessionMs).toISOString(),
    })
    .execute();
  return { token, csrfToken };
}

/** The signed-in user behind a request's cookie, or null: the role always comes from the database. */
export async function sessionOf(
  ctx: StudioContext,
  request: IncomingMessage,
): Promise<{ user: SignedInUser; idHash: string; csrfToken: string } | null> {
  const token = readCookie(request, sessionCookie);
  if (!token || token.length > 200) return null;
  const idHash = tokenHash(token);
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.disabled',
      'sessions.csrf_token',
      'sessions.expires_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at <= ctx.now().toISOString() || !roles.includes(row.role as Role))
    return null;
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role as Role },
    idHash,
    csrfToken: row.csrf_token,
  };
}

export function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
