import { createHash, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { SignInOptions, SsoSettingsView } from '#shared/studio';
import { recordAudit } from '../audit.ts';
import { route, type Caller, type RawResponse, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { roles, type Role } from '../roles.ts';
import { role as roleSchema } from './accounts.ts';
import { secure, startSession } from './routes.ts';
import { readCookie, sameToken, tokenHash } from './sessions.ts';

/**
 * Single sign-on with OpenID Connect (Entra ID, Okta, Google, any certified provider), through
 * openid-client: authorization code with PKCE, state and nonce checked, the ID token verified
 * by the library. Someone the provider vouches for signs in to the account invited under their
 * verified e-mail (linked to the provider's subject the first time), or, when an admin chose a
 * default role, gets a new account with it. Local accounts keep working beside it.
 *
 * The settings live in the database (one provider per Studio); the client secret is stored
 * there too and never sent back to any browser.
 */
interface SsoSettings {
  enabled: boolean;
  issuer: string;
  clientId: string;
  label: string;
  defaultRole: Role | null;
}

const settingsKey = 'sso';
const secretKey = 'sso.clientSecret';
const stateCookie = 'studio_sso';
const flowMs = 10 * 60_000;
/** No password matches this: the account signs in through the provider only. */
const noPassword = 'sso-only';

async function readSetting(ctx: StudioContext, key: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function loadSsoSettings(ctx: StudioContext): Promise<SsoSettings | null> {
  const value = await readSetting(ctx, settingsKey);
  return value ? (JSON.parse(value) as SsoSettings) : null;
}

const redirectUriOf = (caller: Caller) => `${caller.origin}/api/sso/callback`;

/** Plain http only for a provider on this machine (tests, a local Keycloak); anything else is TLS. */
function isLoopback(issuer: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
}

const discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

/** The provider's metadata and keys, fetched once an hour (and again after the settings change). */
function providerConfig(settings: SsoSettings, secret: string): Promise<oidc.Configuration> {
  const key = createHash('sha256')
    .update(JSON.stringify([settings.issuer, settings.clientId, secret]))
    .digest('hex');
  const cached = discovered.get(key);
  if (cached && Date.now() - cached.at < 3_600_000) return cached.config;
  const issuer = new URL(settings.issuer);
  const config = oidc.discovery(
    issuer,
    settings.clientId,
    undefined,
    oidc.ClientSecretBasic(secret),
    isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
  );
  discovered.set(key, { at: Date.now(), config });
  config.catch(() => discovered.delete(key));
  return config;
}

function redirect(location: string, setCookie?: string): RawResponse {
  return {
    raw: true,
    status: 303,
    headers: { Location: location, 'Cache-Control': 'no-store', ...(setCookie ? { 'Set-Cookie': setCookie } : {}) },
    body: null,
  };
}

/** Back to the sign-in page with a sentence it shows; the fragment never reaches a server log. */
const refusedTo = (message: string) => redirect(`/#sso-error=${encodeURIComponent(message)}`);

async function refuse(ctx: StudioContext, caller: Caller, subject: string, reason: string, message: string) {
  await recordAudit(ctx.db, {
    at: ctx.now(),
    userId: null,
    action: 'sign-in-refused',
    subject,
    detail: { method: 'sso', reason, address: caller.address },
  });
  return refusedTo(message);
}

/** Entra ID marks an e-mail its tenant owns with xms_edov instead of email_verified. */
function verifiedEmail(claims: oidc.IDToken): string | null {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
  if (!email || !z.email().safeParse(email).success) return null;
  return claims.email_verified === true || claims.xms_edov === true ? email : null;
}

/** The account a provider's identity signs in to, linking or creating it as the settings allow. */
async function accountFor(
  ctx: StudioContext,
  settings: SsoSettings,
  claims: oidc.IDToken,
): Promise<
  | { user: { id: string; email: string; name: string; role: string; disabled: number } }
  | { refused: string; message: string }
> {
  const linked = await ctx.db
    .selectFrom('sso_identities')
    .innerJoin('users', 'users.id', 'sso_identities.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.role', 'users.disabled'])
    .where('sso_identities.issuer', '=', claims.iss)
    .where('sso_identities.subject', '=', claims.sub)
    .executeTakeFirst();
  if (linked) return { user: linked };
  const email = verifiedEmail(claims);
  if (!email)
    return {
      refused: 'no verified e-mail',
      message:
        'Your sign-in provider did not vouch for an e-mail address, so Studio cannot tell which account is yours.',
    };
  const now = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    let user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'disabled'])
      .where('email', '=', email)
      .executeTakeFirst();
    if (!user) {
      if (!settings.defaultRole)
        return {
          refused: 'not invited',
          message: `${email} has no Studio account. Ask an admin to invite you.`,
        };
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;
      user = { id: randomUUID(), email, name, role: settings.defaultRole, disabled: 0 };
      await trx
        .insertInto('users')
        .values({ ...user, password_hash: noPassword, created_at: now })
        .execute();
      await recordAudit(trx, {
        at: ctx.now(),
        userId: null,
        action: 'user-created',
        subject: user.id,
        detail: { email, role: user.role, via: 'sso', issuer: claims.iss },
      });
    }
    await trx
      .insertInto('sso_identities')
      .values({ issuer: claims.iss, subject: claims.sub, user_id: user.id, created_at: now })
      .execute();
    return { user };
  });
}

