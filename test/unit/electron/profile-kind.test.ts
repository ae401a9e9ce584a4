import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROFILE_KIND_FILE } from '../../../main/electron/decisions.ts';
import {
  readRememberedProfileKind,
  rememberProfileKind,
  resolveProfileKind,
} from '../../../main/electron/profile-kind.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-profile-kind-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
let dir: string;
let n = 0;
beforeEach(() => {
  vi.clearAllMocks();
  dir = path.join(root, `p${n++}`);
});
const fileOf = (d: string) => path.join(d, PROFILE_KIND_FILE);

describe('resolveProfileKind', () => {
  it('a fresh profile without a flag is standard and writes nothing', () => {
    expect(resolveProfileKind(dir, null, log)).toBe('standard');
    expect(existsSync(fileOf(dir))).toBe(false);
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('--kiosk is remembered: the next start without a flag is a kiosk again', () => {
    expect(resolveProfileKind(dir, 'kiosk', log)).toBe('kiosk');
    expect(JSON.parse(readFileSync(fileOf(dir), 'utf8'))).toEqual({ kind: 'kiosk' });
    expect(resolveProfileKind(dir, null, log)).toBe('kiosk');
    expect(readdirSync(dir)).toEqual([PROFILE_KIND_FILE]); // no temporary file left behind
  });

  it('--standard switches back, and that is remembered too', () => {
    resolveProfileKind(dir, 'kiosk', log);
    expect(resolveProfileKind(dir, 'standard', log)).toBe('standard');
    expect(resolveProfileKind(dir, null, log)).toBe('standard');
  });

  it('an unreadable file counts as no file, with a warning', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(fileOf(dir), '{"kind":"kio');
    expect(resolveProfileKind(dir, null, log)).toBe('standard');
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/unreadable/), expect.anything());
  });

  it('a flag that cannot be remembered still applies to this start, with a warning', () => {
    writeFileSync(dir, 'a file where the profile folder should be'); // fails for root too
    expect(resolveProfileKind(dir, 'kiosk', log)).toBe('kiosk');
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/cannot remember/), expect.anything());
  });
});

describe('readRememberedProfileKind / rememberProfileKind', () => {
  it('round-trips and overwrites', () => {
    rememberProfileKind(dir, 'kiosk');
    expect(readRememberedProfileKind(dir, log)).toBe('kiosk');
    rememberProfileKind(dir, 'standard');
    expect(readRememberedProfileKind(dir, log)).toBe('standard');
  });

  it('a missing profile folder is no remembered kind, silently', () => {
    expect(readRememberedProfileKind(path.join(dir, 'nope'), log)).toBeNull();
    expect(log.warn).not.toHaveBeenCalled();
  });
});
