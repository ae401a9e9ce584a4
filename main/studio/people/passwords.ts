import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Production cost: about 100 ms per check on a laptop, which is the point of a slow KDF. */
export const defaultScryptCost = 2 ** 15;
const blockSize = 8;
const keyLength = 32;

function derive(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost, r: blockSize, p: 1, maxmem: 256 * cost * blockSize };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$salt$hash`: the cost travels with the hash, so it can be raised later. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost}$${blockSize}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, r, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !salt || !hash || Number(r) !== blockSize) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(cost));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to check against when the account does not exist, so timing does not tell. */
let decoy: Promise<string> | null = null;
export function decoyHash(cost: number): Promise<string> {
  decoy ??= hashPassword(randomBytes(12).toString('hex'), cost);
  return decoy;
}
