/**
 * The staff PIN and the one verifier every PIN check goes through: unlocking the staff screen,
 * changing the PIN, and anything else that takes one. Guesses are rate-limited with a lock-out
 * that grows with every failure and is kept in the database, so neither a restart nor a
 * different door (the change-PIN form instead of the pad) gives an attacker fresh tries.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { PitchcaseError } from '#shared/result';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import { z } from 'zod';
import { defineSetting, getSetting, putSetting, type SettingReport } from '../storage/settings.ts';
import type { Clock } from '../types.ts';

/** Slow, salted hashing of the staff PIN (scrypt, N=2^15): guessing offline is expensive. */
export interface PinHash {
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

export function hashPin(pin: string): PinHash {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  return { salt: salt.toString('base64'), hash: hash.toString('base64'), ...SCRYPT };
}

export function verifyPin(pin: string, stored: PinHash): boolean {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64'), expected.length, {
    N: stored.N,
    r: stored.r,
    p: stored.p,
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}

/**
 * Rate limit for PIN attempts: three free tries, then a lock that doubles with every further
 * failure (30 s, 60 s, 120 s … capped at an hour). Pure, so it is table-tested.
 */
export function pinLockSeconds(failures: number): number {
  if (failures < 3) return 0;
  return Math.min(3600, 30 * 2 ** (failures - 3));
}

const pinSetting = defineSetting<PinHash | null>(
  'kiosk.pin',
  z
    .object({ salt: z.string(), hash: z.string(), N: z.number().int(), r: z.number().int(), p: z.number().int() })
    .nullable(),
  null,
);

/** Failures since the last right PIN, and when the last one was (ms since the epoch). */
interface FailureRecord {
  failures: number;
  lastAt: number | null;
}
const failuresSetting = defineSetting<FailureRecord>(
  'kiosk.pinFailures',
  z.object({ failures: z.number().int().nonnegative(), lastAt: z.number().nullable() }),
  { failures: 0, lastAt: null },
);

export type PinCheck = { ok: true } | { ok: false; reason: 'no-pin' | 'locked' | 'wrong-pin'; retryInSeconds: number };

export interface PinVerifier {
  hasPin(): boolean;
  /**
   * Checks a guess. While locked out, nothing is compared (even the right PIN waits); a wrong
   * guess is counted before the answer is given. Only a right PIN, outside a lock, clears the
   * count: a guess needs the PIN to reset it, so guessing stays as slow as the lock-out says.
   */
  check(pin: string): PinCheck;
  /** Stores a new PIN; the failure count is kept (setting a PIN is not a right guess). */
  store(pin: string): void;
}

export function createPinVerifier(ctx: { db: WriteDb; read: ReadDb; clock: Clock; log: SettingReport }): PinVerifier {
  const stored = () => getSetting(ctx.read, pinSetting, ctx.log);
  const record = () => getSetting(ctx.read, failuresSetting, ctx.log);
  return {
    hasPin: () => stored() !== null,
    check(pin) {
      const hash = stored();
      if (!hash) return { ok: false, reason: 'no-pin', retryInSeconds: 0 };
      const now = ctx.clock.now().getTime();
      const { failures, lastAt } = record();
      const lockedUntil = (lastAt ?? 0) + pinLockSeconds(failures) * 1000;
      if (now < lockedUntil)
        return { ok: false, reason: 'locked', retryInSeconds: Math.ceil((lockedUntil - now) / 1000) };
      if (!verifyPin(pin, hash)) {
        putSetting(ctx.db, failuresSetting, { failures: failures + 1, lastAt: now });
        return { ok: false, reason: 'wrong-pin', retryInSeconds: pinLockSeconds(failures + 1) };
      }
      if (failures > 0) putSetting(ctx.db, failuresSetting, { failures: 0, lastAt: null });
      return { ok: true };
    },
    store(pin) {
      if (!/^\d{4,12}$/.test(pin)) throw new PitchcaseError('bad-request', 'A PIN is 4 to 12 digits');
      putSetting(ctx.db, pinSetting, hashPin(pin));
    },
  };
}

/** The refusal for a PIN check that failed, worded for whichever form asked. */
export function pinRefusal(check: Exclude<PinCheck, { ok: true }>, what: string): PitchcaseError {
  if (check.reason === 'locked')
    return new PitchcaseError('refused', `Too many wrong PINs: try again in ${check.retryInSeconds} s`);
  if (check.reason === 'no-pin') return new PitchcaseError('refused', `No staff PIN is set: ${what}`);
  return new PitchcaseError(
    'refused',
    `Wrong PIN: ${what}${check.retryInSeconds > 0 ? ` (locked for ${check.retryInSeconds} s)` : ''}`,
  );
}
