import { describe, expect, it } from 'vitest';
import { enqueueTranscription, transcriptFor } from '#studio/rehearse/transcription/index';
import { backends, databaseAt, migratedSqlite, migrationBefore, postgresMissingHere } from '../migration-database.ts';

/**
 * Migration 025 on a database from before it (SQLite and PostgreSQL), and the plans of the queue's
 * and the view's queries.
 */

describe.each(backends)('on %s', (backend) => {
  it.skipIf(backend === 'postgres' && postgresMissingHere() !== null)(
    'adds practice_transcripts to a Studio database from before it, keeping what was there',
    async () => {
      const { before, open } = await databaseAt(backend, migrationBefore('025-practice-transcripts'));
      await before.insertInto('channels').values({ id: 'default', title: 'Default', created_at: 'now' }).execute();

      const db = await open();
      expect(await db.selectFrom('channels').select('id').execute()).toEqual([{ id: 'default' }]);
      await enqueueTranscription(db, {
        recordingId: 'rec-1',
        promptId: 'p',
        keyMessages: ['Twin-train redundancy'],
        file: '/r.webm',
        mime: 'audio/webm',
      });
      expect(await transcriptFor(db, 'rec-1')).toMatchObject({ status: 'pending', promptId: 'p', keyMessages: [] });
    },
  );
});

it('the queue finds waiting work and the view reads one prompt by index', async () => {
  const { raw, plan } = await migratedSqlite();
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
});
