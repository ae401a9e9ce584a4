import path from 'node:path';
import { studioPassword as password } from '../../support/studio-server';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';
import { StudioPage } from './studio-page';

/**
 * Marketing's "how reps say it" in Studio's UI: two reps' transcripts of one prompt side by side
 * with the key messages each said, and the phrase both used that the message does not; checked
 * with axe. A viewer has no such section. Transcripts are written straight into Studio's
 * database, as the transcription queue leaves them (its own tests cover how they get there).
 */

const keyMessages = ['Twin-train redundancy', 'Saves 60% of the water', 'Installs in one day'];

function writeTranscripts(dataDir: string) {
  const db = new Database(path.join(dataDir, 'studio.sqlite'));
  const insert = db.prepare(
    `insert into practice_transcripts (recording_id, prompt_id, prompt_title, key_messages, device_id, rep, team,
       recorded_at, file, mime, status, attempts, text, words, key_message_results, engine, duration_ms, error,
       created_at, updated_at)
     values (?, 'aquacore-pitch', ?, ?, 'dev', ?, ?, ?, '/r.webm', 'audio/webm', 'done', 1, ?, '[]', ?, 'pocketsphinx en-us', 9000, null, ?, ?)`,
  );
  const rows = [
    [
      'rec-ana',
      'Ana Ortiz',
      'North',
      '2026-03-01T10:00:00.000Z',
      'twin train redundancy means one train keeps running',
      [true, false, false],
    ],
    [
      'rec-ben',
      'Ben Okafor',
      'South',
      '2026-03-02T10:00:00.000Z',
      'one train keeps running and it saves sixty percent of the water',
      [false, true, false],
    ],
  ] as const;
  for (const [id, rep, team, at, text, said] of rows)
    insert.run(
      id,
      "The AquaCore 500's twin-train redundancy in 60 seconds",
      JSON.stringify(keyMessages),
      rep,
      team,
      at,
      text,
      JSON.stringify(keyMessages.map((message, i) => ({ message, said: said[i], score: said[i] ? 1 : 0 }))),
      at,
      at,
    );
  db.close();
}

test('marketing compares how reps pitch one prompt; a viewer does not see it', async ({ page, studio }) => {
  const ui = new StudioPage(page);
  await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
  writeTranscripts(studio.dataDir);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'How reps say it' }).click();
  await expect(page.getByRole('heading', { name: 'How reps say it' })).toBeVisible();
  await expect(page.getByLabel('Prompt')).toHaveValue('aquacore-pitch');
  const phrases = page.getByRole('region', { name: 'Phrases reps use that the message does not' });
  await expect(phrases.getByRole('row', { name: /one train keeps running/ })).toContainText(
    '“one train keeps running”22',
  );
  const cards = page.getByRole('region', { name: /^Transcripts/ }).getByRole('listitem', { name: /, / });
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toContainText('Ben Okafor');
  await expect(cards.first()).toContainText('Said: Saves 60% of the water');
  await expect(cards.first()).toContainText('Missed: Twin-train redundancy');
  await expect(cards.nth(1)).toContainText('Ana Ortiz');
  await ui.expectAccessible('how reps say it');

  await ui.addPerson({ name: 'Vera', email: 'vera@example.com', role: 'viewer', password });
  await ui.signOut();
  await ui.signIn('vera@example.com', password);
  const sections = page.getByRole('navigation', { name: 'Sections' });
  await expect(sections.getByRole('button', { name: 'Fleet' })).toBeVisible();
  await expect(sections.getByRole('button', { name: 'How reps say it' })).toHaveCount(0);
});
