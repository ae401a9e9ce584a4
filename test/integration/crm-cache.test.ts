import { afterEach, describe, expect, it } from 'vitest';
import { createCore, silentLog, type Core } from '#core/index';
import { createCrm, CRM_REFRESH_EVERY_MS, CRM_RETRY_AFTER_MS } from '#core/crm/index';
import { openStorage } from '#core/storage/database';
import type { CrmCacheStatus } from '#shared/crm';
import { FakeSalesforce } from '../support/fake-salesforce.ts';
import { tempDir } from '../support/release.ts';

/**
 * The CRM cache behind the wrap-up's picker: filled from Salesforce REST (SOQL, paged) against a
 * local stand-in, found by typeahead offline, replaced whole by a refresh, untouched by a failed
 * one, and refreshed with delivery when it is due.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const org = () => ({
  Account: [
    { Id: '001000000000001AAA', Name: 'Marston Brewery' },
    { Id: '001000000000002AAA', Name: 'Lima Foods' },
  ],
  Contact: [
    {
      Id: '003000000000001AAA',
      Name: 'Dana Whitfield',
      Email: 'dana@marston.example',
      Title: 'Head of Operations',
      AccountId: '001000000000001AAA',
      Account: { attributes: { type: 'Account' }, Name: 'Marston Brewery' },
    },
    {
      Id: '003000000000002AAA',
      Name: 'Ana Lima',
      Email: 'ana@lima.example',
      Title: null,
      AccountId: '001000000000002AAA',
      Account: { attributes: { type: 'Account' }, Name: 'Lima Foods' },
    },
    { Id: '003000000000003AAA', Name: 'Daniel Marsh', Email: null, Title: 'Buyer', AccountId: null, Account: null },
  ],
  Opportunity: [
    {
      Id: '006000000000001AAA',
      Name: 'Marston line 2',
      StageName: 'Proposal/Price Quote',
      AccountId: '001000000000001AAA',
      Account: { Name: 'Marston Brewery' },
    },
  ],
});

async function setup(): Promise<{
  core: Core;
  salesforce: FakeSalesforce;
  advance(ms: number): void;
  profileDir: string;
}> {
  const salesforce = new FakeSalesforce();
  await salesforce.start();
  salesforce.org = org();
  const profile = tempDir('pitchcase-crm-');
  let now = Date.parse('2026-05-12T08:00:00Z');
  const core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://x',
    clock: { now: () => new Date(now) },
  });
  cleanups.push(
    () => salesforce.stop(),
    profile.cleanup,
    () => core.close(),
  );
  // Straight to the core, as the Salesforce connector test does: the boundary wants https.
  await core.api.updateDeliverySettings({
    meeting: { type: 'salesforce', instanceUrl: salesforce.url, accessToken: 'rep-token' },
  });
  return { core, salesforce, advance: (ms) => (now += ms), profileDir: profile.dir };
}

describe('CRM cache from Salesforce', () => {
  it("reads accounts, contacts and open opportunities page by page with the rep's token, and finds them offline", async () => {
    const { core, salesforce } = await setup();
    expect(await core.api.getCrmCache({})).toMatchObject({
      cachedAt: null,
      salesforceConfigured: true,
      counts: { account: 0, contact: 0, opportunity: 0 },
    });
    const status = await core.api.refreshCrmCache({});
    expect(status).toMatchObject({
      cachedAt: '2026-05-12T08:00:00.000Z',
      counts: { account: 2, contact: 3, opportunity: 1 },
    });
    const queries = salesforce.queries();
    expect(queries).toHaveLength(3);
    expect(queries[0]).toMatch(/^SELECT Id, Name FROM Account\b/);
    expect(queries[1]).toMatch(/^SELECT Id, Name, Email, Title, AccountId, Account\.Name FROM Contact\b/);
    expect(queries[2]).toMatch(/FROM Opportunity WHERE IsClosed = false/);
    // Three contacts at two a page: the second page came from nextRecordsUrl.
    expect(salesforce.requests.map((r) => new URL(r.url, salesforce.url).pathname)).toContain(
      '/services/data/v61.0/query/Contact-2',
    );
    expect(salesforce.requests.every((r) => r.method === 'GET' && r.auth === 'Bearer rep-token')).toBe(true);

    await salesforce.stop();
    const dan = await core.api.searchCrm({ kind: 'contact', query: 'dan' });
    expect(dan.cachedAt).toBe('2026-05-12T08:00:00.000Z');
    expect(dan.records.map((r) => r.name)).toEqual(['Dana Whitfield', 'Daniel Marsh']);
    expect(dan.records[0]).toMatchObject({
      id: '003000000000001AAA',
      email: 'dana@marston.example',
      title: 'Head of Operations',
      accountId: '001000000000001AAA',
      accountName: 'Marston Brewery',
      source: 'salesforce',
    });
    // Any word, of the name, the e-mail or the account; all words must match.
    expect((await core.api.searchCrm({ kind: 'contact', query: 'lima.example' })).records.map((r) => r.name)).toEqual([
      'Ana Lima',
    ]);
    expect((await core.api.searchCrm({ kind: 'contact', query: 'marston whit' })).records.map((r) => r.name)).toEqual([
      'Dana Whitfield',
    ]);
    expect((await core.api.searchCrm({ kind: 'contact', query: '100%' })).records).toEqual([]);
    // With an account picked, its contacts come first.
    expect(
      (await core.api.searchCrm({ kind: 'contact', query: '', accountId: '001000000000002AAA' })).records[0]?.name,
    ).toBe('Ana Lima');
    expect((await core.api.searchCrm({ kind: 'opportunity', query: 'line' })).records[0]).toMatchObject({
      id: '006000000000001AAA',
      stage: 'Proposal/Price Quote',
      accountName: 'Marston Brewery',
    });
  });

  it('replaces its snapshot on refresh, keeps file imports, and keeps everything when a refresh fails', async () => {
    const { core, salesforce, advance, profileDir } = await setup();
    await core.api.refreshCrmCache({});
    const storage = openStorage(`${profileDir}/pitchcase.db`);
    cleanups.push(() => storage.close());
    createCrm({
      db: storage.write,
      read: storage.read,
      clock: { now: () => new Date('2026-05-12T08:30:00Z') },
      log: silentLog,
      salesforce: () => null,
    }).importRecords(
      [
        {
          kind: 'contact',
          id: 'hs-501',
          name: 'Dana Hubspot',
          email: '',
          title: '',
          stage: '',
          accountId: null,
          accountName: '',
        },
      ],
      false,
    );

    salesforce.org.Contact = salesforce.org.Contact.filter((c) => c.Name !== 'Daniel Marsh');
    advance(60_000);
    await core.api.refreshCrmCache({});
    expect(
      (await core.api.searchCrm({ kind: 'contact', query: 'dan' })).records.map((r) => [r.name, r.source]),
    ).toEqual([
      ['Dana Hubspot', 'file'],
      ['Dana Whitfield', 'salesforce'],
    ]);

    salesforce.failWith = 401;
    advance(60_000);
    await expect(core.api.refreshCrmCache({})).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/HTTP 401.*INVALID_SESSION_ID/),
    });
    const status = await core.api.getCrmCache({});
    expect(status.counts).toEqual({ account: 2, contact: 3, opportunity: 1 });
    expect(status.sources.find((s) => s.source === 'salesforce')).toMatchObject({
      cachedAt: '2026-05-12T08:01:00.000Z',
      lastError: { at: '2026-05-12T08:02:00.000Z', message: expect.stringContaining('HTTP 401') },
    });
  });

  it('refreshes by itself after a delivery when it is due, announcing it; not again until stale', async () => {
    const { core, salesforce, advance } = await setup();
    const changed = () =>
      new Promise<CrmCacheStatus>((resolve) => {
        const off = core.events.on('crm.changed', (status) => {
          off();
          resolve(status);
        });
      });
    let next = changed();
    await core.api.deliverNow({});
    expect((await next).counts.contact).toBe(3);
    expect(salesforce.queries()).toHaveLength(3);

    advance(CRM_REFRESH_EVERY_MS - 1);
    await core.api.deliverNow({});
    expect(salesforce.queries()).toHaveLength(3);

    advance(1);
    next = changed();
    await core.api.deliverNow({});
    expect((await next).cachedAt).toBe(
      new Date(Date.parse('2026-05-12T08:00:00Z') + CRM_REFRESH_EVERY_MS).toISOString(),
    );
    expect(salesforce.queries()).toHaveLength(6);
  });

  it('waits after a failed background refresh before it tries again', async () => {
    const salesforce = new FakeSalesforce();
    await salesforce.start();
    cleanups.push(() => salesforce.stop());
    const profile = tempDir('pitchcase-crm-retry-');
    const storage = openStorage(`${profile.dir}/pitchcase.db`);
    cleanups.push(profile.cleanup, () => storage.close());
    let now = Date.parse('2026-05-12T08:00:00Z');
    const crm = createCrm({
      db: storage.write,
      read: storage.read,
      clock: { now: () => new Date(now) },
      log: silentLog,
      salesforce: () => ({ type: 'salesforce', instanceUrl: salesforce.url, accessToken: 't' }),
    });
    salesforce.failWith = 503;
    expect(await crm.refreshIfDue()).toBe(false);
    expect(salesforce.requests).toHaveLength(1);
    now += CRM_RETRY_AFTER_MS - 1;
    expect(await crm.refreshIfDue()).toBe(false);
    expect(salesforce.requests).toHaveLength(1);
    salesforce.failWith = null;
    now += 1;
    expect(await crm.refreshIfDue()).toBe(true);
    expect(crm.status().sources).toEqual([
      { source: 'salesforce', cachedAt: new Date(now).toISOString(), lastError: null },
    ]);
  });

  it('refuses a refresh when no Salesforce connector is configured', async () => {
    const profile = tempDir('pitchcase-crm-none-');
    const core = await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' });
    cleanups.push(profile.cleanup, () => core.close());
    expect(await core.api.getCrmCache({})).toMatchObject({ salesforceConfigured: false });
    await expect(core.api.refreshCrmCache({})).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/import .* from a file/),
    });
    expect(await core.handle('searchCrm', { kind: 'lead', query: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it("never fills a kiosk's cache, even with Salesforce as its lead connector", async () => {
    const salesforce = new FakeSalesforce();
    await salesforce.start();
    salesforce.org = org();
    const profile = tempDir('pitchcase-crm-kiosk-');
    const core = await createCore({
      profileDir: profile.dir,
      shell: 'browser',
      siteBaseUrl: 'http://x',
      profileKind: 'kiosk',
    });
    cleanups.push(
      () => salesforce.stop(),
      profile.cleanup,
      () => core.close(),
    );
    await core.api.updateDeliverySettings({
      lead: { type: 'salesforce', instanceUrl: salesforce.url, accessToken: 't' },
    });
    await core.api.deliverNow({});
    await expect(core.api.refreshCrmCache({})).rejects.toMatchObject({ code: 'refused' });
    expect(await core.api.getCrmCache({})).toMatchObject({ salesforceConfigured: false, counts: { contact: 0 } });
    expect(salesforce.requests).toEqual([]);
  });
});
