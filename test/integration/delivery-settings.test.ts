import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { tempDir } from '../support/release.ts';

/**
 * Where records go, through the API: what is refused and why, secrets that never reach the
 * database or the renderer in clear yet reach the endpoint, which secrets a change keeps, a
 * kiosk that keeps its settings behind the staff PIN, and "Test connection" of a webhook.
 */
class Receiver {
  readonly requests: { headers: IncomingHttpHeaders; body: { records: { idempotencyKey: string; kind: string }[] } }[] =
    [];
  status = 200;
  url = '';
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Receiver['requests'][number]['body'],
      });
      res
        .writeHead(this.status, { 'Content-Type': 'application/json' })
        .end(this.status === 200 ? '{}' : JSON.stringify({ message: 'Bad credentials' }));
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/pitchcase`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const hookSecret = 'Bearer hook-secret-7Qx2Lm';
const sfToken = '00Dsecret!access-token-K8v';
const sfRefresh = 'refresh-secret-Zt41pQ';
const sfClientSecret = 'client-secret-Hh90aR';

const receiver = new Receiver();
const profiles: { cleanup(): void }[] = [];
const cores: Core[] = [];
beforeAll(() => receiver.start());
afterEach(() => cores.splice(0).forEach((c) => c.close()));
afterAll(async () => {
  await receiver.stop();
  profiles.forEach((p) => p.cleanup());
});

async function newCore(
  profileKind: 'standard' | 'kiosk' = 'standard',
  dir?: string,
): Promise<{ core: Core; dir: string }> {
  let profileDir = dir;
  if (!profileDir) {
    const profile = tempDir('pitchcase-delivery-settings-');
    profiles.push(profile);
    profileDir = profile.dir;
  }
  const core = await createCore({
    profileDir,
    shell: 'browser',
    profileKind,
    siteBaseUrl: 'http://127.0.0.1',
    delivery: { retryBaseMs: 1 },
  });
  cores.push(core);
  return { core, dir: profileDir };
}

function rawProfileBytes(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .filter((f) => f.startsWith('pitchcase.db'))
      .map((f) => [f, readFileSync(path.join(dir, f)).toString('latin1')]),
  );
}

describe('delivery settings', () => {
  it('refuses what is not a safe endpoint, with a message naming the kind and the reason, and changes nothing', async () => {
    const { core } = await newCore();
    const refused: [unknown, RegExp][] = [
      [{ lead: { type: 'webhook', url: 'ftp://crm.example.com/in' } }, /https/],
      [{ lead: { type: 'webhook', url: 'http://crm.example.com/in' } }, /https:\/\/.*localhost/],
      [{ event: { type: 'webhook', url: 'not a url' } }, /not a valid URL/],
      [{ meeting: { type: 'webhook', url: 'https://user:pass@crm.example.com/in' } }, /user name or password/],
      [
        { meeting: { type: 'webhook', url: 'https://crm.example.com/in', authorization: 'Bearer a\r\nX-Evil: 1' } },
        /line break/,
      ],
      [
        { event: { type: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com', accessToken: 't' } },
        /event\.type/,
      ],
      [
        {
          lead: {
            type: 'salesforce',
            instanceUrl: 'https://acme.my.salesforce.com',
            tokenUrl: 'http://login.example.com/token',
            clientId: 'c',
            refreshToken: 'r',
          },
        },
        /token URL must start with https/,
      ],
      [{ lead: { type: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com', refreshToken: 'r' } }, /client id/],
    ];
    for (const [change, message] of refused) {
      const result = await core.handle('updateDeliverySettings', change);
      expect(result, JSON.stringify(change)).toMatchObject({
        ok: false,
        error: { code: 'bad-request', message: expect.stringMatching(message) },
      });
    }
    // Completeness depends on what is stored, so the core judges it (the CLI and tests call it directly too).
    await expect(
      core.api.updateDeliverySettings({ lead: { type: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com' } }),
    ).rejects.toMatchObject({
      code: 'bad-request',
      message: 'Leads: Salesforce needs an access token, or OAuth refresh credentials (client id and refresh token)',
    });
    await expect(
      core.api.updateDeliverySettings({ meeting: { type: 'webhook', url: 'http://10.0.0.5/in' } }),
    ).rejects.toMatchObject({ message: /^Meetings and follow-ups: the webhook URL must start with https/i });
    await expect(
      core.api.updateDeliverySettings({
        event: { type: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com', accessToken: 't' } as never,
      }),
    ).rejects.toMatchObject({
      message: 'Activity: Salesforce does not take activity events: send them to a webhook or a folder',
    });
    expect(await core.api.getDeliverySettings({})).toEqual({ lead: null, meeting: null, event: null });
    // Loopback may speak http (a local relay, a test receiver).
    expect(
      await core.api.updateDeliverySettings({ event: { type: 'webhook', url: 'http://localhost:9/in' } }),
    ).toMatchObject({ event: { url: 'http://localhost:9/in' } });
  });

  it('seals secrets: the API says only that they are set, the database bytes never hold them, the endpoint gets them', async () => {
    const { core, dir } = await newCore();
    const view = await core.api.updateDeliverySettings({
      event: { type: 'webhook', url: receiver.url, authorization: hookSecret, headers: { 'X-Tenant': 'acme-tenant' } },
      // A closed port on this machine: "Deliver now" also refreshes the CRM cache from it, in vain.
      meeting: {
        type: 'salesforce',
        instanceUrl: 'http://127.0.0.1:9',
        accessToken: sfToken,
        clientId: 'app-1',
        clientSecret: sfClientSecret,
        refreshToken: sfRefresh,
      },
    });
    expect(view).toEqual({
      lead: null,
      event: { type: 'webhook', url: receiver.url, headerNames: ['X-Tenant', 'Authorization'], hasAuthorization: true },
      meeting: {
        type: 'salesforce',
        instanceUrl: 'http://127.0.0.1:9',
        apiVersion: null,
        externalIdField: null,
        hasAccessToken: true,
        clientId: 'app-1',
        hasClientSecret: true,
        hasRefreshToken: true,
        tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
      },
    });
    const overHttp = JSON.stringify(await core.handle('getDeliverySettings', {}));
    for (const secret of [hookSecret, sfToken, sfRefresh, sfClientSecret, 'acme-tenant'])
      expect(overHttp).not.toContain(secret);

    await core.api.recordActivity({
      events: [
        { id: 'sealed-evt-0001', type: 'item.opened', at: new Date().toISOString(), itemId: 'aquacore-500-brochure' },
      ],
    });
    expect(await core.api.deliverNow({})).toMatchObject({ pending: 0 });
    const delivered = receiver.requests.at(-1)!;
    expect(delivered.headers.authorization).toBe(hookSecret);
    expect(delivered.headers['x-tenant']).toBe('acme-tenant');
    expect(delivered.body.records.map((r) => r.idempotencyKey)).toContain('event:sealed-evt-0001');

    const check = (bytes: Map<string, string>) => {
      expect([...bytes.keys()]).toContain('pitchcase.db');
      for (const [file, text] of bytes)
        for (const secret of [hookSecret, 'hook-secret-7Qx2Lm', sfToken, sfRefresh, sfClientSecret, 'acme-tenant'])
          expect(text.includes(secret), `${secret} in ${file}`).toBe(false);
    };
    check(rawProfileBytes(dir)); // with the WAL as the running app leaves it
    cores.splice(0).forEach((c) => c.close());
    check(rawProfileBytes(dir)); // and after the checkpoint on close

    // The same profile opened again (same key file) still delivers with the header.
    const again = (await newCore('standard', dir)).core;
    await again.api.recordActivity({
      events: [
        { id: 'sealed-evt-0002', type: 'item.opened', at: new Date().toISOString(), itemId: 'aquacore-500-brochure' },
      ],
    });
    await again.api.deliverNow({});
    expect(receiver.requests.at(-1)!.headers.authorization).toBe(hookSecret);
  });

  it('keeps a secret left out of a change, clears it on null, and drops it when the endpoint moves to another origin', async () => {
    const { core } = await newCore();
    await core.api.updateDeliverySettings({ event: { type: 'webhook', url: receiver.url, authorization: hookSecret } });
    // Same origin, another path: the Authorization header stays.
    expect(
      await core.api.updateDeliverySettings({ event: { type: 'webhook', url: `${receiver.url}/v2` } }),
    ).toMatchObject({ event: { hasAuthorization: true } });
    expect(await core.api.testDeliveryConnection({ kind: 'event' })).toMatchObject({ ok: true });
    expect(receiver.requests.at(-1)!.headers.authorization).toBe(hookSecret);
    // Another host would be sent the old secret: it is dropped instead.
    const moved = await core.api.updateDeliverySettings({
      event: { type: 'webhook', url: 'https://collector.example.net/in' },
    });
    expect(moved.event).toMatchObject({ hasAuthorization: false, headerNames: [] });
    await core.api.updateDeliverySettings({
      event: { type: 'webhook', url: receiver.url, authorization: 'Bearer second' },
    });
    expect(
      await core.api.updateDeliverySettings({ event: { type: 'webhook', url: receiver.url, authorization: null } }),
    ).toMatchObject({ event: { hasAuthorization: false } });
    await core.api.testDeliveryConnection({ kind: 'event' });
    expect(receiver.requests.at(-1)!.headers.authorization).toBeUndefined();

    // Salesforce: moving the instance drops every secret, refresh credentials included (they
    // would fetch tokens that then go to the new host), so the change must bring new ones.
    await core.api.updateDeliverySettings({
      lead: {
        type: 'salesforce',
        instanceUrl: 'https://a.my.salesforce.com',
        accessToken: sfToken,
        clientId: 'app-1',
        refreshToken: sfRefresh,
      },
    });
    await expect(
      core.api.updateDeliverySettings({
        lead: { type: 'salesforce', instanceUrl: 'https://b.my.salesforce.com', clientId: 'app-1' },
      }),
    ).rejects.toThrow(/Enter the refresh token/);
    expect(
      await core.api.updateDeliverySettings({
        lead: {
          type: 'salesforce',
          instanceUrl: 'https://b.my.salesforce.com',
          clientId: 'app-1',
          refreshToken: 'second-refresh',
        },
      }),
    ).toMatchObject({
      lead: { hasAccessToken: false, hasRefreshToken: true, hasClientSecret: false, clientId: 'app-1' },
    });
    expect(await core.api.updateDeliverySettings({ lead: null })).toMatchObject({ lead: null });
  });

  it('seals secrets an older version stored in clear when the profile opens', async () => {
    const first = await newCore();
    first.core.close();
    const db = new Database(path.join(first.dir, 'pitchcase.db'));
    db.prepare(
      `INSERT INTO settings (key, value) VALUES ('outbox.endpoints', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ).run(
      JSON.stringify({
        lead: { type: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com', accessToken: sfToken },
        event: { type: 'webhook', url: receiver.url, headers: { Authorization: hookSecret } },
      }),
    );
    db.close();
    const { core, dir } = await newCore('standard', first.dir);
    expect(await core.api.getDeliverySettings({})).toMatchObject({
      lead: { hasAccessToken: true },
      event: { hasAuthorization: true },
    });
    const raw = new Database(path.join(dir, 'pitchcase.db'), { readonly: true });
    const row = raw.prepare(`SELECT value FROM settings WHERE key = 'outbox.endpoints'`).get() as { value: string };
    raw.close();
    expect(row.value).not.toContain(sfToken);
    expect(row.value).not.toContain('hook-secret');
    await core.api.testDeliveryConnection({ kind: 'event' });
    expect(receiver.requests.at(-1)!.headers.authorization).toBe(hookSecret);
  });

  it('on a kiosk, reading, changing and testing where records go needs the staff PIN', async () => {
    const { core } = await newCore('kiosk');
    for (const [method, arg] of [
      ['getDeliverySettings', {}],
      ['updateDeliverySettings', { event: { type: 'webhook', url: receiver.url } }],
      ['testDeliveryConnection', { kind: 'event', endpoint: { type: 'webhook', url: receiver.url } }],
    ] as const) {
      expect(await core.handle(method, arg), method).toMatchObject({
        ok: false,
        error: { code: 'refused', message: expect.stringMatching(/Staff only/) },
      });
    }
    await core.api.setKioskPin({ pin: '482913' });
    expect(await core.handle('unlockKiosk', { pin: '482913' })).toMatchObject({ ok: true, value: { unlocked: true } });
    expect(
      await core.handle('updateDeliverySettings', { event: { type: 'webhook', url: receiver.url } }),
    ).toMatchObject({ ok: true, value: { event: { url: receiver.url } } });
    await core.api.lockKiosk({});
    expect(await core.handle('getDeliverySettings', {})).toMatchObject({ ok: false, error: { code: 'refused' } });
  });

  it('"Test connection" sends a webhook an empty batch marked as a test, and says what a refusal or silence was', async () => {
    const { core } = await newCore();
    const before = receiver.requests.length;
    // Before saving: the candidate is tested, nothing is stored.
    const result = await core.api.testDeliveryConnection({
      kind: 'lead',
      endpoint: { type: 'webhook', url: receiver.url, authorization: hookSecret },
    });
    expect(result).toEqual({
      ok: true,
      status: 200,
      message: expect.stringMatching(/^127\.0\.0\.1:\d+ accepted a test batch \(HTTP 200\)$/),
    });
    expect(receiver.requests.length).toBe(before + 1);
    const test = receiver.requests.at(-1)!;
    expect(test.headers['pitchcase-test']).toBe('1');
    expect(test.headers['idempotency-key']).toMatch(/^pitchcase-test-/);
    expect(test.headers.authorization).toBe(hookSecret);
    expect(test.body).toEqual({ records: [] });
    expect(await core.api.getDeliverySettings({})).toMatchObject({ lead: null });

    receiver.status = 401;
    try {
      expect(
        await core.api.testDeliveryConnection({ kind: 'lead', endpoint: { type: 'webhook', url: receiver.url } }),
      ).toMatchObject({
        ok: false,
        status: 401,
        message: expect.stringMatching(/answered HTTP 401: Bad credentials — check the Authorization header/),
      });
    } finally {
      receiver.status = 200;
    }
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(
      await core.api.testDeliveryConnection({
        kind: 'lead',
        endpoint: { type: 'webhook', url: `http://127.0.0.1:${port}/in` },
      }),
    ).toMatchObject({
      ok: false,
      status: null,
      message: `Could not reach 127.0.0.1:${port}: connection refused`,
    });
    await expect(core.api.testDeliveryConnection({ kind: 'meeting' })).rejects.toMatchObject({
      code: 'bad-request',
      message: /nothing is set up/,
    });
  });
});
