import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type RunningStudio } from '#studio/index';
import { publishSnapshot } from '#studio/releases/publish';
import { startPublishJob } from '#studio/releases/publish-jobs';
import type { Snapshot } from '#studio/releases/snapshot';
import type { Manifest } from '#shared/manifest';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.ts';
import { makeZip } from './zip.ts';

/**
 * Studio's API end to end over HTTP, once on SQLite and once on a real PostgreSQL on loopback:
 * first admin, people and roles, uploads, metadata, draft diff, review with the two-person
 * rule, publishing through the release pipeline, the hosted channel, roll back, audit log; and
 * the refusals a network service owes its users.
 */

const pgMissing = postgresUnavailable();
if (pgMissing) console.warn(`Studio PostgreSQL tests skipped: ${pgMissing}`);

const password = 'correct horse battery';
const testConfig = {
  scryptCost: 2 ** 10,
  maxUploadBytes: 2 * 1024 * 1024,
  zipLimits: { maxEntries: 100, maxTotalBytes: 8 * 1024 * 1024, maxRatio: 200 },
};

interface Item {
  id: string;
  revision: number;
  title: string | null;
  tags: string[];
  fileSha256: string;
}
interface Release {
  id: string;
  state: string;
  version: number | null;
}

describe.each(['sqlite', 'postgres'] as const)('Studio API on %s', (backend) => {
  const skip = backend === 'postgres' && pgMissing !== null;
  let pg: TestPostgres | null = null;
  let data: ReturnType<typeof tempDir>;
  let studio: RunningStudio;
  let admin: StudioClient;
  let editor: StudioClient;
  let approver: StudioClient;
  let viewer: StudioClient;
  let brochure: Uint8Array;

  beforeAll(async () => {
    if (skip) return;
    if (backend === 'postgres') pg = await startPostgres();
    data = tempDir('studio-api-');
    studio = await startStudio({ dataDir: data.dir, port: 0, database: pg?.url, config: testConfig, log: () => {} });
    admin = new StudioClient(studio.url);
    editor = new StudioClient(studio.url);
    approver = new StudioClient(studio.url);
    viewer = new StudioClient(studio.url);
    brochure = await makePdf('Harbour brochure', ['Welcome aboard', 'Our tide tables beat every rival', 'Contact us']);
  }, 60_000);

  afterAll(async () => {
    await studio?.close();
    pg?.stop();
    data?.cleanup();
  });

  it.skipIf(skip)('the set-up link creates the first admin once, then never again', async () => {
    expect((await admin.call('GET', '/api/setup')).value).toEqual({ needed: true });
    const token = studio.setupUrl!.split('#')[1]!;
    expect(
      (
        await admin.call('POST', '/api/setup', {
          token: 'x'.repeat(32),
          email: 'ada@example.com',
          name: 'Ada',
          password,
        })
      ).status,
    ).toBe(403);
    const created = await admin.call<{ user: { role: string } }>('POST', '/api/setup', {
      token,
      email: 'ada@example.com',
      name: 'Ada',
      password,
    });
    expect(created.status).toBe(200);
    expect(created.value.user.role).toBe('admin');
    const cookie = created.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(
      (
        await new StudioClient(studio.url).call('POST', '/api/setup', {
          token,
          email: 'eve@example.com',
          name: 'Eve',
          password,
        })
      ).status,
    ).toBe(403);
    expect((await admin.call('GET', '/api/setup')).value).toEqual({ needed: false });
  });

  it.skipIf(skip)('an admin invites people with roles; each signs in', async () => {
    for (const [client, email, role] of [
      [editor, 'ed@example.com', 'editor'],
      [approver, 'amy@example.com', 'approver'],
      [viewer, 'vic@example.com', 'viewer'],
    ] as const) {
      expect(
        (await admin.call('POST', '/api/users', { email, name: email.split('@')[0], role, password })).status,
      ).toBe(200);
      const signedIn = await client.signIn(email, password);
      expect(signedIn.status).toBe(200);
      expect((await client.call<{ user: { role: string } }>('GET', '/api/session')).value.user.role).toBe(role);
    }
    const users = await admin.call<{ email: string }[]>('GET', '/api/users');
    expect(users.value.map((u) => u.email)).toEqual([
      'ada@example.com',
      'amy@example.com',
      'ed@example.com',
      'vic@example.com',
    ]);
  });

  it.skipIf(skip)(
    'an editor uploads a PDF (stored by its hash) and edits its metadata, alone and in bulk',
    async () => {
      const up = await editor.upload<Item>('default', 'harbour-brochure.pdf', brochure);
      expect(up.status).toBe(200);
      expect(up.value.id).toBe('harbour-brochure');
      expect(statSync(path.join(data.dir, 'blobs', up.value.fileSha256)).size).toBe(brochure.length);
      const photo = await editor.upload<Item>(
        'default',
        'deck photo.png',
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]),
      );
      expect(photo.status).toBe(200);

      const edited = await editor.call<Item>('PATCH', '/api/channels/default/items/harbour-brochure', {
        revision: 1,
        fields: { title: 'Harbour brochure 2027', tags: ['maritime'] },
      });
      expect(edited.value).toMatchObject({ title: 'Harbour brochure 2027', revision: 2 });
      // Someone editing from the old revision is told, and changes nothing.
      const stale = await editor.call('PATCH', '/api/channels/default/items/harbour-brochure', {
        revision: 1,
        fields: { title: 'Lost edit' },
      });
      expect(stale.status).toBe(409);
      const bad = await editor.call('PATCH', '/api/channels/default/items/harbour-brochure', {
        revision: 2,
        fields: { shareUrl: 'javascript:alert(1)' },
      });
      expect(bad.status).toBe(400);

      const bulk = await editor.call('PATCH', '/api/channels/default/items', {
        ids: ['harbour-brochure', 'deck-photo'],
        addTags: ['q3'],
        fields: { products: ['Tides'] },
      });
      expect(bulk.value).toEqual({ updated: 2 });
      const page = await viewer.call<{ total: number; items: Item[] }>(
        'GET',
        '/api/channels/default/items?q=tides&limit=1',
      );
      expect(page.value.total).toBe(2);
      expect(page.value.items).toHaveLength(1);
      const found = await viewer.call<{ total: number; items: Item[] }>('GET', '/api/channels/default/items?q=2027');
      expect(found.value.items.map((i) => i.id)).toEqual(['harbour-brochure']);
      expect(found.value.items[0]!.tags).toEqual(['maritime', 'q3']);
      // Filtered by kind on the server, with the search: the count is of what matches both.
      const pdfs = await viewer.call<{ total: number; items: Item[] }>(
        'GET',
        '/api/channels/default/items?q=tides&kind=pdf',
      );
      expect(pdfs.value.items.map((i) => i.id)).toEqual(['harbour-brochure']);
      expect(pdfs.value.total).toBe(1);
      expect((await viewer.call('GET', '/api/channels/default/items?kind=spreadsheet')).status).toBe(400);
    },
  );

  it.skipIf(skip)('lists items expiring within N days, soonest first, and each item keeps its history', async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const later = new Date(Date.now() + 60 * 86_400_000).toISOString();
    const photo = (await viewer.call<{ items: Item[] }>('GET', '/api/channels/default/items?q=deck')).value.items[0]!;
    await editor.call('PATCH', '/api/channels/default/items/deck-photo', {
      revision: photo.revision,
      fields: { validUntil: later },
    });
    const brochureItem = (await viewer.call<{ items: Item[] }>('GET', '/api/channels/default/items?q=brochure')).value
      .items[0]!;
    await editor.call('PATCH', '/api/channels/default/items/harbour-brochure', {
      revision: brochureItem.revision,
      fields: { validUntil: soon },
    });
    expect((await viewer.call<Item[]>('GET', '/api/channels/default/expiring?days=30')).value.map((i) => i.id)).toEqual(
      ['harbour-brochure'],
    );
    expect((await viewer.call<Item[]>('GET', '/api/channels/default/expiring?days=90')).value.map((i) => i.id)).toEqual(
      ['harbour-brochure', 'deck-photo'],
    );
    const history = await viewer.call<{ action: string; by: string }[]>(
      'GET',
      '/api/channels/default/items/harbour-brochure/history',
    );
    expect(history.value.map((h) => h.action)).toEqual(['item-edited', 'item-edited', 'item-edited', 'upload']);
    expect(history.value.at(-1)!.by).toBe('ed');
    // Back to no end date, so the releases below carry no expiry.
    for (const id of ['harbour-brochure', 'deck-photo']) {
      const item = (await viewer.call<{ items: Item[] }>('GET', `/api/channels/default/items?q=${id.split('-')[1]}`))
        .value.items[0]!;
      expect(
        (
          await editor.call('PATCH', `/api/channels/default/items/${id}`, {
            revision: item.revision,
            fields: { validUntil: null },
          })
        ).status,
      ).toBe(200);
    }
  });

  it.skipIf(skip)('the draft diff lists new items with their bytes before anything is published', async () => {
    const diff = await viewer.call<{
      baseVersion: number | null;
      added: { id: string; bytes: number }[];
      downloadBytes: number;
    }>('GET', '/api/channels/default/draft');
    expect(diff.value.baseVersion).toBeNull();
    expect(diff.value.added.map((a) => a.id)).toEqual(['deck-photo', 'harbour-brochure']);
    expect(diff.value.added.find((a) => a.id === 'harbour-brochure')!.bytes).toBe(brochure.length);
  });

  it.skipIf(skip)(
    'review: nobody approves their own release under the two-person rule; an editor may not approve at all',
    async () => {
      const own = await admin.call<{ release: Release }>('POST', '/api/channels/default/releases', { note: 'mine' });
      expect(own.status).toBe(200);
      const selfApproval = await admin.call('POST', `/api/releases/${own.value.release.id}/approve`, {});
      expect(selfApproval.status).toBe(403);
      expect(selfApproval.error!.message).toMatch(/two-person rule/);
      expect((await editor.call('POST', `/api/releases/${own.value.release.id}/approve`, {})).status).toBe(403);
      expect((await editor.call('POST', `/api/releases/${own.value.release.id}/publish`, {})).status).toBe(409);
      expect(
        (
          await approver.call<Release>('POST', `/api/releases/${own.value.release.id}/reject`, {
            reason: 'editor submits',
          })
        ).value.state,
      ).toBe('rejected');
    },
  );

  let first: Release;
  it.skipIf(skip)(
    'editor submits, approver approves, editor publishes: the channel folder holds a signed release of the same format',
    async () => {
      const submitted = await editor.call<{ release: Release }>('POST', '/api/channels/default/releases', {
        note: 'first',
      });
      const approved = await approver.call<Release>('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
      expect(approved.value.state).toBe('approved');
      // Publishing runs in the background: the request answers at once with the job to follow.
      const published = await editor.publish(`/api/releases/${submitted.value.release.id}/publish`);
      expect(published.accepted.status).toBe(202);
      expect(published.accepted.headers.get('location')).toBe(`/api/publish-jobs/${published.accepted.value.id}`);
      expect(published.accepted.value).toMatchObject({ state: 'running', kind: 'publish', version: null });
      expect(published.job).toMatchObject({
        state: 'succeeded',
        stage: 'done',
        version: 1,
        itemsDone: 2,
        itemsTotal: 2,
        error: null,
      });
      expect(published.job!.bytesDone).toBeGreaterThan(0);
      expect(published.job!.bytesDone).toBe(published.job!.bytesTotal);
      const history = await viewer.call<Release[]>('GET', '/api/channels/default/releases');
      first = history.value.find((r) => r.id === submitted.value.release.id)!;
      expect(first).toMatchObject({ state: 'published', version: 1 });
      // A reloaded page finds the job (and its outcome) among the channel's jobs.
      const jobs = await viewer.call<{ id: string; state: string }[]>('GET', '/api/channels/default/publish-jobs');
      expect(jobs.value[0]).toMatchObject({ id: published.accepted.value.id, state: 'succeeded' });
      const manifest = JSON.parse(
        readFileSync(path.join(data.dir, 'channels', 'default', 'channel.json'), 'utf8'),
      ) as Manifest;
      expect(manifest.version).toBe(1);
      expect(manifest.items.map((i) => [i.id, i.title])).toEqual([
        ['deck-photo', 'Deck photo'],
        ['harbour-brochure', 'Harbour brochure 2027'],
      ]);
      expect(manifest.items.find((i) => i.id === 'harbour-brochure')!.pageCount).toBe(3);
      const keyMode = statSync(path.join(data.dir, 'keys', 'default.private.pem')).mode & 0o777;
      expect(keyMode).toBe(0o600);
      const channels = await viewer.call<{ publicKeyPem: string }[]>('GET', '/api/channels');
      expect(JSON.stringify(channels.value)).not.toMatch(/PRIVATE KEY/);
    },
  );

  it.skipIf(skip)('the library shows the published thumbnail of an item whose file has not changed since', async () => {
    const page = await viewer.call<{ items: (Item & { thumbnail: boolean })[] }>('GET', '/api/channels/default/items');
    expect(page.value.items.map((i) => [i.id, i.thumbnail])).toEqual([
      ['deck-photo', true],
      ['harbour-brochure', true],
    ]);
    // The publisher's cover: WebP (RIFF....WEBP).
    const cover = await fetch(`${studio.url}/api/channels/default/items/harbour-brochure/thumbnail`, {
      headers: { cookie: viewer.cookie! },
    });
    expect(cover.status, await cover.clone().text()).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/webp');
    expect(
      Buffer.from(await cover.arrayBuffer())
        .subarray(8, 12)
        .toString('latin1'),
    ).toBe('WEBP');
    expect((await fetch(`${studio.url}/api/channels/default/items/harbour-brochure/thumbnail`)).status).toBe(401);
  });

  it.skipIf(skip)(
    'hosts the channel: ETag and 304, HEAD, Range, immutable blobs served as inert downloads',
    async () => {
      const manifest = await fetch(`${studio.url}/channels/default/channel.json`);
      expect(manifest.status).toBe(200);
      expect(manifest.headers.get('cache-control')).toBe('no-cache');
      const etag = manifest.headers.get('etag')!;
      const body = (await manifest.json()) as Manifest;
      expect(
        (await fetch(`${studio.url}/channels/default/channel.json`, { headers: { 'if-none-match': etag } })).status,
      ).toBe(304);
      const pdf = body.items.find((i) => i.id === 'harbour-brochure')!.files.find((f) => f.role === 'primary')!;
      const blobUrl = `${studio.url}/channels/default/blobs/${pdf.sha256}`;
      const head = await fetch(blobUrl, { method: 'HEAD' });
      expect(head.headers.get('content-length')).toBe(String(pdf.size));
      expect(head.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(head.headers.get('content-security-policy')).toMatch(/sandbox/);
      expect(head.headers.get('content-disposition')).toBe('attachment');
      const part = await fetch(blobUrl, { headers: { range: 'bytes=0-4' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 0-4/${pdf.size}`);
      expect(Buffer.from(await part.arrayBuffer()).toString('latin1')).toBe('%PDF-');
      expect((await fetch(blobUrl, { headers: { range: `bytes=${pdf.size}-` } })).status).toBe(416);
      expect((await fetch(`${studio.url}/channels/default/blobs/${'0'.repeat(64)}`)).status).toBe(404);
      expect((await fetch(`${studio.url}/channels/default/../keys/default.private.pem`)).status).toBe(404);
    },
  );

  it.skipIf(skip)(
    'a changed file shows in the diff; roll back publishes a higher version with the earlier content',
    async () => {
      const v2pdf = await makePdf('Harbour brochure', [
        'Welcome aboard',
        'Tide tables, now with moon phases',
        'Contact us',
      ]);
      expect((await editor.upload('default', 'harbour-brochure.pdf', v2pdf, '&item=harbour-brochure')).status).toBe(
        200,
      );
      expect((await editor.call('DELETE', '/api/channels/default/items/deck-photo', {})).status).toBe(200);
      const diff = await viewer.call<{
        baseVersion: number;
        changed: { id: string; fileChanged: boolean; bytes: number }[];
        removed: { id: string }[];
      }>('GET', '/api/channels/default/draft');
      expect(diff.value.baseVersion).toBe(1);
      expect(diff.value.changed).toEqual([
        expect.objectContaining({ id: 'harbour-brochure', fileChanged: true, bytes: v2pdf.length }),
      ]);
      expect(diff.value.removed.map((r) => r.id)).toEqual(['deck-photo']);
      // Which pages of the changed PDF changed, with the published and the draft page side by side.
      const pages = await viewer.call<{
        published: boolean;
        pages: { page: number; status: string; before: string | null; after: string | null }[];
      }>('GET', '/api/channels/default/draft/items/harbour-brochure/pages');
      expect(pages.value.published).toBe(true);
      expect(pages.value.pages.map((p) => [p.page, p.status])).toEqual([
        [1, 'same'],
        [2, 'changed'],
        [3, 'same'],
      ]);
      // Both sides drawn from the PDFs (a release carries no page thumbnails), as WebP.
      expect(pages.value.pages[1]!.after).toMatch(/^data:image\/webp;base64,/);
      expect(pages.value.pages[1]!.before).toMatch(/^data:image\/webp;base64,/);
      expect(pages.value.pages[1]!.before).not.toBe(pages.value.pages[1]!.after);
      const submitted = await editor.call<{ release: Release }>('POST', '/api/channels/default/releases', {});
      await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
      expect((await approver.publish(`/api/releases/${submitted.value.release.id}/publish`)).job?.version).toBe(2);

      const v1 = JSON.parse(
        readFileSync(path.join(data.dir, 'channels', 'default', 'channel.json'), 'utf8'),
      ) as Manifest;
      expect(v1.items.map((i) => i.id)).toEqual(['harbour-brochure']);
      // Roll back goes through the same background job.
      const rolled = await approver.publish(`/api/releases/${first.id}/rollback`);
      expect(rolled.accepted.status).toBe(202);
      expect(rolled.job).toMatchObject({ state: 'succeeded', kind: 'rollback', version: 3 });
      const v3 = JSON.parse(
        readFileSync(path.join(data.dir, 'channels', 'default', 'channel.json'), 'utf8'),
      ) as Manifest;
      expect(v3.version).toBe(3);
      expect(v3.items.map((i) => i.id)).toEqual(['deck-photo', 'harbour-brochure']);
      const history = await viewer.call<Release[]>('GET', '/api/channels/default/releases');
      expect(
        history.value
          .filter((r) => r.state === 'published')
          .map((r) => r.version)
          .sort(),
      ).toEqual([1, 2, 3]);
    },
  );

  it.skipIf(skip)('a microsite .zip is accepted and published as a site', async () => {
    const zip = makeZip([
      { name: 'calc/index.html', data: '<h1>ROI</h1>' },
      { name: 'calc/app.js', data: 'console.log(1)', deflate: true },
    ]);
    const up = await editor.upload<Item>('default', 'roi-calculator.zip', zip);
    expect(up.status).toBe(200);
    const submitted = await editor.call<{ release: Release }>('POST', '/api/channels/default/releases', {});
    await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
    const published = await editor.publish(`/api/releases/${submitted.value.release.id}/publish`);
    expect(published.job?.version).toBe(4);
    const manifest = JSON.parse(
      readFileSync(path.join(data.dir, 'channels', 'default', 'channel.json'), 'utf8'),
    ) as Manifest;
    const site = manifest.items.find((i) => i.id === 'roi-calculator')!;
    expect(site.kind).toBe('microsite');
    expect(
      site.files
        .filter((f) => f.role === 'site')
        .map((f) => f.path)
        .sort(),
    ).toEqual(['app.js', 'index.html']);
  });

  it.skipIf(skip)(
    'a publish of the channel running in another Studio process makes this one wait its turn, not write over it',
    async () => {
      const held = `${new Date(Date.now() + 60_000).toISOString()}|another-process`;
      await studio.context.db.insertInto('settings').values({ key: 'publish-lock:default', value: held }).execute();
      const busy = await approver.call('POST', `/api/releases/${first.id}/rollback`, {});
      expect(busy.status).toBe(409);
      expect(busy.error!.message).toMatch(/Another publish/);
      const manifest = JSON.parse(
        readFileSync(path.join(data.dir, 'channels', 'default', 'channel.json'), 'utf8'),
      ) as Manifest;
      expect(manifest.version).toBe(4);
      await studio.context.db.deleteFrom('settings').where('key', '=', 'publish-lock:default').execute();
    },
  );

  it.skipIf(skip)(
    'a large file goes up in parts, resumes from the offset the server holds, and becomes an item when complete',
    async () => {
      const whole = Buffer.from(
        await makePdf(
          'Field guide',
          Array.from({ length: 40 }, (_, i) => `Field guide page ${i + 1}`),
        ),
      );
      const cut = [Math.floor(whole.length / 3), Math.floor((2 * whole.length) / 3)];
      const started = await editor.call<{ id: string; offset: number }>(
        'POST',
        '/api/channels/default/upload-sessions',
        { name: 'field-guide.pdf', size: whole.length },
      );
      expect(started.value.offset).toBe(0);
      const put = (client: StudioClient, offset: number, bytes: Buffer) =>
        client.call<{ offset: number; item: Item | null }>(
          'PUT',
          `/api/upload-sessions/${started.value.id}?offset=${offset}`,
          undefined,
          { raw: bytes },
        );
      expect((await put(editor, 0, whole.subarray(0, cut[0]))).value).toMatchObject({ offset: cut[0], item: null });
      // A part sent from the wrong place is refused, and says where to go on from.
      const wrong = await put(editor, 0, whole.subarray(0, cut[0]));
      expect(wrong.status).toBe(409);
      expect(wrong.error!.message).toContain(`${cut[0]} bytes`);
      // Only the person who started it can add to it.
      expect((await put(approver, cut[0]!, whole.subarray(cut[0], cut[1]))).status).toBe(403);
      expect((await admin.call('GET', `/api/upload-sessions/${started.value.id}`)).status).toBe(404);
      // More bytes than announced: refused, and the part is not kept.
      expect((await put(editor, cut[0]!, Buffer.concat([whole.subarray(cut[0]), Buffer.alloc(10)]))).status).toBe(413);
      expect(
        (await editor.call<{ offset: number }>('GET', `/api/upload-sessions/${started.value.id}`)).value.offset,
      ).toBe(cut[0]);
      expect((await put(editor, cut[0]!, whole.subarray(cut[0], cut[1]))).value.offset).toBe(cut[1]);
      const done = await put(editor, cut[1]!, whole.subarray(cut[1]));
      expect(done.value.item).toMatchObject({ id: 'field-guide', kind: 'pdf', fileSize: whole.length });
      expect(readFileSync(path.join(data.dir, 'blobs', done.value.item!.fileSha256)).equals(whole)).toBe(true);
      expect((await editor.call('GET', `/api/upload-sessions/${started.value.id}`)).status).toBe(404);
      // An upload left for more than a day is given up when the next one starts.
      const abandoned = await editor.call<{ id: string }>('POST', '/api/channels/default/upload-sessions', {
        name: 'left.pdf',
        size: 100,
      });
      await studio.context.db
        .updateTable('upload_sessions')
        .set({ created_at: '2020-01-01T00:00:00.000Z' })
        .where('id', '=', abandoned.value.id)
        .execute();
      await editor.call('POST', '/api/channels/default/upload-sessions', { name: 'next.pdf', size: 100 });
      expect((await editor.call('GET', `/api/upload-sessions/${abandoned.value.id}`)).status).toBe(404);
      expect(existsSync(path.join(data.dir, 'tmp', `upload-${abandoned.value.id}`))).toBe(false);
      // Announcing more than the limit is refused before a byte is sent.
      expect(
        (
          await editor.call('POST', '/api/channels/default/upload-sessions', {
            name: 'huge.mp4',
            size: testConfig.maxUploadBytes + 1,
          })
        ).status,
      ).toBe(413);
      expect((await editor.call('DELETE', '/api/channels/default/items/field-guide', {})).status).toBe(200);
    },
  );

  it.skipIf(skip)(
    'collections (one ordered list), the glossary, the attract loop and practice prompts are edited and published with the release',
    async () => {
      const list = [
        { id: 'maritime-kit', title: 'Maritime kit', description: 'For harbour masters' },
        { id: 'basics', title: 'Basics', description: '' },
      ];
      expect((await viewer.call('PUT', '/api/channels/default/collections', { collections: list })).status).toBe(403);
      expect(
        (await editor.call('PUT', '/api/channels/default/collections', { collections: [list[0], list[0]] })).status,
      ).toBe(400);
      expect((await editor.call('PUT', '/api/channels/default/collections', { collections: list })).value).toEqual(
        list,
      );
      const item = (await viewer.call<{ items: Item[] }>('GET', '/api/channels/default/items?q=harbour')).value
        .items[0]!;
      await editor.call('PATCH', '/api/channels/default/items/harbour-brochure', {
        revision: item.revision,
        fields: { collections: ['maritime-kit', 'loose-ends'] },
      });
      expect(
        (await viewer.call<{ collectionsChanged: boolean }>('GET', '/api/channels/default/draft')).value
          .collectionsChanged,
      ).toBe(true);
      const terms = [
        { id: 'neap-tide', term: 'Neap tide', definition: 'The smallest tidal range.', aliases: ['neap'] },
      ];
      expect((await viewer.call('PUT', '/api/channels/default/glossary', { terms })).status).toBe(403);
      expect((await editor.call('PUT', '/api/channels/default/glossary', { terms })).status).toBe(200);
      expect(
        (
          await editor.call('PUT', '/api/channels/default/attract', {
            attract: { items: ['harbour-brochure', 'ghost'], secondsPerItem: 5 },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await editor.call('PUT', '/api/channels/default/attract', {
            attract: { items: ['harbour-brochure'], secondsPerItem: 5 },
          })
        ).status,
      ).toBe(200);
      // Practice prompts: on an item's page or on a term, checked against the library and glossary.
      const prompts = [
        {
          id: 'tides-in-60',
          title: 'The harbour brochure tide tables in 60 seconds',
          item: 'harbour-brochure',
          page: 2,
          keyMessages: ['Tables for every port', 'Updated weekly'],
          timeLimitSeconds: 60,
        },
        {
          id: 'neap',
          title: 'Explain a neap tide',
          term: 'neap-tide',
          keyMessages: ['Smallest range'],
          timeLimitSeconds: 30,
        },
      ];
      const savePrompts = (caller: typeof editor, list: unknown[]) =>
        caller.call<unknown>('PUT', '/api/channels/default/practice-prompts', { prompts: list });
      expect((await savePrompts(viewer, prompts)).status).toBe(403);
      const refusals: [unknown, RegExp][] = [
        [{ ...prompts[0], item: 'ghost' }, /prompt 1 \("tides-in-60"\): item: the library has no item "ghost"/],
        [{ ...prompts[0], page: 9 }, /prompt 1 \("tides-in-60"\): page: "harbour-brochure" has 3 pages, not 9/],
        [{ ...prompts[0], item: 'roi-calculator' }, /page: "roi-calculator" is not a PDF/],
        [{ ...prompts[1], term: 'spring-tide' }, /term: the glossary has no term "spring-tide"/],
        [{ ...prompts[1], keyMessages: [] }, /keyMessages: a practice prompt lists at least one key message/],
        [{ ...prompts[1], timeLimitSeconds: 1 }, /timeLimitSeconds: the time limit is at least/],
      ];
      for (const [bad, message] of refusals) {
        const refused = await savePrompts(editor, [bad]);
        expect(refused.status).toBe(400);
        expect(refused.error?.message).toMatch(message);
      }
      expect((await savePrompts(editor, [prompts[1], prompts[1]])).status).toBe(400);
      // Nothing refused was stored.
      expect((await viewer.call('GET', '/api/channels/default/practice-prompts')).value).toEqual([]);
      expect((await savePrompts(editor, prompts)).value).toEqual(prompts);
      expect((await viewer.call('GET', '/api/channels/default/practice-prompts')).value).toEqual(prompts);
      const audit = await admin.call<{ action: string; subject: string }[]>('GET', '/api/audit?limit=500');
      expect(JSON.stringify(audit.value)).toContain('practice-prompts-edited');
      // A prompt whose term left the glossary stops the release by name until it is fixed.
      expect((await editor.call('PUT', '/api/channels/default/glossary', { terms: [] })).status).toBe(200);
      const orphaned = await editor.call('POST', '/api/channels/default/releases', {});
      expect(orphaned.status).toBe(400);
      expect(orphaned.error?.message).toMatch(/prompt 2 \("neap"\): term: the glossary has no term "neap-tide"/);
      expect((await editor.call('PUT', '/api/channels/default/glossary', { terms })).status).toBe(200);
      const draft = await viewer.call<{ glossaryChanged: boolean; attractChanged: boolean }>(
        'GET',
        '/api/channels/default/draft',
      );
      expect(draft.value).toMatchObject({ glossaryChanged: true, attractChanged: true, practiceChanged: true });
      const submitted = await editor.call<{ release: Release }>('POST', '/api/channels/default/releases', {});
      await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
      expect((await approver.publish(`/api/releases/${submitted.value.release.id}/publish`)).job?.version).toBe(5);
      const manifest = JSON.parse(
        readFileSync(path.join(data.dir, 'channels', 'default', 'channel.json'), 'utf8'),
      ) as Manifest;
      expect(manifest.collections.map((c) => [c.id, c.title, c.description])).toEqual([
        ['maritime-kit', 'Maritime kit', 'For harbour masters'],
        ['basics', 'Basics', ''],
        ['loose-ends', 'Loose ends', ''],
      ]);
      expect(manifest.glossary).toEqual(terms);
      expect(manifest.attract).toEqual({ items: ['harbour-brochure'], secondsPerItem: 5 });
      expect(manifest.practice).toEqual(prompts);
      expect(
        (await viewer.call<{ collectionsChanged: boolean }>('GET', '/api/channels/default/draft')).value
          .collectionsChanged,
      ).toBe(false);
    },
  );

  it.skipIf(skip)('an admin adds a channel with its own key; its library is separate', async () => {
    expect((await editor.call('POST', '/api/channels', { id: 'emea', title: 'EMEA' })).status).toBe(403);
    expect((await admin.call('POST', '/api/channels', { id: '../etc', title: 'x' })).status).toBe(400);
    const created = await admin.call<{ publicKeyPem: string }>('POST', '/api/channels', { id: 'emea', title: 'EMEA' });
    expect(created.value.publicKeyPem).toMatch(/BEGIN PUBLIC KEY/);
    const channels = await viewer.call<{ id: string; publicKeyPem: string }[]>('GET', '/api/channels');
    expect(channels.value.map((c) => c.id)).toEqual(['default', 'emea']);
    expect(channels.value[0]!.publicKeyPem).not.toBe(channels.value[1]!.publicKeyPem);
    expect((await editor.upload('emea', 'emea-prices.pdf', brochure)).status).toBe(200);
    expect((await viewer.call<{ total: number }>('GET', '/api/channels/emea/items')).value.total).toBe(1);
    expect((await viewer.call<{ items: Item[] }>('GET', '/api/channels/default/items?q=emea')).value.items).toEqual([]);
    expect((await viewer.call('GET', '/api/channels/nowhere/items')).status).toBe(404);
  });

  it.skipIf(skip)('a prompt on a page its PDF no longer has stops the release at submit, by name', async () => {
    const prompt = {
      id: 'last-page',
      title: 'The price list, last page',
      item: 'emea-prices',
      page: 3,
      keyMessages: ['Prices hold all year'],
      timeLimitSeconds: 45,
    };
    const saved = await editor.call('PUT', '/api/channels/emea/practice-prompts', { prompts: [prompt] });
    expect(saved.status, JSON.stringify(saved.error)).toBe(200);
    const shorter = await makePdf('EMEA prices', ['Prices']);
    expect((await editor.upload('emea', 'emea-prices.pdf', shorter, '&item=emea-prices')).status).toBe(200);
    const refused = await editor.call('POST', '/api/channels/emea/releases', {});
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toMatch(/prompt 1 \("last-page"\): page: "emea-prices" has 1 page, not 3/);
    expect((await viewer.call<Release[]>('GET', '/api/channels/emea/releases')).value).toEqual([]);
  });

  it.skipIf(skip)(
    'refuses a forged session, a role change by a non-admin, and writes without the CSRF token',
    async () => {
      const forged = new StudioClient(studio.url);
      forged.cookie = 'studio_session=forged-admin-session';
      expect((await forged.call('GET', '/api/users')).status).toBe(401);
      const me = await viewer.call<{ user: { id: string } }>('GET', '/api/session');
      const promote = await viewer.call('PATCH', `/api/users/${me.value.user.id}`, { role: 'admin' });
      expect(promote.status).toBe(403);
      expect((await viewer.call<{ user: { role: string } }>('GET', '/api/session')).value.user.role).toBe('viewer');
      const noCsrf = await editor.call(
        'PATCH',
        '/api/channels/default/items/harbour-brochure',
        { revision: 4, fields: { title: 'No token' } },
        { csrf: false },
      );
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.error!.message).toMatch(/CSRF/);
      const crossSite = await editor.call(
        'DELETE',
        '/api/channels/default/items/harbour-brochure',
        {},
        { headers: { origin: 'https://evil.example' } },
      );
      expect(crossSite.status).toBe(403);
      const items = await viewer.call<{ items: Item[] }>('GET', '/api/channels/default/items?q=harbour');
      expect(items.value.items[0]!.title).toBe('Harbour brochure 2027');
      expect((await viewer.upload('default', 'x.pdf', brochure)).status).toBe(403);
    },
  );

  it.skipIf(skip)(
    'refuses uploads that are oversize, not what they claim, or hostile zips; nothing is stored',
    async () => {
      const before = (await viewer.call<{ total: number }>('GET', '/api/channels/default/items')).value.total;
      const oversize = await editor.upload(
        'default',
        'huge.pdf',
        Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(testConfig.maxUploadBytes)]),
      );
      expect(oversize.status).toBe(413);
      const disguised = await editor.upload(
        'default',
        'brochure.pdf',
        Buffer.from('<html><script>alert(1)</script></html>'),
      );
      expect(disguised.status).toBe(415);
      const traversal = await editor.upload(
        'default',
        'evil.zip',
        makeZip([
          { name: 'index.html', data: 'hi' },
          { name: '../../etc/cron.d/x', data: 'owned' },
        ]),
      );
      expect(traversal.status).toBe(400);
      expect(traversal.error!.message).toMatch(/zip refused/);
      const link = await editor.upload(
        'default',
        'link.zip',
        makeZip([
          { name: 'index.html', data: 'hi' },
          { name: 'passwd', data: '/etc/passwd', symlink: true },
        ]),
      );
      expect(link.status).toBe(400);
      expect(link.error!.message).toMatch(/symbolic link/);
      const bomb = await editor.upload(
        'default',
        'bomb.zip',
        makeZip([
          { name: 'index.html', data: 'hi' },
          { name: 'zeros.bin', data: Buffer.alloc(6 * 1024 * 1024), deflate: true },
        ]),
      );
      expect(bomb.status).toBe(400);
      expect(bomb.error!.message).toMatch(/bomb/);
      expect((await viewer.call<{ total: number }>('GET', '/api/channels/default/items')).value.total).toBe(before);
    },
  );

  it.skipIf(skip)(
    'sign-in: the tenth wrong password is refused without being checked, even when it is right',
    async () => {
      const guesser = new StudioClient(studio.url);
      for (let i = 0; i < 9; i++)
        expect((await guesser.signIn('vic@example.com', `wrong-${i}-password`)).status).toBe(401);
      expect((await guesser.signIn('vic@example.com', 'wrong-9-password')).status).toBe(429);
      expect((await guesser.signIn('vic@example.com', password)).status).toBe(429);
      // Another account from the same address still signs in.
      expect((await new StudioClient(studio.url).signIn('ed@example.com', password)).status).toBe(200);
    },
  );

  it.skipIf(skip)(
    'every response carries the security headers; the audit log has sign-ins, uploads, approvals, publishes and role changes',
    async () => {
      const me = await viewer.call<{ user: { id: string } }>('GET', '/api/session');
      expect((await admin.call('PATCH', `/api/users/${me.value.user.id}`, { role: 'manager' })).status).toBe(200);
      for (const url of ['/api/session', '/channels/default/channel.json', '/', '/api/nothing']) {
        const response = await fetch(`${studio.url}${url}`);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('content-security-policy')).toBeTruthy();
        expect(response.headers.get('x-frame-options')).toBe('DENY');
      }
      const audit = await admin.call<{ action: string; userEmail: string | null }[]>('GET', '/api/audit?limit=500');
      const actions = new Set(audit.value.map((a) => a.action));
      for (const action of [
        'setup',
        'sign-in',
        'sign-in-refused',
        'upload',
        'item-edited',
        'release-submitted',
        'release-approved',
        'release-rejected',
        'release-published',
        'release-rolled-back',
        'role-changed',
        'user-created',
      ]) {
        expect(actions, action).toContain(action);
      }
      expect((await editor.call('GET', '/api/audit')).status).toBe(403);
    },
  );

  it.skipIf(skip)(
    'a publish that fails is marked failed with its reason and changes nothing; only one publish of a release runs at once',
    async () => {
      const channelJson = path.join(data.dir, 'channels', 'default', 'channel.json');
      const before = readFileSync(channelJson);
      const { version } = JSON.parse(before.toString('utf8')) as Manifest;
      const card = await editor.upload<Item>(
        'default',
        'tide-card.pdf',
        await makePdf('Tide card', ['High water', 'Low water']),
      );
      expect(card.status).toBe(200);
      const submitted = await editor.call<{ release: Release }>('POST', '/api/channels/default/releases', {});
      await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
      // The stored file vanishes (a disk restored from an old backup): the job fails with the reason.
      const blob = studio.context.blobs.pathOf(card.value.fileSha256);
      renameSync(blob, `${blob}.aside`);
      const failed = await editor.publish(`/api/releases/${submitted.value.release.id}/publish`);
      expect(failed.accepted.status).toBe(202);
      expect(failed.job).toMatchObject({ state: 'failed', version: null });
      expect(failed.job!.error).toMatch(/tide-card\.pdf: its stored file .* is missing from the blob store/);
      expect(readFileSync(channelJson).equals(before)).toBe(true);
      const releases = await viewer.call<Release[]>('GET', '/api/channels/default/releases');
      expect(releases.value.find((r) => r.id === submitted.value.release.id)!.state).toBe('approved');
      const audit = await admin.call<{ action: string }[]>('GET', '/api/audit?limit=50');
      expect(audit.value.map((a) => a.action)).toContain('release-publish-failed');

      // Put back, the release publishes; asked twice at once, the second is refused.
      renameSync(`${blob}.aside`, blob);
      const read = await studio.context.db
        .selectFrom('releases')
        .selectAll()
        .where('id', '=', submitted.value.release.id)
        .executeTakeFirstOrThrow();
      const path_ = `/api/releases/${submitted.value.release.id}/publish`;
      const [one, two] = await Promise.all([editor.publish(path_), approver.publish(path_)]);
      expect([one.accepted.status, two.accepted.status].sort()).toEqual([202, 409]);
      const job = (one.job ?? two.job)!;
      expect(job).toMatchObject({ state: 'succeeded', version: version + 1 });
      expect((JSON.parse(readFileSync(channelJson, 'utf8')) as Manifest).version).toBe(version + 1);
      // A request that read the release before that publish and takes the lock after it let go
      // (the two above, when the first finishes first) is refused: the release goes out once.
      const user = await studio.context.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
      await expect(
        startPublishJob(studio.context, { kind: 'publish', row: read, sourceReleaseId: null, userId: user.id }),
      ).rejects.toThrow(/Only an approved release is published; this one is published/);
      expect((JSON.parse(readFileSync(channelJson, 'utf8')) as Manifest).version).toBe(version + 1);
    },
  );

  it.skipIf(skip)(
    'a job whose Studio stopped is settled by the next one to look: interrupted, or recorded when its channel.json was written',
    async () => {
      const channelJson = path.join(data.dir, 'channels', 'default', 'channel.json');
      const { version } = JSON.parse(readFileSync(channelJson, 'utf8')) as Manifest;
      const items = await editor.call<{ items: Item[] }>('GET', '/api/channels/default/items');
      const card = items.value.items.find((i) => i.id === 'tide-card')!;
      await editor.call('PATCH', '/api/channels/default/items/tide-card', {
        revision: card.revision,
        fields: { title: 'Tide card, winter' },
      });
      const submitted = await editor.call<{ release: Release }>('POST', '/api/channels/default/releases', {});
      await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {});
      const db = studio.context.db;
      const me = await approver.call<{ user: { id: string } }>('GET', '/api/session');
      // As a Studio killed mid-publish leaves them: a running job, no heartbeat for a minute, its lock.
      const stopped = (id: string, baseVersion: number) => ({
        id,
        channel: 'default',
        kind: 'publish',
        release_id: submitted.value.release.id,
        source_release_id: null,
        state: 'running',
        stage: 'reading',
        items_done: 1,
        items_total: 3,
        bytes_done: 0,
        bytes_total: 0,
        base_version: baseVersion,
        version: null,
        error: null,
        started_by: me.value.user.id,
        started_at: new Date(Date.now() - 60_000).toISOString(),
        heartbeat_at: new Date(Date.now() - 60_000).toISOString(),
        finished_at: null,
        revision: 3,
      });
      const first = '00000000-0000-4000-8000-000000000001';
      await db.insertInto('publish_jobs').values(stopped(first, version)).execute();
      const lock = `${new Date(Date.now() + 60_000).toISOString()}|${first}`;
      await db.insertInto('settings').values({ key: 'publish-lock:default', value: lock }).execute();
      const interrupted = await viewer.call<{ state: string; error: string }>(
        'GET',
        `/api/publish-jobs/${first}?after=3&waitMs=5000`,
      );
      expect(interrupted.value.state).toBe('interrupted');
      expect(interrupted.value.error).toMatch(/reading, 1 of 3 items\). The channel was not changed/);
      expect(
        await db.selectFrom('settings').select('key').where('key', '=', 'publish-lock:default').executeTakeFirst(),
      ).toBeUndefined();

      // Stopped after channel.json went in but before the release was recorded: the publisher has
      // written the next version (as the job would have), and the next Studio to look records it.
      const row = await db
        .selectFrom('releases')
        .select('snapshot')
        .where('id', '=', submitted.value.release.id)
        .executeTakeFirstOrThrow();
      const written = await publishSnapshot(studio.context, 'default', JSON.parse(row.snapshot) as Snapshot);
      expect(written.version).toBe(version + 1);
      const second = '00000000-0000-4000-8000-000000000002';
      await db.insertInto('publish_jobs').values(stopped(second, version)).execute();
      const recorded = await viewer.call<{ state: string; version: number }>('GET', `/api/publish-jobs/${second}`);
      expect(recorded.value).toMatchObject({ state: 'succeeded', version: version + 1 });
      const history = await viewer.call<Release[]>('GET', '/api/channels/default/releases');
      expect(history.value.find((r) => r.id === submitted.value.release.id)).toMatchObject({
        state: 'published',
        version: version + 1,
      });

      // Killed between the publisher's two renames: the new signature is in place, the new
      // channel.json still in channel.json.tmp. Settling finishes the rename (the release was whole).
      const again = await editor.call<{ items: Item[] }>('GET', '/api/channels/default/items');
      await editor.call('PATCH', '/api/channels/default/items/tide-card', {
        revision: again.value.items.find((i) => i.id === 'tide-card')!.revision,
        fields: { title: 'Tide card, spring' },
      });
      const third = await editor.call<{ release: Release }>('POST', '/api/channels/default/releases', {});
      await approver.call('POST', `/api/releases/${third.value.release.id}/approve`, {});
      const dir = path.join(data.dir, 'channels', 'default');
      const before = readFileSync(path.join(dir, 'channel.json'));
      const beforeSig = readFileSync(path.join(dir, 'channel.json.sig'));
      const snapshot = await db
        .selectFrom('releases')
        .select('snapshot')
        .where('id', '=', third.value.release.id)
        .executeTakeFirstOrThrow();
      await publishSnapshot(studio.context, 'default', JSON.parse(snapshot.snapshot) as Snapshot);
      renameSync(path.join(dir, 'channel.json'), path.join(dir, 'channel.json.tmp'));
      writeFileSync(path.join(dir, 'channel.json'), before);
      const job = '00000000-0000-4000-8000-000000000003';
      await db
        .insertInto('publish_jobs')
        .values({ ...stopped(job, version + 1), release_id: third.value.release.id })
        .execute();
      const finished = await viewer.call<{ state: string; version: number }>('GET', `/api/publish-jobs/${job}`);
      expect(finished.value).toMatchObject({ state: 'succeeded', version: version + 2 });
      expect(existsSync(path.join(dir, 'channel.json.tmp'))).toBe(false);
      expect((JSON.parse(readFileSync(path.join(dir, 'channel.json'), 'utf8')) as Manifest).version).toBe(version + 2);
      expect(readFileSync(path.join(dir, 'channel.json.sig')).equals(beforeSig)).toBe(false);
    },
  );
});

describe('Studio behind a TLS proxy (--public-url)', () => {
  it('accepts writes from the public https origin, refuses others, and marks the session cookie Secure', async () => {
    const data = tempDir('studio-proxy-');
    const studio = await startStudio({
      dataDir: data.dir,
      port: 0,
      publicUrl: 'https://studio.example.com',
      config: testConfig,
      log: () => {},
    });
    try {
      expect(studio.setupUrl).toMatch(/^https:\/\/studio\.example\.com\/setup#/);
      const client = new StudioClient(studio.url);
      const created = await client.call(
        'POST',
        '/api/setup',
        { token: studio.setupUrl!.split('#')[1], email: 'ada@example.com', name: 'Ada', password },
        { headers: { origin: 'https://studio.example.com' } },
      );
      expect(created.status).toBe(200);
      expect(created.headers.get('set-cookie')).toMatch(/; Secure/);
      const write = (origin: string) =>
        client.call('PATCH', '/api/settings', { twoPersonRule: false }, { headers: { origin } });
      expect((await write('https://studio.example.com')).status).toBe(200);
      expect((await write(studio.url)).status).toBe(403);
    } finally {
      await studio.close();
      data.cleanup();
    }
  });
});
