import { expect, type Locator, type Page } from '@playwright/test';

/** The rep's Quizzes screen; selectors stay here, out of the test bodies. */
export class QuizzesPage {
  readonly screen: Locator;
  readonly standing: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('quizzes-screen');
    this.standing = page.getByTestId('standing');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-quizzes').click();
    await expect(this.screen).toBeVisible();
  }

  quiz(id: string): Locator {
    return this.page.getByTestId(`quiz-${id}`);
  }

  /** Answers each question asked by tapping the choice `answer` names for its prompt, then finishes. */
  async answer(answers: (prompt: string) => string[]): Promise<void> {
    await this.page.getByTestId('quiz-start').click();
    for (;;) {
      const question = this.page.getByTestId('quiz-question');
      await expect(question).toBeVisible();
      const prompt = (await question.locator('legend').innerText()).split('\n').pop()!.trim();
      for (const choice of answers(prompt)) await question.getByText(choice, { exact: true }).tap();
      const finish = this.page.getByTestId('quiz-finish');
      if (await finish.isVisible()) {
        await finish.tap();
        break;
      }
      await this.page.getByTestId('quiz-next').tap();
    }
    await expect(this.page.getByTestId('quiz-result')).toBeVisible();
  }
}
