/**
 * What a Studio handler refuses with. The code becomes the HTTP status and the `code` of the
 * `{ ok: false, error }` body, so the UI and scripts can tell "sign in again" from "not allowed".
 */
export const studioErrorStatus = {
  'bad-request': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-type': 415,
  'rate-limited': 429,
  internal: 500,
} as const;

export type StudioErrorCode = keyof typeof studioErrorStatus;

export class StudioError extends Error {
  override readonly name = 'StudioError';
  constructor(
    readonly code: StudioErrorCode,
    message: string,
  ) {
    super(message);
  }
}
