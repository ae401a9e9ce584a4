/**
 * How success and failure cross every boundary (IPC, HTTP, CLI --json): a plain, serialisable
 * value, so nothing depends on Error objects surviving structured clone or JSON.
 */
export const errorCodes = [
  'bad-request', // the argument did not match the contract
  'not-found', // the item, page or blob does not exist in the current release
  'unknown-method', // the caller asked for a method the contract does not have
  'refused', // a release, file or action was refused (signature, version, path...)
  'storage', // the database or blob store failed
  'schema-too-new', // the profile was written by a newer Pitchcase
  'internal', // anything we did not anticipate; the message says what
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The one error type the core throws and the renderer re-throws; `code` is machine-readable. */
export class PitchcaseError extends Error {
  override readonly name = 'PitchcaseError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof PitchcaseError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}

export function fail(error: unknown): Result<never> {
  return { ok: false, error: toErrorInfo(error) };
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Unwraps a Result received from another process; throws a typed PitchcaseError on failure. */
export function unwrap<T>(result: unknown): T {
  if (typeof result !== 'object' || result === null || !('ok' in result)) {
    throw new PitchcaseError('internal', 'Malformed response from the Pitchcase core');
  }
  const r = result as Result<T>;
  if (r.ok) return r.value;
  const code = isErrorCode(r.error?.code) ? r.error.code : 'internal';
  throw new PitchcaseError(code, String(r.error?.message ?? 'Unknown error'));
}