const settingsArgs = z
  .object({
    enabled: z.boolean(),
    issuer: z.url({ protocol: /^https?$/ }).max(500),
    clientId: z.string().trim().min(1).max(500),
    /** Absent: keep the stored one. */
    clientSecret: z.string().min(1).max(2000).optional(),
    label: z.string().trim().min(1).max(80).default('your company account'),
    defaultRole: roleSchema.nullable().default(null),
  })
  .strict();

export const ssoRoutes: Routes = {
  'sso.options': route({
    method: 'GET',
    path: '/api/sso',
    args: z.object({}).strict(),
    async run(ctx) {
      const settings = await loadSsoSettings(ctx);
      return { sso: settings?.enabled ? { label: settings.label } : null } satisfies SignInOptions;
    },
  }),
  'sso.start': route({
    method: 'GET',
    path: '/api/sso/start',
    args: z.object({}).strict(),
    async run(ctx, caller) {
      const settings = await loadSsoSettings(ctx);
      const secret = await readSetting(ctx, secretKey);
      if (!settings?.enabled || !secret) return refusedTo('Single sign-on is not set up in this Studio.');
      let config: oidc.Configuration;
      try {
        config = await providerConfig(settings, secret);
      } catch (error) {
        return refusedTo(`The sign-in provider could not be reached: ${(error as Error).message}`);
      }
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const now = ctx.now();
      await ctx.db
        .deleteFrom('sso_logins')
        .where('created_at', '<', new Date(now.getTime() - flowMs).toISOString())
        .execute();
      await ctx.db
        .insertInto('sso_logins')
        .values({ state_hash: tokenHash(state), code_verifier: codeVerifier, nonce, created_at: now.toISOString() })
        .execute();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUriOf(caller),
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      // The state also waits in this browser: a callback carried to another browser is refused.
      // Lax, because the provider sends the browser back with a top-level cross-site redirect.
      const cookie = `${stateCookie}=${state}; Path=/api/sso/callback; HttpOnly; SameSite=Lax; Max-Age=${flowMs / 1000}${secure(caller) ? '; Secure' : ''}`;
      return redirect(url.href, cookie);
    },
  }),
  'sso.callback': route({
    method: 'GET',
    path: '/api/sso/callback',
    // Providers add parameters of their own (session_state, iss); all are strings.
    args: z.record(z.string().max(100), z.string().max(8192)),
    async run(ctx, caller, args, request) {
      const settings = await loadSsoSettings(ctx);
      const secret = await readSetting(ctx, secretKey);
      if (!settings?.enabled || !secret) return refusedTo('Single sign-on is not set up in this Studio.');
      if (args.error)
        return refuse(
          ctx,
          caller,
          '',
          `provider: ${args.error}`,
          args.error_description ?? `The provider said: ${args.error}`,
        );
      const state = args.state ?? '';
      if (!sameToken(readCookie(request, stateCookie), state))
        return refuse(
          ctx,
          caller,
          '',
          'state mismatch',
          'This sign-in was started in another browser or has expired; try again.',
        );
      const flow = await ctx.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('sso_logins')
          .selectAll()
          .where('state_hash', '=', tokenHash(state))
          .executeTakeFirst();
        if (row) await trx.deleteFrom('sso_logins').where('state_hash', '=', row.state_hash).execute();
        return row;
      });
      if (!flow || new Date(flow.created_at).getTime() < ctx.now().getTime() - flowMs)
        return refuse(
          ctx,
          caller,
          '',
          'unknown or used state',
          'This sign-in link was already used or has expired; try again.',
        );
      let claims: oidc.IDToken | undefined;
      try {
        const config = await providerConfig(settings, secret);
        const tokens = await oidc.authorizationCodeGrant(config, new URL(request.url ?? '/', caller.origin), {
          pkceCodeVerifier: flow.code_verifier,
          expectedState: state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
        // Some providers put the e-mail only in the UserInfo answer (the spec's default).
        if (claims && typeof claims.email !== 'string' && config.serverMetadata().userinfo_endpoint) {
          const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
          claims = {
            ...claims,
            ...(typeof info.email === 'string' ? { email: info.email } : {}),
            ...(typeof info.email_verified === 'boolean' ? { email_verified: info.email_verified } : {}),
            ...(typeof info.name === 'string' && !claims.name ? { name: info.name } : {}),
          };
        }
      } catch (error) {
        return refuse(
          ctx,
          caller,
          '',
          `token: ${(error as Error).message}`,
          'The sign-in provider’s answer did not check out; try again.',
        );
      }
      if (!claims) return refuse(ctx, caller, '', 'no ID token', 'The sign-in provider sent no identity.');
      const found = await accountFor(ctx, settings, claims);
      if ('refused' in found)
        return refuse(
          ctx,
          caller,
          typeof claims.email === 'string' ? claims.email : claims.sub,
          found.refused,
          found.message,
        );
      if (found.user.disabled || !roles.includes(found.user.role as Role))
        return refuse(ctx, caller, found.user.email, 'disabled', 'Your Studio account is disabled; ask an admin.');
      await recordAudit(ctx.db, {
        at: ctx.now(),
        userId: found.user.id,
        action: 'sign-in',
        subject: found.user.email,
        detail: { method: 'sso', issuer: claims.iss, address: caller.address },
      });
      const session = await startSession(ctx, caller, found.user);
      return redirect('/', session.setCookie);
    },
  }),
  'sso.settings': route({
    method: 'GET',
    path: '/api/sso/settings',
    args: z.object({}).strict(),
    async run(ctx, caller) {
      const settings = await loadSsoSettings(ctx);
      return {
        enabled: settings?.enabled ?? false,
        issuer: settings?.issuer ?? '',
        clientId: settings?.clientId ?? '',
        hasClientSecret: (await readSetting(ctx, secretKey)) !== null,
        label: settings?.label ?? 'your company account',
        defaultRole: settings?.defaultRole ?? null,
        redirectUri: redirectUriOf(caller),
      } satisfies SsoSettingsView;
    },
  }),
  'sso.configure': route({
    method: 'PUT',
    path: '/api/sso/settings',
    args: settingsArgs,
    async run(ctx, caller, args) {
      const secret = args.clientSecret ?? (await readSetting(ctx, secretKey));
      if (!secret) throw new StudioError('bad-request', 'clientSecret: the provider’s client secret is needed once.');
      const settings: SsoSettings = {
        enabled: args.enabled,
        issuer: args.issuer,
        clientId: args.clientId,
        label: args.label,
        defaultRole: args.defaultRole,
      };
      // Checked against the provider before anything is stored: a typo changes nothing.
      if (settings.enabled) {
        try {
          await providerConfig(settings, secret);
        } catch (error) {
          throw new StudioError(
            'bad-request',
            `${args.issuer}: no OpenID provider answered there (${(error as Error).message}).`,
          );
        }
      }
      await ctx.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('settings').where('key', 'in', [settingsKey, secretKey]).execute();
        await trx
          .insertInto('settings')
          .values([
            { key: settingsKey, value: JSON.stringify(settings) },
            { key: secretKey, value: secret },
          ])
          .execute();
        await recordAudit(trx, {
          at: ctx.now(),
          userId: caller.user!.id,
          action: 'settings-changed',
          subject: 'sso',
          detail: { ...settings, clientSecretChanged: args.clientSecret !== undefined },
        });
      });
      return { ...settings, hasClientSecret: true, redirectUri: redirectUriOf(caller) } satisfies SsoSettingsView;
    },
  }),
};
