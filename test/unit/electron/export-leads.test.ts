import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyFileProvider, type KeyProvider } from '#core/crypto/index';
import { captureLead } from '#core/kiosk/leads';
import { insertSession } from '#core/kiosk/store';
import { openStorage } from '#core/storage/database';
import { defaultLeadForm } from '#shared/kiosk';
import { exportLeadsHeadless } from '../../../main/electron/export-leads.ts';
import { safeStorageKeyProvider, type SafeStorageLike } from '../../../main/electron/keys.ts';
import { fakeKeystore } from '../../support/fake-keystore.ts';
import { tempDir } from '../../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);
const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

const keystore = fakeKeystore;

/** A kiosk profile with two captured leads, sealed with `keys`. */
function kioskProfile(keys: (dir: string) => KeyProvider) {
  const t = tempDir('pitchcase-export-');
  cleanups.push(t.cleanup);
  const storage = openStorage(path.join(t.dir, 'pitchcase.db'));
  const ctx = { db: storage.write, clock: { now: () => new Date('2026-11-20T10:00:00Z') }, keys: keys(t.dir) };
  insertSession(ctx.db, 's1', '2026-11-20T09:58:00Z');
  for (const [firstName, email] of [
    ['Ana', 'ana.lima@marston-brewery.example'],
    ['Bo', 'bo@kettle-works.example'],
  ] as const) {
    const outcome = captureLead(
      ctx,
      {
        sessionId: 's1',
        fields: { firstName, lastName: 'Visitor', email, company: 'Booth 12' },
        interests: [],
        consent: { given: true, version: defaultLeadForm.consent.version },
      },
      defaultLeadForm,
    );
    expect(outcome).toEqual({ leadId: expect.any(String) });
  }
  storage.close();
  return t.dir;
}

function run(profileDir: string, out: string, safeStorage: SafeStorageLike) {
  const said: string[] = [];
  const complaints: string[] = [];
  const code = exportLeadsHeadless(
    { profileDir, out },
    { safeStorage, log, say: (l) => said.push(l), complain: (l) => complaints.push(l) },
  );
  return { code, said, complaints };
}

describe('Pitchcase --export-leads (the desktop app, headless)', () => {
  it('opens the key sealed by the OS keystore and writes every lead as CSV, mode 0600', () => {
    const dir = kioskProfile((d) => safeStorageKeyProvider(keystore('rep'), d, log));
    expect(existsSync(path.join(dir, 'lead.key.sealed'))).toBe(true);
    const out = path.join(dir, 'leads.csv');
    const result = run(dir, out, keystore('rep'));
    expect(result).toEqual({ code: 0, said: [`Wrote 2 leads to ${out}`], complaints: [] });
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Email).sort()).toEqual(['ana.lima@marston-brewery.example', 'bo@kettle-works.example']);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('fails with the reason, and writes nothing, when the keystore belongs to someone else', () => {
    const dir = kioskProfile((d) => safeStorageKeyProvider(keystore('rep'), d, log));
    const out = path.join(dir, 'leads.csv');
    const result = run(dir, out, keystore('intruder'));
    expect(result.code).toBe(1);
    expect(result.complaints).toEqual([expect.stringMatching(/OS keystore cannot open this profile's lead key/)]);
    expect(existsSync(out)).toBe(false);
  });

  it('never makes a key: a profile that captured nothing exports the header alone and stays keyless', () => {
    const t = tempDir('pitchcase-export-');
    cleanups.push(t.cleanup);
    openStorage(path.join(t.dir, 'pitchcase.db')).close();
    const out = path.join(t.dir, 'none.csv');
    expect(run(t.dir, out, keystore()).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim()).toMatch(/^First Name,Last Name,Email,Company/);
    expect(existsSync(path.join(t.dir, 'lead.key.sealed'))).toBe(false);
    expect(existsSync(path.join(t.dir, 'lead.key'))).toBe(false);
  });

  it('refuses a folder that is not a profile, and keeps an earlier export when it cannot write', () => {
    const t = tempDir('pitchcase-export-');
    cleanups.push(t.cleanup);
    expect(run(t.dir, path.join(t.dir, 'x.csv'), keystore()).complaints).toEqual([
      expect.stringMatching(/holds no Pitchcase profile/),
    ]);
    const dir = kioskProfile((d) => safeStorageKeyProvider(keystore('rep'), d, log));
    const missingFolder = path.join(dir, 'no-such-folder', 'leads.csv');
    expect(run(dir, missingFolder, keystore('rep'))).toMatchObject({
      code: 1,
      complaints: [expect.stringMatching(/Cannot write/)],
    });
    const earlier = path.join(dir, 'earlier.csv');
    writeFileSync(earlier, 'kept');
    expect(run(dir, earlier, keystore('intruder')).code).toBe(1);
    expect(readFileSync(earlier, 'utf8')).toBe('kept');
  });
});

describe('a profile whose key was a plain file (browser host, or no keystore before)', () => {
  it('keeps its leads readable in the desktop app: the key moves into the keystore, the plain file goes', () => {
    const dir = kioskProfile((d) => keyFileProvider(d));
    const plain = readFileSync(path.join(dir, 'lead.key'), 'utf8');
    const key = safeStorageKeyProvider(keystore('rep'), dir, log).leadKey();
    expect(key.toString('base64')).toBe(plain.trim());
    expect(existsSync(path.join(dir, 'lead.key'))).toBe(false);
    expect(readFileSync(path.join(dir, 'lead.key.sealed'), 'utf8')).not.toContain(plain.trim());
    const out = path.join(dir, 'leads.csv');
    expect(run(dir, out, keystore('rep'))).toMatchObject({ code: 0, said: [`Wrote 2 leads to ${out}`] });
  });

  it('is exported from its key file where the keystore is unavailable', () => {
    const dir = kioskProfile((d) => keyFileProvider(d));
    const out = path.join(dir, 'leads.csv');
    expect(run(dir, out, keystore('rep', false))).toMatchObject({ code: 0, said: [`Wrote 2 leads to ${out}`] });
  });
});
