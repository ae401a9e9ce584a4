import Database from 'better-sqlite3';
import path from 'node:path';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '#studio/database/connection';
import { migrations } from '#studio/database/migrations';
import type { StudioTables } from '#studio/database/schema';
import { enqueueTranscription, transcriptFor } from '#studio/rehearse/transcription/index';
import { tempDir } from '../../support/release.ts';

/** Migration 025 on a database from before it, and the plans of the queue's and the view's queries. */
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const previous = Object.keys(migrations)
  .filter((name) => name < '025-practice-transcripts')
  .sort()
  .at(-1)!;

it('adds practice_transcripts to a Studio database from before it, keeping what was there', async () => {
  const data = tempDir('studio-rehearse-db-');
  cleanups.push(data.cleanup);
  const before = new Kysely<StudioTables>({
    dialect: new SqliteDialect({ database: new Database(path.join(data.dir, 'studio.sqlite')) }),
  });
  const migrator = new Migrator({
    db: before,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'studio_migration',
    migrationLockTableName: 'studio_migration_lock',
  });
  expect((await migrator.migrateTo(previous)).error).toBeUndefined();
  await before.insertInto('channels').values({ id: 'default', title: 'Default', created_at: 'now' }).execute();
  await before.destroy();

  const { db } = await openDatabase({ dataDir: data.dir });
  expect(await db.selectFrom('channels').select('id').execute()).toEqual([{ id: 'default' }]);
  await enqueueTranscription(db, {
    recordingId: 'rec-1',
    promptId: 'p',
    keyMessages: ['Twin-train redundancy'],
    file: '/r.webm',
    mime: 'audio/webm',
  });
  expect(await transcriptFor(db, 'rec-1')).toMatchObject({ status: 'pending', promptId: 'p', keyMessages: [] });
  await db.destroy();
});

it('the queue finds waiting work and the view reads one prompt by index', async () => {
  const data = tempDir('studio-rehearse-db-');
  cleanups.push(data.cleanup);
  await (await openDatabase({ dataDir: data.dir })).db.destroy();
  const raw = new Database(path.join(data.dir, 'studio.sqlite'));
  // A year of a team's rehearsals: most done, a few waiting, across 50 prompts.
  raw.exec(`
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
    INSERT INTO practice_transcripts (recording_id, prompt_id, prompt_title, key_messages, rep, team, recorded_at,
      file, mime, status, attempts, created_at, updated_at)
    SELECT 'rec' || i, 'prompt-' || (i % 50), 'Title', '[]', 'rep' || (i % 40), 'North',
      printf('2026-%02d-01T00:00:00.000Z', 1 + i % 12), '/r', 'audio/webm',
      CASE WHEN i % 100 = 0 THEN 'pending' ELSE 'done' END, 1, printf('%08d', i), printf('%08d', i)
    FROM n`);
  raw.exec('ANALYZE');
  const plan = (sql: string) =>
    (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
  const claim = plan(
    `SELECT * FROM practice_transcripts WHERE status = 'pending' OR (status = 'running' AND updated_at < '0') ORDER BY created_at, recording_id LIMIT 1`,
  );
  expect(claim).toMatch(/USING INDEX practice_transcripts_status/);
  expect(claim).not.toMatch(/SCAN practice_transcripts(?! USING)/);
  const view = plan(
    `SELECT * FROM practice_transcripts WHERE prompt_id = 'prompt-7' AND status = 'done' ORDER BY recorded_at DESC LIMIT 1000`,
  );
  expect(view).toMatch(/USING INDEX practice_transcripts_prompt \(prompt_id=\?\)/);
  expect(view).not.toMatch(/TEMP B-TREE/);
  raw.close();
});
