import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startStudio, type RunningStudio } from '#studio/index';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';
import { SimulatedDevice } from './fleet-device.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';

/**
 * The fleet's API on SQLite and on a real PostgreSQL: enrolment codes (single use, expiry),
 * devices and revocation, exactly-once ingest with per-record refusals, leads sealed at rest,
 * a manager's team scope, a viewer kept from leads, and erasure of one rep's or lead's data.
 */

const pgMissing = postgresUnavailable();
const password = 'correct horse battery';

interface Code {
  id: string;
  code: string;
  expiresAt: string;
  enrolUrl: string;
  qrSvg: string;
}

describe.each(['sqlite', 'postgres'] as const)('Studio fleet on %s', (backend) => {
  const skip = backend === 'postgres' && pgMissing !== null;
  let pg: TestPostgres | null = null;
  let data: ReturnType<typeof tempDir>;
  let studio: RunningStudio;
  let clock = new Date('2026-03-02T09:00:00Z');
  const people: Record<'admin' | 'manager' | 'otherManager' | 'viewer' | 'editor', StudioClient> = {} as never;

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'postgres') pg = await startPostgres();
    data = tempDir('studio-fleet-');
    studio = await startStudio({
      dataDir: data.dir,
      port: 0,
      database: pg?.url,
      config: { scryptCost: 2 ** 10 },
      now: () => clock,
      log: () => {},
    });
    const roles = {
      admin: 'admin',
      manager: 'manager',
      otherManager: 'manager',
      viewer: 'viewer',
      editor: 'editor',
    } as const;
    for (const [key, role] of Object.entries(roles) as [keyof typeof people, (typeof roles)[keyof typeof roles]][]) {
      const email = `${key.toLowerCase()}@example.com`;
      await createUser(studio.context, { email, name: key, role, password }, null);
      people[key] = new StudioClient(studio.url);
      expect((await people[key].signIn(email, password)).status).toBe(200);
    }
    const managers = await people.admin.call<{ id: string; email: string }[]>('GET', '/api/fleet/managers');
    for (const m of managers.value) {
      const team = m.email.startsWith('manager') ? 'North' : 'South';
      expect((await people.admin.call('PUT', `/api/fleet/managers/${m.id}`, { team })).status).toBe(200);
    }
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    pg?.stop();
    data?.cleanup();
  });

  const repCode = async (name: string, team: string, client = people.admin, extra: object = {}) =>
    client.call<Code>('POST', '/api/fleet/codes', {
      kind: 'rep',
      name,
      email: `${name.toLowerCase()}@example.com`,
      team,
      region: 'EMEA',
      ...extra,
    });

  it.skipIf(skip)('a code enrols one device once: channel, pinned key, credential and identity', async () => {
    const made = await repCode('Rita', 'North');
    expect(made.status).toBe(200);
    expect(made.value.code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(made.value.enrolUrl).toBe(`${studio.url}/enrol?code=${made.value.code}`);
    expect(made.value.qrSvg).toMatch(/^<svg[^>]*>.*<path/s);

    const device = new SimulatedDevice(studio.url);
    // Typed by hand: lower case, no dash.
    const enrolled = await device.enrol(made.value.code.toLowerCase().replace('-', ''));
    expect(enrolled.status).toBe(200);
    expect(enrolled.body.identity).toMatchObject({
      rep: { name: 'Rita', email: 'rita@example.com' },
      booth: null,
      team: 'North',
      region: 'EMEA',
    });
    expect(enrolled.body.channel.url).toBe(`${studio.url}/channels/default/`);
    expect(enrolled.body.channel.publicKeys[0]).toBe(
      readFileSync(path.join(data.dir, 'keys', 'default.public.pem'), 'utf8'),
    );
    expect(enrolled.body.ingestUrl).toBe(`${studio.url}/api/fleet/ingest`);
    expect(enrolled.body.feedUrl).toBe(`${studio.url}/api/fleet/feed`);
    // Only a hash of the secret is kept.
    const secret = enrolled.body.credential.split('.')[1]!;
    const stored = await studio.context.db.selectFrom('fleet_devices').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(secret);

    const again = await new SimulatedDevice(studio.url).enrol(made.value.code);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid-code' });
    const codes = await people.admin.call<{ id: string; state: string; deviceId: string }[]>('GET', '/api/fleet/codes');
    expect(codes.value.find((c) => c.id === made.value.id)).toMatchObject({ state: 'used', deviceId: device.id });
  });

  it.skipIf(skip)('an expired code enrols nothing; a booth code gives a booth identity', async () => {
    const made = await repCode('Eli', 'North', people.admin, { expiresInHours: 1 });
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    expect((await new SimulatedDevice(studio.url).enrol(made.value.code)).body).toMatchObject({
      error: 'invalid-code',
    });
    const booth = await people.admin.call<Code>('POST', '/api/fleet/codes', { kind: 'booth', event: 'Hamburg Expo' });
    const kiosk = await new SimulatedDevice(studio.url).enrol(booth.value.code, 'kiosk');
    expect(kiosk.status).toBe(200);
    expect(kiosk.body.identity).toMatchObject({ rep: null, booth: { event: 'Hamburg Expo' }, team: null });
  });

  it.skipIf(skip)('codes are made by admins and managers only, a manager for their own team only', async () => {
    expect((await repCode('Vic', 'North', people.viewer)).status).toBe(403);
    expect((await repCode('Ed', 'North', people.editor)).status).toBe(403);
    expect((await repCode('Sam', 'South', people.manager)).status).toBe(403);
    expect((await repCode('Nia', 'North', people.manager)).status).toBe(200);
    expect((await people.admin.call('POST', '/api/fleet/codes', { kind: 'rep', name: 'X' })).status).toBe(400);
  });

  it.skipIf(skip)('a batch is stored once per key; malformed records are refused one by one', async () => {
    const device = new SimulatedDevice(studio.url);
    await device.enrol((await repCode('Omar', 'North')).value.code);
    const at = clock.toISOString();
    const good = [
      device.event(at, { itemId: 'harbour-brochure' }),
      device.event(at, { itemId: 'harbour-brochure', page: 2, dwellMs: 4000, meetingId: 'm-1' }),
      device.meeting(at, { id: 'm-1', account: 'Acme', outcome: 'won' }),
      device.searchMiss(at, 'Tide  Tables'),
      device.status(at, { releaseVersion: 3, ready: true }),
    ];
    const bad = [
      { ...device.event(at, { itemId: 'x' }), kind: 'telepathy' },
      { ...device.event(at, { itemId: 'x' }), at: 'yesterday' },
      { ...device.event(at, { itemId: 'x' }), source: { ...device.source(), deviceId: 'someone-else' } },
      { ...device.searchMiss(at, 'x'), payload: { query: '' } },
      'not even an object',
    ];
    const records = [good[0], bad[0], good[1], bad[1], good[2], bad[2], good[3], bad[3], good[4], bad[4]];
    const first = await device.send(records, 'batch-1');
    expect(first.status).toBe(200);
    expect(first.body.accepted).toBe(5);
    expect(first.body.duplicate).toBe(false);
    expect(first.body.refused.map((r) => r.index)).toEqual([1, 3, 5, 7, 9]);
    expect(first.body.refused[0]!.reason).toMatch(/kind/);
    expect(first.body.refused[1]!.reason).toMatch(/^at/);
    expect(first.body.refused[2]!.reason).toMatch(/deviceId/);
    expect(first.body.refused[3]!.reason).toMatch(/payload\.query/);

    const repeat = await device.send(records, 'batch-1');
    expect(repeat.body).toEqual({ ...first.body, duplicate: true });
    // The same records under a new key (a device that lost its batch key) are not stored twice.
    expect((await device.send(good, 'batch-2')).body.accepted).toBe(5);
    const stored = await studio.context.db
      .selectFrom('fleet_records')
      .select(['kind', 'team', 'query_folded'])
      .where('device_id', '=', device.id)
      .execute();
    expect(stored).toHaveLength(5);
    expect(stored.find((r) => r.kind === 'search-miss')?.query_folded).toBe('tide tables');
    expect(new Set(stored.map((r) => r.team))).toEqual(new Set(['North']));
  });

  it.skipIf(skip)('the same batch sent concurrently is stored once and answered the same', async () => {
    const device = new SimulatedDevice(studio.url);
    await device.enrol((await repCode('Pia', 'North')).value.code);
    const at = clock.toISOString();
    const records = Array.from({ length: 50 }, (_, i) => device.event(at, { itemId: `item-${i}` }));
    const answers = await Promise.all(Array.from({ length: 6 }, () => device.send(records, 'same-key')));
    expect(answers.every((a) => a.status === 200 && a.body.accepted === 50)).toBe(true);
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    const count = await studio.context.db
      .selectFrom('fleet_records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('device_id', '=', device.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(50);
  });

  it.skipIf(skip)(
    'a device’s latest status wins, an older one arriving late changes nothing, and each batch marks it seen',
    async () => {
      const device = new SimulatedDevice(studio.url);
      await device.enrol((await repCode('Ola', 'North')).value.code);
      const status = () =>
        studio.context.db
          .selectFrom('fleet_device_status')
          .select(['at', 'release_version'])
          .where('device_id', '=', device.id)
          .executeTakeFirst();
      const seen = async () =>
        (
          await studio.context.db
            .selectFrom('fleet_devices')
            .select('last_seen_at')
            .where('id', '=', device.id)
            .executeTakeFirstOrThrow()
        ).last_seen_at;
      const t = clock.getTime();
      const iso = (minutes: number) => new Date(t + minutes * 60_000).toISOString();
      expect((await device.send([device.status(iso(10), { releaseVersion: 4, ready: true })], 'status-1')).status).toBe(
        200,
      );
      expect(await status()).toEqual({ at: iso(10), release_version: 4 });
      expect(await seen()).toBe(clock.toISOString());
      await device.send([device.status(iso(5), { releaseVersion: 3, ready: true })], 'status-2');
      expect(await status()).toEqual({ at: iso(10), release_version: 4 });
      await device.send([device.status(iso(20), { releaseVersion: 5, ready: false })], 'status-3');
      expect(await status()).toEqual({ at: iso(20), release_version: 5 });
    },
  );

  it.skipIf(skip)('ingest needs a credential and a key, and refuses an oversized body unread', async () => {
    const device = new SimulatedDevice(studio.url);
    await device.enrol((await repCode('Uma', 'North')).value.code);
    const url = `${studio.url}/api/fleet/ingest`;
    const noAuth = await fetch(url, { method: 'POST', body: '{"records":[]}', headers: { 'idempotency-key': 'k' } });
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ error: 'unauthorized' });
    const forged = await fetch(url, {
      method: 'POST',
      body: '{"records":[]}',
      headers: { 'idempotency-key': 'k', authorization: `Device ${device.id}.${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
    const noKey = await fetch(url, {
      method: 'POST',
      body: '{"records":[]}',
      headers: { authorization: `Device ${device.enrolment!.credential}` },
    });
    expect(noKey.status).toBe(400);
    const huge = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ records: [{ pad: 'x'.repeat(9 * 1024 * 1024) }] }),
      headers: { authorization: `Device ${device.enrolment!.credential}`, 'idempotency-key': 'big' },
    });
    expect(huge.status).toBe(413);
  });

  it.skipIf(skip)('a lead is stored sealed with consent version and retention', async () => {
    const booth = await people.admin.call<Code>('POST', '/api/fleet/codes', { kind: 'booth', event: 'Lisbon Summit' });
    const kiosk = new SimulatedDevice(studio.url);
    await kiosk.enrol(booth.value.code, 'kiosk');
    const at = clock.toISOString();
    const lead = kiosk.lead(at, {
      id: 'lead-1',
      email: 'vera.visitor@example.org',
      consentVersion: 'v2',
      viewedItems: ['harbour-brochure'],
    });
    expect((await kiosk.send([lead])).body.accepted).toBe(1);
    const row = await studio.context.db
      .selectFrom('fleet_records')
      .selectAll()
      .where('kind', '=', 'lead')
      .where('device_id', '=', kiosk.id)
      .executeTakeFirstOrThrow();
    expect(row.sealed).toBe(1);
    expect(row.payload).not.toContain('vera.visitor');
    expect(row.consent_version).toBe('v2');
    expect(row.retain_until! > at).toBe(true);
    if (backend === 'sqlite')
      expect(readFileSync(path.join(data.dir, 'studio.sqlite')).includes('vera.visitor')).toBe(false);
    expect(statSync(path.join(data.dir, 'keys', 'lead.key')).mode & 0o777).toBe(0o600);
  });

  it.skipIf(skip)(
    'an activity type this Studio does not know yet is kept, not refused; the known ones still count',
    async () => {
      const device = new SimulatedDevice(studio.url);
      await device.enrol((await repCode('Nina', 'North')).value.code);
      const at = clock.toISOString();
      const sent = await device.send([
        device.event(at, { itemId: 'tide-tables', type: 'item.annotated' }),
        device.event(at, { itemId: 'tide-tables', type: 'Not A Type!' }),
      ]);
      expect(sent.body.accepted).toBe(1);
      expect(sent.body.refused).toEqual([expect.objectContaining({ index: 1, reason: expect.stringMatching(/type/) })]);
      const stored = await studio.context.db
        .selectFrom('fleet_records')
        .select(['event_type', 'item_id'])
        .where('device_id', '=', device.id)
        .execute();
      expect(stored).toEqual([{ event_type: 'item.annotated', item_id: 'tide-tables' }]);
    },
  );

  it.skipIf(skip)(
    'text is stored exactly as sent, whatever it holds; a NUL character or half a character, which PostgreSQL cannot store, is refused by itself',
    async () => {
      const device = new SimulatedDevice(studio.url);
      await device.enrol((await repCode('Tomas', 'North')).value.code);
      const at = clock.toISOString();
      // Every character the database's bulk load treats specially, and some it does not.
      const awkward = 'Tab\there, line\nbreak, return\r, back\\slash, \\N, \\., "quotes", \u00e9t\u00e9 \u{1F30A}';
      const nul = 'Acme\u0000Corp';
      const sent = await device.send([
        device.meeting(at, { id: 'm-awkward', account: awkward, outcome: 'won' }),
        device.meeting(at, { id: 'm-nul', account: nul, outcome: 'won' }),
        device.searchMiss(at, 'search\u0000term'),
        { ...device.event(at, { itemId: 'tide-tables' }), idempotencyKey: 'key\u0000with-nul' },
        device.event(at, { itemId: 'tide\\tables\twith\ntabs' }),
        // Half of a surrogate pair: JSON carries it as an escape, PostgreSQL refuses it.
        device.meeting(at, { id: 'm-half', account: 'Acme \ud83c', outcome: 'won' }),
      ]);
      expect(sent.status).toBe(200);
      expect(sent.body.accepted).toBe(2);
      expect(sent.body.refused.map((r) => r.index)).toEqual([1, 2, 3, 5]);
      for (const refusal of sent.body.refused) expect(refusal.reason).toMatch(/NUL character/);
      const stored = await studio.context.db
        .selectFrom('fleet_records')
        .select(['kind', 'account', 'item_id', 'payload'])
        .where('device_id', '=', device.id)
        .orderBy('kind')
        .execute();
      expect(stored.map((r) => [r.kind, r.account, r.item_id])).toEqual([
        ['event', null, 'tide\\tables\twith\ntabs'],
        ['meeting', awkward, null],
      ]);
      expect(JSON.parse(stored[1]!.payload)).toMatchObject({ Account: awkward });
    },
  );

  it.skipIf(skip)('a revoked device is refused and its feed says so; a manager revokes only their team', async () => {
    const device = new SimulatedDevice(studio.url);
    await device.enrol((await repCode('Tom', 'North')).value.code);
    const south = new SimulatedDevice(studio.url);
    await south.enrol((await repCode('Sue', 'South')).value.code);
    expect((await device.feed()).body).toMatchObject({ revoked: false, deviceId: device.id });
    expect((await people.manager.call('POST', `/api/fleet/devices/${south.id}/revoke`)).status).toBe(404);
    expect((await people.viewer.call('POST', `/api/fleet/devices/${device.id}/revoke`)).status).toBe(403);
    expect((await people.manager.call('POST', `/api/fleet/devices/${device.id}/revoke`)).status).toBe(200);
    const refused = await device.send([device.event(clock.toISOString(), { itemId: 'a' })]);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'revoked' });
    expect((await device.feed()).body).toMatchObject({ revoked: true });
    const listed = await people.manager.call<{ id: string; team: string; revokedAt: string | null }[]>(
      'GET',
      '/api/fleet/devices',
    );
    expect(listed.value.every((d) => d.team === 'North')).toBe(true);
    expect(listed.value.find((d) => d.id === device.id)?.revokedAt).not.toBeNull();
    const audit = await people.admin.call<{ action: string; subject: string }[]>('GET', '/api/audit');
    expect(JSON.stringify(audit.value)).toContain('device-revoked');
  });

  it.skipIf(skip)("dashboards show what devices sent, scoped to a manager's team, with CSV", async () => {
    const north = new SimulatedDevice(studio.url);
    await north.enrol((await repCode('Nora', 'North')).value.code);
    const south = new SimulatedDevice(studio.url);
    await south.enrol((await repCode('Sven', 'South', people.admin, { region: 'Americas' })).value.code);
    const at = clock.toISOString();
    await north.send([
      north.event(at, { itemId: 'dash-item' }),
      north.event(at, { itemId: 'dash-item', page: 1, dwellMs: 10_000, meetingId: 'nm-1' }),
      north.event(at, { itemId: 'dash-item', page: 2, dwellMs: 20_000, meetingId: 'nm-1' }),
      north.meeting(at, { id: 'nm-1', account: 'Acme Harbour', outcome: 'won' }),
      north.searchMiss(at, 'Tidal Turbine'),
      north.searchMiss(at, 'tidal turbnie'),
    ]);
    await south.send([south.event(at, { itemId: 'dash-item' }), south.searchMiss(at, 'south only query')]);

    type Dash = { tables: Record<string, { rows: Record<string, string | number | null>[] }> };
    const content = await people.admin.call<Dash>('GET', '/api/fleet/dashboards/content?groupBy=item');
    const row = content.value.tables.usage!.rows.find((r) => r.key === 'dash-item')!;
    expect(row).toMatchObject({ opens: 2, views: 2, meetings: 1, dwellTotalMs: 30_000 });
    // The middle (lower) of 10 s and 20 s views, to within the histogram's ±10.25%.
    expect(Math.abs(Number(row.dwellMedianMs) - 10_000)).toBeLessThanOrEqual(1_025);

    const managerContent = await people.manager.call<Dash>('GET', '/api/fleet/dashboards/content?groupBy=team');
    expect(managerContent.value.tables.usage!.rows.map((r) => r.key)).toEqual(['North']);
    // A manager asking for another team still gets only their own.
    const sneaky = await people.manager.call<Dash>('GET', '/api/fleet/dashboards/content?groupBy=item&team=South');
    expect(sneaky.value.tables.usage!.rows).toEqual([]);

    const gaps = await people.admin.call<Dash>('GET', '/api/fleet/dashboards/search-gaps');
    const turbine = gaps.value.tables.gaps!.rows.find((r) => String(r.query).startsWith('tidal'))!;
    expect(turbine).toMatchObject({ count: 2 });
    const managerGaps = await people.manager.call<Dash>('GET', '/api/fleet/dashboards/search-gaps');
    expect(managerGaps.value.tables.gaps!.rows.map((r) => r.query)).not.toContain('south only query');

    const team = await people.manager.call<Dash>('GET', '/api/fleet/dashboards/team');
    expect(team.value.tables.meetings!.rows).toContainEqual(expect.objectContaining({ rep: 'nora@example.com' }));
    expect(team.value.tables.accounts!.rows).toContainEqual(
      expect.objectContaining({ account: 'Acme Harbour', outcome: 'won', item: 'dash-item', views: 2 }),
    );
    expect((await people.viewer.call('GET', '/api/fleet/dashboards/team')).status).toBe(403);

    const csv = await fetch(`${studio.url}/api/fleet/dashboards/content?groupBy=item&format=csv`, {
      headers: { cookie: people.admin.cookie! },
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="content-usage-/);
    const lines = (await csv.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('Item,Opens,Meetings shown in,Page views,Median dwell,Total dwell');
    expect(lines.some((l) => l.startsWith('dash-item,2,1,2,'))).toBe(true);

    // An item's page drop-off, titled as the library titles the item (its id when there is none).
    type Titled = { tables: Record<string, { title: string; rows: Record<string, string | number | null>[] }> };
    const pages = await people.admin.call<Titled>('GET', '/api/fleet/dashboards/pages?item=dash-item');
    expect(pages.value.tables.pages).toMatchObject({
      title: 'Page drop-off: dash-item',
      rows: [
        { page: 1, views: 1, kept: 100 },
        { page: 2, views: 1, kept: 100 },
      ],
    });
    const uploaded = await people.admin.upload<{ id: string; revision: number }>(
      'default',
      'dash-brochure.pdf',
      await makePdf('Dash brochure', ['One', 'Two']),
    );
    expect(uploaded.status).toBe(200);
    await north.send([north.event(at, { itemId: uploaded.value.id, page: 1, dwellMs: 5_000 })]);
    const pagesOf = async () =>
      (await people.admin.call<Titled>('GET', `/api/fleet/dashboards/pages?item=${uploaded.value.id}`)).value.tables
        .pages!;
    // Untitled, an item is known by its file's name, as the library lists it.
    expect((await pagesOf()).title).toBe('Page drop-off: dash-brochure.pdf');
    const edited = await people.admin.call('PATCH', `/api/channels/default/items/${uploaded.value.id}`, {
      revision: uploaded.value.revision,
      fields: { title: 'Dash brochure 2027' },
    });
    expect(edited.status).toBe(200);
    const titled = await pagesOf();
    expect(titled.title).toBe('Page drop-off: Dash brochure 2027');
    expect(titled.rows).toEqual([expect.objectContaining({ page: 1, views: 1 })]);

    // The filters suggest the teams and regions devices were enrolled in; a manager, their own.
    type Choices = { teams: string[]; regions: string[]; reps: string[] };
    const choices = await people.admin.call<Choices>('GET', '/api/fleet/choices');
    expect(choices.value.teams).toEqual(expect.arrayContaining(['North', 'South']));
    expect(choices.value.teams).toEqual([...choices.value.teams].sort((a, b) => a.localeCompare(b)));
    expect(choices.value.regions).toContain('EMEA');
    expect(choices.value.regions).toContain('Americas');
    const managerChoices = await people.manager.call<Choices>('GET', '/api/fleet/choices');
    expect(managerChoices.value.teams).toEqual(['North']);
    // The manager's team has devices in EMEA only (Americas is South's).
    expect(managerChoices.value.regions).not.toContain('Americas');
    expect(managerChoices.value.regions).toContain('EMEA');
    expect(choices.value.reps).toEqual(expect.arrayContaining(['nora@example.com', 'sven@example.com']));
    expect(managerChoices.value.reps).toContain('nora@example.com');
    expect(managerChoices.value.reps).not.toContain('sven@example.com');
    expect((await people.viewer.call('GET', '/api/fleet/choices')).status).toBe(200);
    expect((await fetch(`${studio.url}/api/fleet/choices`)).status).toBe(401);
    expect((await people.admin.call('GET', '/api/fleet/choices?team=South')).status).toBe(400);

    const ready = await people.admin.call<Dash & { currentRelease: number | null }>(
      'GET',
      '/api/fleet/dashboards/readiness',
    );
    expect(ready.value.tables.teams!.rows.map((r) => r.team)).toContain('North');
  });

  it.skipIf(skip)('a viewer sees content use but no leads; booths show leads per event and consent', async () => {
    expect((await people.viewer.call('GET', '/api/fleet/dashboards/content')).status).toBe(200);
    expect((await people.viewer.call('GET', '/api/fleet/dashboards/booths')).status).toBe(403);
    expect((await people.viewer.call('GET', '/api/fleet/privacy/export?lead=lead-1')).status).toBe(403);
    expect((await people.viewer.call('GET', '/api/fleet/devices')).status).toBe(403);
    type Dash = { tables: Record<string, { rows: Record<string, string | number | null>[] }> };
    const booths = await people.editor.call<Dash>('GET', '/api/fleet/dashboards/booths');
    expect(booths.value.tables.leads!.rows).toContainEqual(
      expect.objectContaining({ event: 'Lisbon Summit', leads: 1, consentRate: 100 }),
    );
    expect(booths.value.tables.viewed!.rows).toContainEqual(
      expect.objectContaining({ event: 'Lisbon Summit', item: 'harbour-brochure', leads: 1 }),
    );
    expect(JSON.stringify(booths.value)).not.toContain('vera.visitor');
  });

  it.skipIf(skip)("an admin exports and erases one rep's data and one lead, and the audit log says so", async () => {
    const device = new SimulatedDevice(studio.url);
    await device.enrol((await repCode('Gus', 'North')).value.code);
    const at = clock.toISOString();
    await device.send([
      device.event(at, { itemId: 'a' }),
      device.meeting(at, { id: 'gm', account: 'X', outcome: 'won' }),
    ]);
    const exported = await people.admin.call<{ records: unknown[]; devices: unknown[] }>(
      'GET',
      '/api/fleet/privacy/export?rep=gus@example.com',
    );
    expect(exported.value.records).toHaveLength(2);
    expect(exported.value.devices).toHaveLength(1);
    expect((await people.manager.call('POST', '/api/fleet/privacy/erase', { rep: 'gus@example.com' })).status).toBe(
      403,
    );
    const erased = await people.admin.call<{ records: number }>('POST', '/api/fleet/privacy/erase', {
      rep: 'gus@example.com',
    });
    expect(erased.value.records).toBe(2);
    const left = await studio.context.db
      .selectFrom('fleet_records')
      .select('kind')
      .where('device_id', '=', device.id)
      .execute();
    expect(left).toEqual([]);
    const devices = await people.admin.call<{ id: string; repEmail: string | null; revokedAt: string | null }[]>(
      'GET',
      '/api/fleet/devices',
    );
    expect(devices.value.find((d) => d.id === device.id)).toMatchObject({ repEmail: null });
    expect(devices.value.find((d) => d.id === device.id)?.revokedAt).not.toBeNull();
    expect(JSON.stringify(devices.value)).not.toContain('gus@example.com');
    // Nor do the filters suggest an erased rep.
    const choices = await people.admin.call<{ reps: string[] }>('GET', '/api/fleet/choices');
    expect(choices.value.reps).not.toContain('gus@example.com');

    const lead = await people.admin.call<{ records: { payload: { email: string } }[] }>(
      'GET',
      '/api/fleet/privacy/export?visitor=vera.visitor@example.org',
    );
    expect(lead.value.records[0]!.payload.email).toBe('vera.visitor@example.org');
    expect((await people.admin.call('POST', '/api/fleet/privacy/erase', { lead: 'lead-1' })).value).toMatchObject({
      records: 1,
    });
    expect(
      (await people.admin.call('GET', '/api/fleet/privacy/export?lead=lead-1')).value as { records: unknown[] },
    ).toMatchObject({ records: [] });
    const audit = await people.admin.call<{ action: string }[]>('GET', '/api/audit');
    const actions = JSON.stringify(audit.value);
    expect(actions).toContain('fleet-data-exported');
    expect(actions).toContain('fleet-data-erased');
    expect(actions).not.toContain('gus@example.com');
  });

  it.skipIf(skip)('a lead past its retention date is deleted', async () => {
    const booth = await people.admin.call<Code>('POST', '/api/fleet/codes', { kind: 'booth', event: 'Oslo Days' });
    const kiosk = new SimulatedDevice(studio.url);
    await kiosk.enrol(booth.value.code, 'kiosk');
    const lead = kiosk.lead(clock.toISOString(), {
      id: 'short-lived',
      email: 'o@example.org',
      consentVersion: 'v1',
      viewedItems: [],
    });
    (lead.payload as { retentionDays?: number }).retentionDays = 1;
    expect((await kiosk.send([lead])).body.accepted).toBe(1);
    const leads = () =>
      studio.context.db
        .selectFrom('fleet_records')
        .select('idempotency_key')
        .where('device_id', '=', kiosk.id)
        .execute();
    expect(await leads()).toHaveLength(1);
    clock = new Date(clock.getTime() + 2 * 86_400_000);
    await kiosk.send([kiosk.searchMiss(clock.toISOString(), 'anything')]);
    expect((await leads()).map((r) => r.idempotency_key)).not.toContain(lead.idempotencyKey);
  });
});
