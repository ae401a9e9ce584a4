/**
 * The argument schemas of every method, keyed by the contract. They live beside each
 * capability's interface (./contract/*.ts) and are merged in ./contract.ts; this entry keeps
 * them together with how an argument that does not match is reported.
 */
import type { z } from 'zod';

export { apiArgSchemas } from './contract.ts';

/** How many of the caller's own keys or path segments an error names before counting the rest. */
const NAMED_KEYS = 3;
const NAMED_KEY_LENGTH = 40;

const shortName = (key: PropertyKey) => {
  const name = String(key);
  return name.length <= NAMED_KEY_LENGTH ? name : `${name.slice(0, NAMED_KEY_LENGTH)}…`;
};

/**
 * The error for an argument that does not match its schema: the first problem, naming at most a
 * few of the keys the caller sent (zod would list every unknown key, 10,000 of them if sent).
 */
export function argumentProblem(method: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.map(shortName).join('.') || 'argument';
  if (issue?.code === 'unrecognized_keys') {
    const named = issue.keys.slice(0, NAMED_KEYS).map((key) => JSON.stringify(shortName(key)));
    const rest = issue.keys.length - named.length;
    return `${method}: ${where} has unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${named.join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en-US')} more` : ''}`;
  }
  return `${method}: ${where} ${issue?.message ?? 'is invalid'}`;
}
