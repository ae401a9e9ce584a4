/** Favourites, recently opened and open counts of items on this device (table `item_use`). */
import type { ItemUse } from '#shared/library';
import type { ReadDb, WriteDb } from '../storage/database.ts';

/** How many recently opened items the home shows. */
export const recentLimit = 20;

export function itemUse(db: ReadDb): ItemUse {
  const favourites = db
    .prepare(`SELECT item_id FROM item_use WHERE favourite = 1 ORDER BY favourite_at DESC, item_id`)
    .pluck()
    .all() as string[];
  const recent = db
    .prepare(
      `SELECT item_id FROM item_use WHERE last_opened_at IS NOT NULL ORDER BY last_opened_at DESC, item_id LIMIT ?`,
    )
    .pluck()
    .all(recentLimit) as string[];
  const rows = db.prepare(`SELECT item_id AS id, opens FROM item_use WHERE opens > 0`).all() as {
    id: string;
    opens: number;
  }[];
  return { favourites, recent, opens: Object.fromEntries(rows.map((row) => [row.id, row.opens])) };
}

export function setFavourite(db: WriteDb, itemId: string, favourite: boolean, at: string): void {
  db.prepare(
    `INSERT INTO item_use (item_id, favourite, favourite_at) VALUES (?, ?, ?)
     ON CONFLICT (item_id) DO UPDATE SET favourite = excluded.favourite, favourite_at = excluded.favourite_at`,
  ).run(itemId, favourite ? 1 : 0, favourite ? at : null);
}

export function recordOpened(db: WriteDb, itemId: string, at: string): void {
  db.prepare(
    `INSERT INTO item_use (item_id, opens, last_opened_at) VALUES (?, 1, ?)
     ON CONFLICT (item_id) DO UPDATE SET opens = opens + 1, last_opened_at = excluded.last_opened_at`,
  ).run(itemId, at);
}
