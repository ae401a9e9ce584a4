import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { FakeSalesforceOrg } from '../support/fake-salesforce-oauth.ts';
import { tempDir } from '../support/release.ts';
import { recordingWebhook } from '../support/webhook.ts';

/**
 * Credentials and personal data stay where they were meant to go: a connector moved to another
 * host keeps none of its secrets (nor a token cached for them), "Test connection" of a candidate
 * elsewhere sends none, redirects are not followed with records, header names that JavaScript
 * objects treat specially are refused, and an endpoint's refusal that repeats a visitor's e-mail
 * is kept and shown without it.
 */
const cleanups: (() => void | Promise<void>)[] = [];
const cores: Core[] = [];
afterEach(() => cores.splice(0).forEach((c) => c.close()));
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function newCore(
  profileKind: 'standard' | 'kiosk' = 'standard',
  logLines?: string[],
): Promise<{ core: Core; dir: string }> {
  const profile = tempDir('pitchcase-delivery-origins-');
  cleanups.push(profile.cleanup);
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    logLines?.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    profileKind,
    siteBaseUrl: 'http://127.0.0.1',
    delivery: { retryBaseMs: 1 },
    log: { info: line('info'), warn: line('warn'), error: line('error') },
  });
  cores.push(core);
  return { core, dir: profile.dir };
}

async function startOrg(): Promise<FakeSalesforceOrg> {
  const org = new FakeSalesforceOrg();
  await org.start();
  cleanups.push(() => org.stop());
  return org;
}

describe('a connector moved to another host', () => {
  it('drops every Salesforce secret and the cached token; a candidate elsewhere is tested without them', async () => {
    const home = await startOrg();
    const elsewhere = await startOrg();
    const { core } = await newCore();
    await core.api.updateDeliverySettings({
      meeting: {
        type: 'salesforce',
        instanceUrl: home.url,
        tokenUrl: home.tokenUrl,
        clientId: home.clientId,
        clientSecret: home.clientSecret,
        refreshToken: home.refreshToken,
      },
    });
    // A token is fetched and cached for these credentials.
    expect(await core.api.testDeliveryConnection({ kind: 'meeting' })).toMatchObject({ ok: true });
    expect(home.issued).toBe(1);

    // Only the instance moves: the test of that candidate must not send the cached token there.
    const moved = {
      type: 'salesforce' as const,
      instanceUrl: elsewhere.url,
      tokenUrl: home.tokenUrl,
      clientId: home.clientId,
    };
    const tested = await core.api.testDeliveryConnection({ kind: 'meeting', endpoint: moved });
    expect(tested).toMatchObject({ ok: false, message: expect.stringMatching(/Enter the refresh token/) });
    expect(elsewhere.requests).toEqual([]);
    // A candidate with an access token of its own is sent that one only.
    await core.api.testDeliveryConnection({
      kind: 'meeting',
      endpoint: { ...moved, clientId: null, accessToken: 'token-for-elsewhere' },
    });
    expect(elsewhere.requests.map((r) => r.auth)).toEqual(['Bearer token-for-elsewhere']);
    expect(home.tokenRequests).toHaveLength(1);

    // Saved: nothing of the old credentials is kept.
    await expect(core.api.updateDeliverySettings({ meeting: moved })).rejects.toThrow(/Enter the refresh token/);
    const saved = await core.api.updateDeliverySettings({
      meeting: { ...moved, clientId: null, accessToken: 'token-for-elsewhere' },
    });
    expect(saved.meeting).toMatchObject({
      hasAccessToken: true,
      hasRefreshToken: false,
      hasClientSecret: false,
      clientId: null,
    });

    // The login host moving drops them too, even with the instance unchanged.
    await core.api.updateDeliverySettings({
      lead: {
        type: 'salesforce',
        instanceUrl: home.url,
        tokenUrl: home.tokenUrl,
        clientId: home.clientId,
        clientSecret: home.clientSecret,
        refreshToken: home.refreshToken,
      },
    });
    await expect(
      core.api.updateDeliverySettings({
        lead: {
          type: 'salesforce',
          instanceUrl: home.url,
          tokenUrl: `${elsewhere.url}/services/oauth2/token`,
          clientId: home.clientId,
        },
      }),
    ).rejects.toThrow(/Enter the refresh token/);
    expect(elsewhere.tokenRequests).toEqual([]);
  });

  it('drops every webhook header, and a candidate on another origin is tested without them', async () => {
    const home = await recordingWebhook();
    const elsewhere = await recordingWebhook();
    cleanups.push(home.close, elsewhere.close);
    const { core } = await newCore();
    await core.api.updateDeliverySettings({
      event: {
        type: 'webhook',
        url: home.url,
        headers: { Authorization: 'Bearer home-secret', 'X-Tenant': 'acme-tenant-secret' },
      },
    });
    expect(
      await core.api.testDeliveryConnection({ kind: 'event', endpoint: { type: 'webhook', url: elsewhere.url } }),
    ).toMatchObject({ ok: true });
    expect(elsewhere.requests).toHaveLength(1);
    expect(elsewhere.requests[0]!.headers.authorization).toBeUndefined();
    expect(elsewhere.requests[0]!.headers['x-tenant']).toBeUndefined();
    expect(await core.api.updateDeliverySettings({ event: { type: 'webhook', url: elsewhere.url } })).toMatchObject({
      event: { headerNames: [], hasAuthorization: false },
    });
  });
});

