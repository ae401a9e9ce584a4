/**
 * The browser host's side of rehearsing: the rep's page may use its own microphone and a
 * kiosk's may not (Permissions-Policy), and a take larger than every other call's bound goes
 * through while the same body on another method is refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '#host/server';
import { makeChannel, tempDir, type TestChannel } from '../support/release.ts';

let channel: TestChannel;
let rendererDir: string;
const hosts: Host[] = [];
const cleanups: (() => void)[] = [];

async function host(profileKind: 'standard' | 'kiosk'): Promise<Host> {
  const profile = tempDir('pitchcase-rehearse-host-');
  cleanups.push(profile.cleanup);
  const started = await startHost({
    core: {
      profileDir: profile.dir,
      profileKind,
      embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    },
    rendererDir,
    port: 0,
  });
  hosts.push(started);
  return started;
}

beforeAll(async () => {
  channel = await makeChannel();
  cleanups.push(channel.cleanup);
  const file = path.join(channel.sourceDir, 'catalogue.yaml');
  const catalogue = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(
    file,
    stringify({
      ...catalogue,
      practice: [{ id: 'p', title: 'Pitch it', item: 'brochure', keyMessages: ['one'], timeLimitSeconds: 60 }],
    }),
  );
  await channel.publish();
  const renderer = tempDir('pitchcase-renderer-');
  cleanups.push(renderer.cleanup);
  rendererDir = renderer.dir;
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Pitchcase</title>');
});

afterAll(async () => {
  for (const h of hosts) await h.close();
  for (const c of cleanups.reverse()) c();
});

function call(h: Host, method: string, body: string) {
  return fetch(new URL(`/api/${method}`, h.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as { ok: boolean; error?: { message: string } } }));
}

describe('the browser host and rehearsing', () => {
  it("lets the rep's page use its microphone, never a kiosk's, and no page the camera", async () => {
    const rep = await host('standard');
    const kiosk = await host('kiosk');
    const repPolicy = (await fetch(rep.url)).headers.get('permissions-policy');
    const kioskPolicy = (await fetch(kiosk.url)).headers.get('permissions-policy');
    expect(repPolicy).toContain('microphone=(self)');
    expect(kioskPolicy).toContain('microphone=()');
    for (const policy of [repPolicy, kioskPolicy]) expect(policy).toContain('camera=()');
  });

  it('takes a 3 MB take, and refuses a body that size on any other method', async () => {
    const rep = hosts[0]!;
    const audioBase64 = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    const saved = await call(
      rep,
      'saveRehearsalTake',
      JSON.stringify({ promptId: 'p', mime: 'audio/webm', durationMs: 30_000, audioBase64 }),
    );
    expect(saved).toMatchObject({ status: 200, json: { ok: true } });
    const refused = await call(rep, 'savePitch', JSON.stringify({ name: 'x', steps: [], padding: audioBase64 }));
    expect(refused).toEqual({
      status: 400,
      json: { ok: false, error: { code: 'bad-request', message: 'Request body too large' } },
    });
    const tooBig = Buffer.alloc(9 * 1024 * 1024, 7).toString('base64');
    const over = await call(
      rep,
      'saveRehearsalTake',
      JSON.stringify({ promptId: 'p', mime: 'audio/webm', durationMs: 30_000, audioBase64: tooBig }),
    );
    expect(over.json.ok).toBe(false);
    expect((await rep.core.api.listRehearsalTakes({ promptId: 'p' })).map((t) => t.size)).toEqual([3 * 1024 * 1024]);
  });
});
