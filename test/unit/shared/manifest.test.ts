import { describe, expect, it } from 'vitest';
import { manifest, MANIFEST_FORMAT } from '#shared/manifest';

/** The manifest schema that both the publisher and every device run over channel.json. */
const sha = (c: string) => c.repeat(64);
const base = {
  format: MANIFEST_FORMAT,
  channel: 'alpha',
  version: 1,
  publishedAt: '2026-01-01T00:00:00Z',
  expiresAt: '2027-01-01T00:00:00Z',
  items: [
    {
      id: 'site',
      kind: 'microsite',
      title: 'Site',
      entry: 'index.html',
      files: [
        { role: 'site', sha256: sha('a'), size: 1, mime: 'text/html', path: 'index.html' },
        { role: 'site', sha256: sha('b'), size: 1, mime: 'text/css', path: 'css/style.css' },
      ],
    },
  ],
};

const issues = (value: unknown) => {
  const parsed = manifest.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('manifest schema', () => {
  it('accepts a microsite whose paths are all different', () => {
    expect(issues(base)).toEqual([]);
  });

  it('refuses a microsite that lists one path twice, naming the item and the path', () => {
    const site = base.items[0]!;
    const twice = {
      ...base,
      items: [
        {
          ...site,
          files: [...site.files, { role: 'site', sha256: sha('c'), size: 1, mime: 'text/html', path: 'css/style.css' }],
        },
      ],
    };
    expect(issues(twice)).toEqual(['item "site" lists the path "css/style.css" twice']);
  });

  it('refuses an item valid until a date that is not after its validFrom', () => {
    const site = base.items[0]!;
    const backwards = {
      ...base,
      items: [{ ...site, validFrom: '2026-06-01T00:00:00Z', validUntil: '2026-05-01T00:00:00+00:00' }],
    };
    expect(issues(backwards)).toEqual([
      'item "site" is valid until 2026-05-01T00:00:00+00:00, not after it is valid from 2026-06-01T00:00:00Z',
    ]);
    // Offsets are compared as instants: 02:00+02:00 is midnight UTC, the same instant.
    const same = {
      ...base,
      items: [{ ...site, validFrom: '2026-06-01T00:00:00Z', validUntil: '2026-06-01T02:00:00+02:00' }],
    };
    expect(issues(same)).toHaveLength(1);
    const fine = {
      ...base,
      items: [{ ...site, validFrom: '2026-06-01T00:00:00Z', validUntil: '2026-06-01T01:00:00+00:00' }],
    };
    expect(issues(fine)).toEqual([]);
  });
});
