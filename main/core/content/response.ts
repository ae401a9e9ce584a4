import type { Readable } from 'node:stream';

/**
 * A shell-neutral HTTP-like response for content (blobs, microsite files, the app's own UI).
 * The browser host writes it to a Node response; the Electron protocol handler turns it into a
 * fetch Response. Keeping Range/MIME/refusal logic here means both shells behave identically.
 */
export interface ContentResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable | null;
}