describe('redirects', () => {
  it('are not followed with records or credentials, and the failure says where they pointed', async () => {
    const target = await recordingWebhook();
    const redirecting = await recordingWebhook({ answer: () => ({ status: 307, headers: { Location: target.url } }) });
    cleanups.push(target.close, redirecting.close);
    const { core } = await newCore();
    await core.api.updateDeliverySettings({
      event: { type: 'webhook', url: redirecting.url, authorization: 'Bearer never-elsewhere' },
    });
    await core.api.recordActivity({
      events: [{ id: 'redirected-event-1', type: 'item.opened', at: new Date().toISOString(), itemId: 'brochure' }],
    });
    const status = await core.api.deliverNow({});
    expect(redirecting.requests).toHaveLength(1);
    expect(target.requests).toEqual([]);
    expect(status).toMatchObject({
      pending: 1,
      lastError: {
        message: expect.stringMatching(
          /HTTP 307, a redirect to http:\/\/127\.0\.0\.1:\d+: records and credentials are never sent on to another host/,
        ),
      },
    });
    const tested = await core.api.testDeliveryConnection({ kind: 'event' });
    expect(tested).toMatchObject({ ok: false, status: 307 });
    expect(target.requests).toEqual([]);
  });
});

describe('the CRM cache', () => {
  it("does not follow a redirect from the org with the rep's token", async () => {
    const target = await recordingWebhook();
    const redirecting = await recordingWebhook({
      answer: () => ({ status: 302, headers: { Location: `${target.url}/query` } }),
    });
    cleanups.push(target.close, redirecting.close);
    const { core } = await newCore();
    await core.api.updateDeliverySettings({
      meeting: {
        type: 'salesforce',
        instanceUrl: new URL(redirecting.url).origin,
        accessToken: 'rep-token-never-elsewhere',
      },
    });
    await expect(core.api.refreshCrmCache({})).rejects.toThrow(
      /HTTP 302, a redirect to http:\/\/127\.0\.0\.1:\d+: records and credentials are never sent on to another host/,
    );
    expect(redirecting.requests).toHaveLength(1);
    expect(target.requests).toEqual([]);
    expect(JSON.stringify(await core.api.getCrmCache({}))).toMatch(
      /HTTP 302, a redirect to http:\/\/127\.0\.0\.1:\d+: records and credentials are never sent on to another host/,
    );
  });
});

