import { sql } from 'kysely';
import { z } from 'zod';
import { idPattern } from '#shared/manifest';
import type { StudioDb } from '../database/connection.ts';
import type { ItemTable } from '../database/schema.ts';
import type { ItemFields as SharedItemFields, SameShape, StudioItem } from '#shared/studio';

export type { StudioItem } from '#shared/studio';

const list = (max: number) => z.array(z.string().trim().min(1).max(max)).max(100);
const isoDate = z.iso.datetime({ offset: true }).nullable();

/** The catalogue fields marketing edits, with the limits the publisher's catalogue enforces. */
export const itemFields = z
  .object({
    title: z.string().trim().max(300).nullable(),
    description: z.string().max(4000),
    category: z.string().trim().max(64).nullable(),
    tags: list(64),
    products: list(100),
    audiences: list(100),
    collections: z
      .array(z.string().regex(idPattern, 'collection ids are lower-case letters, digits, ".", "_" and "-"'))
      .max(100),
    validFrom: isoDate,
    validUntil: isoDate,
    kiosk: z.boolean(),
    shareUrl: z.url({ protocol: /^https?$/ }).nullable(),
  })
  .partial()
  .strict()
  .refine((f) => !f.validFrom || !f.validUntil || f.validFrom < f.validUntil, 'valid from must be before valid until');

export type ItemFields = z.infer<typeof itemFields>;
// The schema and the shared type are one shape; a drift fails to compile here.
const pinned: SameShape<ItemFields, SharedItemFields> = true;
void pinned;

export function searchTextOf(
  item: Pick<StudioItem, 'title' | 'fileName' | 'description' | 'tags' | 'products'>,
): string {
  return [item.title ?? '', item.fileName, item.description, ...item.tags, ...item.products].join(' ').toLowerCase();
}

export function toItem(row: ItemTable): StudioItem {
  return {
    id: row.id,
    kind: row.kind as StudioItem['kind'],
    title: row.title,
    description: row.description,
    category: row.category,
    tags: JSON.parse(row.tags) as string[],
    products: JSON.parse(row.products) as string[],
    audiences: JSON.parse(row.audiences) as string[],
    collections: JSON.parse(row.collections) as string[],
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    kiosk: row.kiosk !== 0,
    shareUrl: row.share_url,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    fileSize: Number(row.file_size),
    revision: row.revision,
    updatedAt: row.updated_at,
  };
}

/** The columns an edit changes; the search text follows the fields it is made of. */
export function columnsOf(item: StudioItem): Omit<ItemTable, 'channel' | 'id'> {
  return {
    kind: item.kind,
    title: item.title,
    description: item.description,
    category: item.category,
    tags: JSON.stringify(item.tags),
    products: JSON.stringify(item.products),
    audiences: JSON.stringify(item.audiences),
    collections: JSON.stringify(item.collections),
    valid_from: item.validFrom,
    valid_until: item.validUntil,
    kiosk: item.kiosk ? 1 : 0,
    share_url: item.shareUrl,
    file_name: item.fileName,
    file_sha256: item.fileSha256,
    file_size: item.fileSize,
    revision: item.revision,
    updated_at: item.updatedAt,
    updated_by: '',
    search_text: searchTextOf(item),
  };
}

export async function loadItems(db: StudioDb, channel: string): Promise<StudioItem[]> {
  const rows = await db.selectFrom('items').selectAll().where('channel', '=', channel).orderBy('id').execute();
  return rows.map(toItem);
}

/** One page of the library, searched and counted in the database so 20,000 items stay quick. */
export async function pageOfItems(
  db: StudioDb,
  channel: string,
  options: { query: string; offset: number; limit: number; kind?: StudioItem['kind'] | undefined },
): Promise<{ total: number; items: StudioItem[] }> {
  let base = db.selectFrom('items').where('channel', '=', channel);
  if (options.kind) base = base.where('kind', '=', options.kind);
  for (const word of options.query.toLowerCase().split(/\s+/).filter(Boolean)) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where(sql<boolean>`search_text like ${pattern} escape '\\'`);
  }
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
    base.selectAll().orderBy('id').offset(options.offset).limit(options.limit).execute(),
  ]);
  return { total: Number(count.n), items: rows.map(toItem) };
}
