import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { FakeSalesforceOrg } from '../support/fake-salesforce-oauth.ts';
import { tempDir } from '../support/release.ts';

/**
 * Salesforce with OAuth refresh credentials: the connector gets its access token from the token
 * URL, keeps it sealed across restarts, renews it once when Salesforce says the session expired
 * and sends the same upsert again; a refused refresh is a delivery error the Uploads card shows,
 * with the records still waiting.
 */
let org: FakeSalesforceOrg;
let profile: { dir: string; cleanup(): void };
let core: Core | null = null;
let now = Date.parse('2026-05-12T10:00:00Z');
const cleanups: (() => void)[] = [];

beforeEach(async () => {
  org = new FakeSalesforceOrg();
  await org.start();
  profile = tempDir('pitchcase-sf-refresh-');
  cleanups.push(profile.cleanup);
});
afterEach(async () => {
  core?.close();
  core = null;
  await org.stop();
});
afterAll(() => cleanups.forEach((c) => c()));

async function open(): Promise<Core> {
  core?.close();
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    clock: { now: () => new Date(now) },
    delivery: { retryBaseMs: 1000 },
  });
  return core;
}

const refreshCredentials = () => ({
  type: 'salesforce' as const,
  instanceUrl: org.url,
  tokenUrl: org.tokenUrl,
  clientId: org.clientId,
  clientSecret: org.clientSecret,
  refreshToken: org.refreshToken,
});

async function logMeeting(c: Core, id: string): Promise<string> {
  await c.api.saveMeeting({
    id,
    startedAt: '2026-05-12T09:00:00Z',
    endedAt: '2026-05-12T09:30:00Z',
    status: 'logged',
    account: 'Marston Brewery',
    outcome: 'Trial agreed',
  });
  return `/services/data/v61.0/sobjects/Task/Pitchcase_Id__c/${encodeURIComponent(`meeting:${id}`)}`;
}

function upsertsOf(taskPath: string) {
  return org.requests.filter((r) => r.method === 'PATCH' && r.path === taskPath);
}

