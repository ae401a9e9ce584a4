import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/**
 * The outbox batches migration (11 when written) on the database before it: rows keep their data and belong to no
 * batch, a folder batch pinned in the settings row becomes a batch under the key its file was
 * named by, and the query for a batch's rows uses its index.
 */
// Found by name: another migration may land before it and move its number.
const at = migrations.findIndex((m) => m.name === 'outbox batches');
const before = migrations.slice(0, at);
const through = migrations.slice(0, at + 1);

describe('migration 011 (outbox batches)', () => {
  it('keeps the rows, turns the pinned folder batch into a kept batch, drops the pin and the stored endpoint words', () => {
    const db = new Database(':memory:');
    migrate(db, before);
    const insert = db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES (?, ?, '{}', '2026-11-23T09:00:00.000Z')`,
    );
    for (const key of ['event:a', 'event:b', 'event:c', 'meeting:m']) insert.run(key.split(':')[0], key);
    db.prepare(`UPDATE outbox SET sent_at = 'then' WHERE idempotency_key = 'meeting:m'`).run();
    db.prepare(
      `UPDATE outbox SET last_error = 'HTTP 409: Duplicate lead: ana@example.org' WHERE idempotency_key = 'event:c'`,
    ).run();
    db.prepare(`INSERT INTO settings (key, value) VALUES ('outbox.health', ?)`).run(
      JSON.stringify({
        lastSuccessAt: 'then',
        lastError: { at: 'now', kind: 'lead', message: 'HTTP 409: Duplicate lead: ana@example.org' },
      }),
    );
    // event rows 1 and 2 pinned; a meeting pin whose row went out meanwhile is not kept.
    db.prepare(`INSERT INTO settings (key, value) VALUES ('outbox.pinnedBatches', ?)`).run(
      JSON.stringify({ event: [1, 2], meeting: [4] }),
    );
    migrate(db, through);
    expect(at).toBeGreaterThanOrEqual(10);
    expect(db.pragma('user_version', { simple: true })).toBe(at + 1);
    const key = createHash('sha256').update('event:a\nevent:b').digest('hex');
    expect(db.prepare(`SELECT idempotency_key AS record, batch_key AS batch FROM outbox ORDER BY id`).all()).toEqual([
      { record: 'event:a', batch: key },
      { record: 'event:b', batch: key },
      { record: 'event:c', batch: null },
      { record: 'meeting:m', batch: null },
    ]);
    expect(db.prepare(`SELECT count(*) AS n FROM settings WHERE key = 'outbox.pinnedBatches'`).get()).toEqual({ n: 0 });
    // An endpoint's words stored in clear before are not kept.
    expect(db.prepare(`SELECT last_error FROM outbox WHERE idempotency_key = 'event:c'`).get()).toEqual({
      last_error: expect.stringMatching(/^Delivery failed/),
    });
    const health = JSON.parse(
      (db.prepare(`SELECT value FROM settings WHERE key = 'outbox.health'`).get() as { value: string }).value,
    ) as Record<string, unknown>;
    expect(health).toEqual({
      lastSuccessAt: 'then',
      lastError: { at: 'now', kind: 'lead', message: expect.stringMatching(/^Delivery failed/) },
    });
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE batch_key = ? AND sent_at IS NULL ORDER BY id`)
      .all(key) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/outbox_open_batches/);
  });

  it('migrates a database without a pin, or with a pin it cannot read, and leaves the rows unbatched', () => {
    const db = new Database(':memory:');
    migrate(db, before);
    db.prepare(
      `INSERT INTO outbox (kind, idempotency_key, payload, created_at) VALUES ('event', 'event:x', '{}', 'now')`,
    ).run();
    db.prepare(`INSERT INTO settings (key, value) VALUES ('outbox.pinnedBatches', 'not json')`).run();
    migrate(db, through);
    expect(db.prepare(`SELECT batch_key FROM outbox`).get()).toEqual({ batch_key: null });
  });
});