describe('header names', () => {
  it('refuses __proto__, constructor, prototype and names that are not HTTP tokens, at the API and in the core, and stores nothing', async () => {
    const hook = await recordingWebhook();
    cleanups.push(hook.close);
    const { core } = await newCore();
    for (const name of ['__proto__', 'constructor', 'prototype', 'Bad Name', 'X:Y', '']) {
      // Parsed from JSON as a caller sends it: "__proto__" is then an own key, not the prototype.
      const change = JSON.parse(JSON.stringify({ event: { type: 'webhook', url: hook.url } })) as {
        event: { headers?: unknown };
      };
      change.event.headers = JSON.parse(`{${JSON.stringify(name)}: "Bearer x"}`) as unknown;
      const viaApi = await core.handle('updateDeliverySettings', change);
      expect(viaApi, name).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect((viaApi as { error: { message: string } }).error.message, name).toMatch(/header name/);
      await expect(core.api.updateDeliverySettings(change as never), name).rejects.toThrow(/header name/);
    }
    expect(await core.api.getDeliverySettings({})).toMatchObject({ event: null });
    // A proper name still works, and reaches the endpoint.
    await core.api.updateDeliverySettings({
      event: { type: 'webhook', url: hook.url, headers: { 'X-Tenant': 'acme' } },
    });
    await core.api.testDeliveryConnection({ kind: 'event' });
    expect(hook.requests.at(-1)!.headers['x-tenant']).toBe('acme');
  });
});

describe('an endpoint that repeats personal data in its refusal', () => {
  it('is kept and shown without it: not in the database, its WAL, the log or the status', async () => {
    const email = 'ana.visitor-7741@example.org';
    const hook = await recordingWebhook({
      answer: (request) => ({
        status: 409,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          message: `Duplicate lead: ${String(request.records[0]?.payload.email)} (Ana Visitor, +44 20 7946 0958)`,
        }),
      }),
    });
    cleanups.push(hook.close);
    const log: string[] = [];
    const { core, dir } = await newCore('kiosk', log);
    await core.api.updateDeliverySettings({ lead: { type: 'webhook', url: hook.url } });
    const version = (await core.api.getKioskConfig({})).leadForm.consent.version;
    const { sessionId } = await core.api.startVisitorSession({});
    await core.api.captureLead({
      sessionId,
      fields: { firstName: 'Ana', lastName: 'Visitor', email, company: 'Expo', phone: '+44 20 7946 0958' },
      consent: { given: true, version },
    });
    const status = await core.api.deliverNow({});
    expect(hook.requests).toHaveLength(1);
    expect(status.pending).toBe(1);
    expect(status.lastError?.message).toMatch(/answered HTTP 409: Duplicate lead: \[personal data removed\]/);
    for (const shown of [JSON.stringify(status), ...log]) {
      expect(shown).not.toContain(email);
      expect(shown).not.toContain('7946');
      expect(shown).not.toContain('Ana Visitor');
    }
    // Before close: the WAL still holds the latest pages.
    const files = readdirSync(dir).filter((f) => f.startsWith('pitchcase.db'));
    expect(files).toContain('pitchcase.db-wal');
    for (const file of files) expect(readFileSync(path.join(dir, file)).toString('latin1'), file).not.toContain(email);
  });
});

describe('delivery.status', () => {
  it('is sent when a record is queued, not only after an upload run', async () => {
    const { core } = await newCore();
    const heard: number[] = [];
    core.events.on('delivery.status', (status) => heard.push(status.pending));
    const queued = new Promise<void>((resolve) => core.events.on('delivery.status', () => resolve()));
    await core.api.recordActivity({
      events: [{ id: 'queued-event-1', type: 'item.opened', at: new Date().toISOString(), itemId: 'brochure' }],
    });
    await queued;
    expect(heard).toEqual([1]);
  });
});
