import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { FileEncoding, ManifestFormat } from '#shared/manifest';
import { PAGE_TEXT_MAX_BYTES, type PageText } from '#shared/pages';
import { PublishError } from './catalogue.ts';

const gzipAsync = promisify(gzip);

/** Part of the derived-outputs recipe: text made another way is made again, not reused. */
export const PAGE_TEXT_RECIPE = 'text v2 gzip-9';
export const PAGE_TEXT_MIME = 'application/json';

/**
 * The stored bytes of an item's page text. From format 2 on they are gzip-compressed: running
 * text shrinks to about a fifth (bench:studio's corpus: 1.57× the PDFs as JSON, 0.33× as gzip),
 * and gzip's header names it, so a device can tell a compressed file from a plain one by its
 * bytes as well as by the manifest. Brotli was 11% smaller still but has no header. The
 * compression runs on libuv's threads, not on the publisher's.
 */
export async function pageTextFile(
  content: PageText,
  format: ManifestFormat,
  where: string,
): Promise<{ data: Uint8Array; encoding: FileEncoding | null }> {
  const json = Buffer.from(JSON.stringify(content), 'utf8');
  if (json.length > PAGE_TEXT_MAX_BYTES)
    throw new PublishError(
      `${where}: its page text is ${Math.ceil(json.length / 1024 / 1024)} MB, more than the ${PAGE_TEXT_MAX_BYTES / 1024 / 1024} MB a device reads`,
    );
  if (format < 2) return { data: new Uint8Array(json), encoding: null };
  const packed = await gzipAsync(json, { level: constants.Z_BEST_COMPRESSION });
  return { data: new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), encoding: 'gzip' };
}
