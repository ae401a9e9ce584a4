import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type RunningStudio } from '#studio/index';
import type { SsoSettingsView } from '#shared/studio';
import { tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';
import { startTestProvider, type Person, type TestProvider } from './oidc-provider.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';

/**
 * Single sign-on against a real OpenID provider (panva's oidc-provider) on loopback: the whole
 * authorization-code round trip with PKCE, state and nonce, a browser's cookies kept per server
 * by a small jar. Invited people get their account, strangers are refused unless an admin chose
 * a default role, and what the provider did not vouch for never signs anyone in.
 */
const password = 'correct horse battery';

/** Who is "signed in at the provider" when Studio sends the browser there. */
const people: Record<string, Person> = {
  ed: { email: 'Ed@Example.com', email_verified: true, name: 'Ed' },
  stranger: { email: 'sam@example.com', email_verified: true, name: 'Sam' },
  unverified: { email: 'ada@example.com', email_verified: false, name: 'Not Ada' },
};

/** A browser, as far as cookies and redirects go: one jar per port, redirects followed by hand. */
class Browser {
  private jars = new Map<string, Map<string, string>>();

  constructor(private readonly studioUrl: string) {}

  private jar(url: URL) {
    let jar = this.jars.get(url.port);
    if (!jar) this.jars.set(url.port, (jar = new Map()));
    return jar;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar(new URL(url)).get(name);
  }

  /** Follows redirects from `start`; with stopBefore, hands back that path's URL instead of requesting it. */
  async get(start: string, stopBefore?: string): Promise<{ url: string; status: number; location: string | null }> {
    let url = new URL(start);
    for (let hop = 0; hop < 20; hop++) {
      const jar = this.jar(url);
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      for (const line of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const [name = '', ...rest] = pair.trim().split('=');
        const value = rest.join('=');
        if (!value || attributes.some((a) => /^\s*(max-age=0|expires=Thu, 01 Jan 1970)/i.test(a))) jar.delete(name);
        else jar.set(name, value);
      }
      const location = response.headers.get('location');
      await response.arrayBuffer();
      if (response.status < 300 || response.status >= 400 || !location)
        return { url: url.href, status: response.status, location };
      const next = new URL(location, url);
      // Studio's answers end on its own pages: stop there and let the test look.
      if (next.port === new URL(this.studioUrl).port && !next.pathname.startsWith('/api/'))
        return { url: url.href, status: response.status, location };
      if (next.pathname === stopBefore) return { url: url.href, status: response.status, location: next.href };
      url = next;
    }
    throw new Error('too many redirects');
  }
}

const pgMissing = postgresUnavailable();

describe.each(['sqlite', 'postgres'] as const)('Studio single sign-on with OpenID Connect on %s', (backend) => {
  const skip = backend === 'postgres' && pgMissing !== null;
  let pg: TestPostgres | null = null;
  let data: ReturnType<typeof tempDir>;
  let studio: RunningStudio;
  let admin: StudioClient;
  let provider: TestProvider;
  let clientSecret: string;

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'postgres') pg = await startPostgres();
    data = tempDir('studio-sso-');
    studio = await startStudio({
      dataDir: data.dir,
      port: 0,
      database: pg?.url,
      config: { scryptCost: 2 ** 10 },
      log: () => {},
    });
    provider = await startTestProvider({ redirectUri: `${studio.url}/api/sso/callback`, people });
    clientSecret = provider.clientSecret;
    admin = new StudioClient(studio.url);
    const token = studio.setupUrl!.split('#')[1]!;
    await admin.call('POST', '/api/setup', { token, email: 'ada@example.com', name: 'Ada', password });
    await admin.call('POST', '/api/users', { email: 'ed@example.com', name: 'Ed', role: 'editor', password });
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    await provider?.close();
    pg?.stop();
    data?.cleanup();
  });

  const signInThroughProvider = async (person: string) => {
    provider.as.person = person;
    const browser = new Browser(studio.url);
    const end = await browser.get(`${studio.url}/api/sso/start`);
    return { browser, end, session: browser.cookie(studio.url, 'studio_session') };
  };

  it.skipIf(skip)(
    'an admin sets it up; a provider that does not answer changes nothing; the secret stays on the server',
    async () => {
      expect((await admin.call('GET', '/api/sso')).value).toEqual({ sso: null });
      const wrong = await admin.call('PUT', '/api/sso/settings', {
        enabled: true,
        issuer: 'http://127.0.0.1:9/',
        clientId: 'studio',
        clientSecret,
      });
      expect(wrong.status).toBe(400);
      expect((await admin.call('GET', '/api/sso')).value).toEqual({ sso: null });

      const editor = new StudioClient(studio.url);
      await editor.signIn('ed@example.com', password);
      expect((await editor.call('GET', '/api/sso/settings')).status).toBe(403);

      const saved = await admin.call<SsoSettingsView>('PUT', '/api/sso/settings', {
        enabled: true,
        issuer: provider.issuer,
        clientId: 'studio',
        clientSecret,
        label: 'Harbour Lights account',
      });
      expect(saved.ok).toBe(true);
      const view = await admin.call<SsoSettingsView>('GET', '/api/sso/settings');
      expect(view.value).toMatchObject({
        enabled: true,
        issuer: provider.issuer,
        clientId: 'studio',
        hasClientSecret: true,
        defaultRole: null,
        redirectUri: `${studio.url}/api/sso/callback`,
      });
      expect(JSON.stringify(view.value)).not.toContain(clientSecret);
      const audit = await admin.call<{ action: string; subject: string; detail: unknown }[]>('GET', '/api/audit');
      expect(JSON.stringify(audit.value)).not.toContain(clientSecret);
      expect((await new StudioClient(studio.url).call('GET', '/api/sso')).value).toEqual({
        sso: { label: 'Harbour Lights account' },
      });
    },
  );

  it.skipIf(skip)('an invited person signs in with the provider into their own account and role', async () => {
    const { end, session } = await signInThroughProvider('ed');
    expect(end.location).toBe('/');
    expect(session).toBeDefined();
    const ed = new StudioClient(studio.url);
    ed.cookie = `studio_session=${session}`;
    const me = await ed.call<{ user: { email: string; role: string } }>('GET', '/api/session');
    expect(me.value.user).toMatchObject({ email: 'ed@example.com', role: 'editor' });
    const audit = await admin.call<{ action: string; subject: string; detail: { method?: string } }[]>(
      'GET',
      '/api/audit',
    );
    expect(audit.value.find((a) => a.action === 'sign-in' && a.detail.method === 'sso')?.subject).toBe(
      'ed@example.com',
    );
    // Local accounts keep working beside it.
    expect((await new StudioClient(studio.url).signIn('ada@example.com', password)).ok).toBe(true);
  });

  it.skipIf(skip)('refuses someone not invited, and an e-mail the provider did not verify', async () => {
    const stranger = await signInThroughProvider('stranger');
    expect(stranger.session).toBeUndefined();
    expect(decodeURIComponent(stranger.end.location ?? '')).toContain('sam@example.com has no Studio account');
    // ada@example.com is the admin's address, but unverified: it must not sign anyone in as her.
    const impostor = await signInThroughProvider('unverified');
    expect(impostor.session).toBeUndefined();
    expect(decodeURIComponent(impostor.end.location ?? '')).toContain('did not vouch for an e-mail');
    const audit = await admin.call<{ action: string; detail: { reason?: string } }[]>('GET', '/api/audit');
    const reasons = audit.value.filter((a) => a.action === 'sign-in-refused').map((a) => a.detail.reason);
    expect(reasons).toEqual(expect.arrayContaining(['not invited', 'no verified e-mail']));
  });

  it.skipIf(skip)('a callback is used once, and only in the browser that started it', async () => {
    provider.as.person = 'ed';
    const browser = new Browser(studio.url);
    // Stop at the callback instead of calling it: that is the URL an attacker would carry off.
    const start = await fetch(`${studio.url}/api/sso/start`, { redirect: 'manual' });
    const stateCookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(start.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Lax/);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const callback = new URL((await browser.get(authorize.href, '/api/sso/callback')).location!);
    expect(callback.pathname).toBe('/api/sso/callback');
    expect(callback.searchParams.get('code')).toBeTruthy();
    // Another browser (no state cookie) is refused.
    const elsewhere = await fetch(callback, { redirect: 'manual' });
    expect(decodeURIComponent(elsewhere.headers.get('location')!)).toContain('started in another browser');
    expect(elsewhere.headers.get('set-cookie')).toBeNull();
    // The right browser gets in once; the same callback again is refused.
    const first = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(first.headers.get('set-cookie')).toMatch(/^studio_session=/);
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(decodeURIComponent(replay.headers.get('location')!)).toContain('already used');
    expect(replay.headers.get('set-cookie')).toBeNull();
  });

  it.skipIf(skip)('with a default role chosen by an admin, someone new gets an account with that role', async () => {
    const saved = await admin.call('PUT', '/api/sso/settings', {
      enabled: true,
      issuer: provider.issuer,
      clientId: 'studio',
      label: 'Harbour Lights account',
      defaultRole: 'viewer',
    });
    expect(saved.ok).toBe(true);
    const { session } = await signInThroughProvider('stranger');
    const sam = new StudioClient(studio.url);
    sam.cookie = `studio_session=${session}`;
    const me = await sam.call<{ user: { email: string; role: string; name: string } }>('GET', '/api/session');
    expect(me.value.user).toMatchObject({ email: 'sam@example.com', role: 'viewer', name: 'Sam' });
    // No password works for an account made by single sign-on.
    expect((await new StudioClient(studio.url).signIn('sam@example.com', 'sso-only')).ok).toBe(false);
    // Switched off, the sign-in page no longer offers it and the start refuses.
    await admin.call('PUT', '/api/sso/settings', { enabled: false, issuer: provider.issuer, clientId: 'studio' });
    expect((await admin.call('GET', '/api/sso')).value).toEqual({ sso: null });
    const off = await fetch(`${studio.url}/api/sso/start`, { redirect: 'manual' });
    expect(decodeURIComponent(off.headers.get('location')!)).toContain('not set up');
  });
});
