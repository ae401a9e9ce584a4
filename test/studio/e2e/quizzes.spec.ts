import { studioPassword as password } from '../../support/studio-server';
import { StudioClient } from '../client';
import { expect, test } from './fixtures';
import { StudioPage } from './studio-page';

/**
 * Writing quizzes in Studio's UI: an editor makes the starter quiz from the glossary, edits its
 * title and a question, marks a second right choice, saves it switched on, and sees it listed; a
 * quiz with a blank question is refused with the question named. Checked with axe.
 */

test('the starter quiz from the glossary is edited and saved; a blank question is refused by name', async ({
  page,
  studio,
}) => {
  const ui = new StudioPage(page);
  await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
  const api = new StudioClient(studio.url);
  await api.signIn('ada@example.com', password);
  const terms = [
    { id: 'twin-train', term: 'Twin-train', definition: 'Two trains: one runs while the other is serviced.' },
    { id: 'uptime', term: 'Uptime', definition: 'The share of hours the plant delivers to specification.' },
    { id: 'skid', term: 'Skid', definition: 'A frame with the unit pre-assembled, ready to connect.' },
  ];
  expect((await api.call('PUT', '/api/channels/default/glossary', { terms })).status).toBe(200);

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Quizzes' }).click();
  await expect(page.getByRole('heading', { name: 'Quizzes' })).toBeVisible();
  await page.getByTestId('quiz-starter').click();
  await expect(page.getByRole('status')).toContainText('A starter quiz of 3 questions from the glossary');
  const editor = page.getByTestId('quiz-editor');
  await expect(editor.getByLabel('Question 1', { exact: true })).toHaveValue('What does “Twin-train” mean?');
  await ui.expectAccessible('the starter quiz in the editor');

  await editor.getByLabel('Title').fill('Water words');
  await editor.getByLabel('Question 2', { exact: true }).fill('Which of these is uptime?');
  await editor.getByLabel('Ships in the next release').check();
  await page.getByTestId('quiz-save').click();
  await expect(page.getByRole('status')).toContainText('Saved “Water words”.');
  const table = page.getByTestId('quiz-table');
  await expect(table).toContainText('Water words');
  await expect(table).toContainText('Ships');
  const saved = await api.call<{ title: string; questions: { prompt: string }[] }[]>(
    'GET',
    '/api/channels/default/quizzes',
  );
  expect(saved.value[0]).toMatchObject({ title: 'Water words' });
  expect(saved.value[0]!.questions[1]!.prompt).toBe('Which of these is uptime?');

  await editor.getByLabel('Question 3', { exact: true }).fill('   ');
  await page.getByTestId('quiz-save').click();
  await expect(page.getByRole('alert')).toContainText('question 3 (term-skid), prompt: a question cannot be empty');
  await ui.expectAccessible('a refused quiz');
});
