import { createHash } from 'node:crypto';
import type { Migration } from './migration.ts';

/**
 * A batch, once attempted, is kept: its Idempotency-Key is written on each of its rows, and the
 * rows are sent again together under that key until the endpoint acknowledges them, whatever
 * else arrives meanwhile or however often the app restarts. Before, the outbox formed batches
 * afresh from the due rows at every run, so a record could reach a receiver a second time inside
 * a batch with another key. Folder batches were pinned in a settings row (outbox.pinnedBatches);
 * those become batches of this kind, with the key their file was named by. Failure messages
 * stored in clear by earlier versions are replaced (they may echo personal data).
 */
const FORGOTTEN = 'Delivery failed (what the endpoint said was recorded by an earlier version and is not kept)';

export const migration011: Migration = {
  version: 11,
  name: 'outbox batches',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN batch_key TEXT;
      CREATE INDEX outbox_open_batches ON outbox (batch_key) WHERE batch_key IS NOT NULL AND sent_at IS NULL;
    `);
    // An endpoint's words kept by an earlier version may repeat a visitor's data: they go, the
    // next attempt records a failure afresh without it.
    db.prepare(`UPDATE outbox SET last_error = ? WHERE last_error IS NOT NULL`).run(FORGOTTEN);
    const health = db.prepare(`SELECT value FROM settings WHERE key = 'outbox.health'`).get() as
      { value: string } | undefined;
    if (health) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(health.value) as unknown;
      } catch {
        parsed = null;
      }
      const record = typeof parsed === 'object' && parsed !== null ? (parsed as { lastError?: unknown }) : {};
      if (typeof record.lastError === 'object' && record.lastError !== null) {
        db.prepare(`UPDATE settings SET value = ? WHERE key = 'outbox.health'`).run(
          JSON.stringify({ ...record, lastError: { ...record.lastError, message: FORGOTTEN } }),
        );
      }
    }
    const pinned = db.prepare(`SELECT value FROM settings WHERE key = 'outbox.pinnedBatches'`).get() as
      { value: string } | undefined;
    if (!pinned) return;
    let batches: unknown;
    try {
      batches = JSON.parse(pinned.value) as unknown;
    } catch {
      batches = {};
    }
    const select = db.prepare(`SELECT idempotency_key AS key FROM outbox WHERE id = ? AND sent_at IS NULL`);
    const mark = db.prepare(`UPDATE outbox SET batch_key = ? WHERE id = ?`);
    for (const ids of Object.values(typeof batches === 'object' && batches !== null ? batches : {})) {
      if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) continue;
      const keys = (ids as number[]).map((id) => (select.get(id) as { key: string } | undefined)?.key);
      // A pin some of whose rows went out meanwhile was dropped by the version that wrote it.
      if (keys.some((k) => k === undefined)) continue;
      const key = createHash('sha256').update(keys.join('\n')).digest('hex');
      for (const id of ids as number[]) mark.run(key, id);
    }
    db.prepare(`DELETE FROM settings WHERE key = 'outbox.pinnedBatches'`).run();
  },
};
