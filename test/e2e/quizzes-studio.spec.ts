/**
 * A quiz from a real Studio, taken in the browser host by touch: marketing makes a starter quiz
 * from the glossary and publishes it; the rep's device, enrolled with a code, gets it with the
 * release, the rep answers it, sees the result, and after the sync sees their points and rank;
 * the rep's manager sees them in Studio's Points section. Checked with axe on each screen, landscape
 * 1440×960 and upright 960×1440.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { CatalogueQuiz } from '#shared/quiz';
import { StudioPage } from '../studio/e2e/studio-page';
import { makePdf } from '../support/release';
import { invite, publishDraft, repCode, setUpAdmin, studioPassword as password } from '../support/studio-server';
import { callApi } from './api';
import { expect, test } from './fixtures';
import { QuizzesPage } from './pages/quizzes-page';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).exclude('[inert]').analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(', ')}`,
    );
  expect(blocking, `${screen}: serious or critical accessibility violations`).toEqual([]);
}

async function fitsWidth(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const body = document.querySelector('.quizzes-screen__body');
    return body ? body.scrollWidth - body.clientWidth : 0;
  });
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe('quizzes with a real Studio', () => {
  test.describe.configure({ timeout: 180_000 });
  test.use({ hasTouch: true, viewport: { width: 1440, height: 960 } });

  test('the rep takes the starter quiz by touch, sees the result, and their standing after the sync; the manager sees it in Studio', async ({
    freshApp,
    studio,
    page,
    context,
  }) => {
    const admin = await setUpAdmin(studio);
    const people = await invite(studio, admin, ['editor', 'approver', 'manager']);
    expect((await admin.call('PUT', `/api/fleet/managers/${people.manager.id}`, { team: 'North' })).status).toBe(200);
    const editor = people.editor.client;
    const approver = people.approver.client;
    const pdf = await makePdf('AquaCore 500', ['AquaCore 500 at a glance', 'Twin-train redundancy']);
    expect((await editor.upload('default', 'aquacore-500.pdf', pdf)).status).toBe(200);
    const terms = [
      { id: 'twin-train', term: 'Twin-train', definition: 'Two trains: one runs while the other is serviced.' },
      { id: 'uptime', term: 'Uptime', definition: 'The share of hours the plant delivers to specification.' },
      { id: 'skid', term: 'Skid', definition: 'A frame with the unit pre-assembled, ready to connect.' },
    ];
    expect((await editor.call('PUT', '/api/channels/default/glossary', { terms })).status).toBe(200);
    const starter = (await editor.call<CatalogueQuiz>('POST', '/api/channels/default/quizzes/starter', {})).value;
    const saved = await editor.call('PUT', `/api/channels/default/quizzes/${starter.id}`, {
      quiz: starter,
      active: true,
    });
    expect(saved.status, JSON.stringify(saved.error)).toBe(200);
    await publishDraft(editor, approver, 'AquaCore and our vocabulary');
    const code = await repCode(admin);

    await page.goto(freshApp.url);
    const dialog = page.getByRole('dialog', { name: 'Connect to your company' });
    await dialog.getByLabel('Studio address').fill(studio.url);
    await dialog.getByLabel('Enrolment code').fill(code);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('fleet-continue').click();
    await expect(page.getByText(/aquacore/i).first()).toBeVisible({ timeout: 60_000 });

    const quizzes = new QuizzesPage(page);
    await quizzes.open();
    // Studio's answer at enrolment: no points yet.
    await expect(page.getByTestId('standing-points')).toHaveText('0');
    await quizzes.quiz(starter.id).tap();
    await expect(page.getByTestId('quiz-intro')).toContainText('3 questions; pass at 80%');
    const right = new Map(
      starter.questions.map((q) => [q.prompt, q.choices.filter((c) => c.correct).map((c) => c.text)]),
    );
    await page.getByTestId('quiz-start').tap();
    await expect(page.getByTestId('quiz-question')).toBeVisible();
    await expectAccessible(page, 'a quiz question');
    await page.getByTestId('quizzes-back').tap();
    await quizzes.open();
    await quizzes.quiz(starter.id).tap();
    await quizzes.answer((prompt) => right.get(prompt)!);
    await expect(page.getByTestId('quiz-result')).toContainText('Passed: 3 of 3 right (100%)');
    await expect(page.getByTestId('quiz-result-note')).toContainText('Your points are counted at your next sync');
    await expectAccessible(page, 'a quiz result');

    // The next sync with Studio sends the attempt and brings the standing back.
    await callApi(page, 'syncFleetNow', {});
    await expect(page.getByTestId('standing-points')).toHaveText('20');
    await expect(page.getByTestId('standing-team-rank')).toHaveText('1 of 1');
    await expect(page.getByTestId('standing-age')).toHaveText(/as of (just now|1 min ago)/);
    await expect(quizzes.standing.getByRole('list', { name: 'Team leaderboard' })).toContainText('Ana Ortiz (you)');
    await expect(quizzes.quiz(starter.id)).toContainText('up to date');
    await expectAccessible(page, 'quizzes with a standing');
    await fitsWidth(page);

    await page.setViewportSize({ width: 960, height: 1440 });
    await page.getByTestId('quiz-again').tap();
    await expect(page.getByTestId('quiz-changed')).toContainText('nothing has changed since');
    await fitsWidth(page);
    await expectAccessible(page, 'quizzes upright');
    await page.screenshot({ path: test.info().outputPath('quizzes-upright.png') });

    const studioTab = await context.newPage();
    await studioTab.goto(studio.url);
    await new StudioPage(studioTab).signIn('manager@example.com', password);
    await studioTab.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Points' }).click();
    await expect(studioTab.getByTestId('points-leaderboard')).toContainText('Ana Ortiz');
    await expect(studioTab.getByTestId('points-progress')).toContainText('1 of 1');
    await expectAccessible(studioTab, 'Studio points (manager)');
  });
});