describe('Salesforce token refresh', () => {
  it('gets an access token from the token URL, and keeps it sealed for the next start', async () => {
    let c = await open();
    await c.api.updateDeliverySettings({ meeting: refreshCredentials() });
    const first = await logMeeting(c, 'refresh-meeting-01');
    expect(await c.api.deliverNow({})).toMatchObject({ pending: 0, lastError: null });
    expect(org.tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(org.tokenRequests[0]!)).toEqual({
      grant_type: 'refresh_token',
      client_id: org.clientId,
      client_secret: org.clientSecret,
      refresh_token: org.refreshToken,
    });
    expect(upsertsOf(first).map((r) => r.auth)).toEqual(['Bearer 00Dfake!session-1']);
    expect(org.upserts.get(first)).toMatchObject({
      Subject: expect.stringContaining('Marston Brewery'),
      Status: 'Completed',
    });

    c = await open();
    const second = await logMeeting(c, 'refresh-meeting-02');
    await c.api.deliverNow({});
    // The cached token served the restarted app: no second refresh.
    expect(org.tokenRequests).toHaveLength(1);
    expect(upsertsOf(second).map((r) => r.auth)).toEqual(['Bearer 00Dfake!session-1']);
    for (const file of readdirSync(profile.dir).filter((f) => f.startsWith('pitchcase.db'))) {
      const bytes = readFileSync(path.join(profile.dir, file)).toString('latin1');
      for (const secret of ['00Dfake!session-1', org.refreshToken, org.clientSecret])
        expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }
  });

  it('on 401 INVALID_SESSION_ID renews the token once and sends the same upsert again', async () => {
    const c = await open();
    // A token from the connected app's setup, valid at first, then the session times out.
    org.liveTokens.add('00Dfake!initial');
    await c.api.updateDeliverySettings({ meeting: { ...refreshCredentials(), accessToken: '00Dfake!initial' } });
    const first = await logMeeting(c, 'expiry-meeting-01');
    await c.api.deliverNow({});
    expect(org.tokenRequests).toHaveLength(0);
    expect(upsertsOf(first).map((r) => r.auth)).toEqual(['Bearer 00Dfake!initial']);

    org.expireSessions();
    const second = await logMeeting(c, 'expiry-meeting-02');
    expect(await c.api.deliverNow({})).toMatchObject({ pending: 0, lastError: null });
    expect(org.tokenRequests).toHaveLength(1);
    expect(upsertsOf(second).map((r) => r.auth)).toEqual(['Bearer 00Dfake!initial', 'Bearer 00Dfake!session-1']);
    expect(org.upserts.has(second)).toBe(true);

    // Expired again: one renewal per refusal, never a loop.
    org.expireSessions();
    const third = await logMeeting(c, 'expiry-meeting-03');
    await c.api.deliverNow({});
    expect(org.tokenRequests).toHaveLength(2);
    expect(upsertsOf(third).map((r) => r.auth)).toEqual(['Bearer 00Dfake!session-1', 'Bearer 00Dfake!session-2']);
  });

  it('a refused refresh is a delivery error with the reason; the records wait and go once the credentials are fixed', async () => {
    const c = await open();
    await c.api.updateDeliverySettings({ meeting: refreshCredentials() });
    org.refuseRefresh = true;
    const task = await logMeeting(c, 'refused-meeting-01');
    const status = await c.api.deliverNow({});
    expect(status.pending).toBe(1);
    expect(status.pendingByKind).toMatchObject({ meeting: 1 });
    expect(status.lastError).toMatchObject({
      kind: 'meeting',
      message: `Salesforce token refresh failed: ${org.tokenUrl} answered HTTP 400: invalid_grant: expired access/refresh token. Set new refresh credentials under "Where records go".`,
    });
    expect(upsertsOf(task)).toHaveLength(0);

    // IT issues a new refresh token; saving it retries (here by hand), the record goes.
    org.refuseRefresh = false;
    await c.api.updateDeliverySettings({ meeting: { ...refreshCredentials(), clientSecret: undefined } });
    now += 60_000;
    expect(await c.api.deliverNow({})).toMatchObject({ pending: 0, lastError: null });
    expect(org.upserts.has(task)).toBe(true);
  });

  it('an access token alone that Salesforce refuses says so, instead of retrying for ever in silence', async () => {
    const c = await open();
    await c.api.updateDeliverySettings({
      meeting: { type: 'salesforce', instanceUrl: org.url, accessToken: '00Dfake!stale' },
    });
    await logMeeting(c, 'stale-meeting-01');
    const status = await c.api.deliverNow({});
    expect(status).toMatchObject({
      pending: 1,
      lastError: {
        message: expect.stringMatching(
          /^Salesforce refused the access token \(HTTP 401: Session expired or invalid \(INVALID_SESSION_ID\)\)/,
        ),
      },
    });
    expect(org.tokenRequests).toHaveLength(0);
  });

  it('the CRM cache gets a token by itself: refresh-only credentials and nothing delivered yet', async () => {
    const c = await open();
    await c.api.updateDeliverySettings({ meeting: refreshCredentials() });
    expect(org.tokenRequests).toHaveLength(0);
    const changed = new Promise<unknown>((resolve) => c.events.on('crm.changed', resolve));
    // Nothing waits to be delivered: the cache's background turn is what needs the token.
    await c.api.deliverNow({});
    await changed;
    expect(org.tokenRequests).toHaveLength(1);
    const queries = org.requests.filter((r) => r.method === 'GET' && r.path.includes('/query?q='));
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((q) => q.auth === 'Bearer 00Dfake!session-1')).toBe(true);
    expect((await c.api.getCrmCache({})).counts).toMatchObject({ account: 1 });
  });

  it('"Test connection" renews the token and checks the external-id field on Lead or Task', async () => {
    const c = await open();
    expect(await c.api.testDeliveryConnection({ kind: 'lead', endpoint: refreshCredentials() })).toEqual({
      ok: true,
      status: 200,
      message: 'Connected to Salesforce: Lead records will be upserted by Pitchcase_Id__c',
    });
    expect(org.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/services/data/v61.0/sobjects/Lead/describe',
      auth: 'Bearer 00Dfake!session-1',
    });
    // Tested before saving: nothing stored, no token cached for credentials not (yet) in use.
    expect(await c.api.getDeliverySettings({})).toMatchObject({ lead: null });

    await c.api.updateDeliverySettings({ meeting: { ...refreshCredentials(), externalIdField: 'Visit_Key__c' } });
    expect(await c.api.testDeliveryConnection({ kind: 'meeting' })).toMatchObject({
      ok: false,
      status: 200,
      message: expect.stringMatching(/^Connected to Salesforce, but Task has no external-id field Visit_Key__c/),
    });

    org.refuseRefresh = true;
    org.expireSessions();
    expect(await c.api.testDeliveryConnection({ kind: 'meeting' })).toMatchObject({
      ok: false,
      status: null,
      message: expect.stringMatching(/token refresh failed.*invalid_grant/),
    });
  });
});
