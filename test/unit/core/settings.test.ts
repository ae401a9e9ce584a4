import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCore } from '#core/index';
import { openStorage } from '#core/storage/database';
import { declaredSettings, defineSetting, getSetting, putSetting } from '#core/storage/settings';
import { tempDir } from '../../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function storage() {
  const t = tempDir('pitchcase-settings-');
  const s = openStorage(path.join(t.dir, 'pitchcase.db'));
  cleanups.push(t.cleanup, () => s.close());
  return { ...s, dir: t.dir };
}

/** Typed settings: a stored value is used only when it has the declared shape. */
describe('typed settings', () => {
  const sample = defineSetting('test.sample', z.object({ every: z.number().int().min(1) }), { every: 60 });

  it('reads what was stored, and the default when nothing is', () => {
    const s = storage();
    const warned: unknown[] = [];
    const report = { warn: (...args: unknown[]) => warned.push(args) };
    expect(getSetting(s.write, sample, report)).toEqual({ every: 60 });
    putSetting(s.write, sample, { every: 5 });
    expect(getSetting(s.read, sample, report)).toEqual({ every: 5 });
    expect(warned).toEqual([]);
  });

  it('reports a stored value that is not JSON or not of its shape, uses the default, and never writes one', () => {
    const s = storage();
    const warned: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const report = { warn: (message: string, fields?: Record<string, unknown>) => warned.push({ message, fields }) };
    for (const bad of ['{"every": "soon"}', '{"every": 0}', '[1]', '{not json']) {
      s.write
        .prepare(
          `INSERT INTO settings (key, value) VALUES ('test.sample', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        )
        .run(bad);
      expect(getSetting(s.read, sample, report), bad).toEqual({ every: 60 });
    }
    expect(warned.map((w) => w.fields?.key)).toEqual(['test.sample', 'test.sample', 'test.sample', 'test.sample']);
    expect(warned[0]!.fields?.problems).toEqual([expect.stringMatching(/^every: /)]);
    expect(() => putSetting(s.write, sample, { every: -1 })).toThrow();
  });

  it('refuses a key declared twice, and knows every declared setting', () => {
    expect(() => defineSetting('test.sample', z.string(), '')).toThrow(/declared twice/);
    expect(declaredSettings().map((d) => d.key)).toEqual(
      expect.arrayContaining(['outbox.endpoints', 'outbox.health', 'outbox.salesforceSessions', 'test.sample']),
    );
  });

  it('a tampered delivery setting is reported in the log and read as nothing set up, not trusted', async () => {
    const t = tempDir('pitchcase-settings-core-');
    cleanups.push(t.cleanup);
    const first = await createCore({ profileDir: t.dir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
    first.close();
    const s = openStorage(path.join(t.dir, 'pitchcase.db'));
    s.write
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('outbox.endpoints', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(JSON.stringify({ lead: { type: 'webhook', url: 42, headerNames: 'Authorization', sealed: true } }));
    s.close();
    const warned: string[] = [];
    const core = await createCore({
      profileDir: t.dir,
      shell: 'browser',
      siteBaseUrl: 'http://127.0.0.1',
      log: { info: () => undefined, warn: (m, f) => warned.push(`${m} ${String(f?.key)}`), error: () => undefined },
    });
    cleanups.push(() => core.close());
    expect(await core.api.getDeliverySettings({})).toEqual({ lead: null, meeting: null, event: null });
    expect(warned).toContain('a stored setting does not have its expected shape: its default is used outbox.endpoints');
  });
});
