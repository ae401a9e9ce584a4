/**
 * The Electron app's `pitchcase://app/content/<sha256>` is the same content decision as the
 * browser host's: a real core on a release with an SVG image and a microsite, behind the real
 * protocol handler.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '#shared/manifest';
import { appProtocolHandler } from '../../main/electron/protocol.ts';
import { coreOnChannel, type CoreOnChannel } from '../support/core-on-channel.ts';
import { tempDir } from '../support/release.ts';

let env: CoreOnChannel;
const renderer = tempDir('pitchcase-renderer-');

beforeAll(async () => {
  env = await coreOnChannel({ channel: {}, start: new Date().toISOString() });
});
afterAll(() => {
  env?.cleanup();
  renderer.cleanup();
});

describe('pitchcase://app/content in Electron', () => {
  it('serves an SVG image sandboxed, as a download, and no microsite file at all', async () => {
    const handler = appProtocolHandler(env.core, renderer.dir);
    const photo = await env.core.api.getItem({ id: 'photo' });
    const svg = await handler(new Request(`pitchcase://app/content/${photo.primary!.sha256}`));
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('content-disposition')).toBe('attachment');
    expect(svg.headers.get('content-security-policy')).toMatch(/^sandbox;.*frame-ancestors 'none'/);
    expect(svg.headers.get('x-content-type-options')).toBe('nosniff');
    await svg.body?.cancel();

    const manifest = JSON.parse(readFileSync(path.join(env.channel.releaseDir, 'channel.json'), 'utf8')) as Manifest;
    for (const file of manifest.items.find((i) => i.id === 'calculator')!.files) {
      const response = await handler(new Request(`pitchcase://app/content/${file.sha256}`));
      expect(response.status).toBe(404);
      await response.body?.cancel();
    }
  });
});
