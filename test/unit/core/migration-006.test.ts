import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '#core/storage/database';
import { migrations } from '#core/storage/migrations/index';

/**
 * Migration 6 on a version-5 database with a meeting saved for later: the meeting keeps its
 * fields and gains empty CRM links; the CRM cache takes records; the hot queries use indexes.
 */
describe('migration 006 (CRM cache, meeting links)', () => {
  it('keeps a version-5 meeting, adds the CRM cache, and lists drafts by index', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 5));
    db.prepare(
      `INSERT INTO meetings (id, started_at, ended_at, status, account, notes, shown, updated_at)
       VALUES ('m1', '2026-05-01T09:00:00Z', '2026-05-01T09:30:00Z', 'later', 'Marston', 'half-typed', '[{"itemId":"deck","page":2,"dwellMs":5000}]', 'x')`,
    ).run();
    migrate(db, migrations.slice(0, 6));
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    expect(
      db.prepare(`SELECT id, account, notes, shown, account_id, contact_id, opportunity_id FROM meetings`).get(),
    ).toEqual({
      id: 'm1',
      account: 'Marston',
      notes: 'half-typed',
      shown: '[{"itemId":"deck","page":2,"dwellMs":5000}]',
      account_id: null,
      contact_id: null,
      opportunity_id: null,
    });

    const insert = db.prepare(
      `INSERT INTO crm_records (kind, crm_id, source, name, cached_at) VALUES (?, ?, ?, ?, 'now')`,
    );
    insert.run('contact', '003A', 'salesforce', 'Dana Whitfield');
    expect(() => insert.run('contact', '003A', 'file', 'Dana again')).toThrow(/UNIQUE/);
    expect(() => insert.run('lead', '00QA', 'file', 'Not a cached kind')).toThrow(/CHECK/);
    expect(() => insert.run('account', '001A', 'hubspot', 'Unknown source')).toThrow(/CHECK/);
    expect(() => insert.run('account', '', 'file', 'No id')).toThrow(/CHECK/);

    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan(`SELECT id FROM meetings WHERE status = 'later' ORDER BY started_at DESC`)).toMatch(
      /meetings_by_status/,
    );
    expect(
      plan(`SELECT crm_id FROM crm_records WHERE kind = 'contact' AND name LIKE 'da%' ORDER BY name COLLATE NOCASE`),
    ).toMatch(/crm_records_by_name/);
    expect(plan(`DELETE FROM crm_records WHERE source = 'salesforce'`)).toMatch(/crm_records_by_source/);
  });
});
