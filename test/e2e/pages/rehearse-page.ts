import { expect, type Locator, type Page } from '@playwright/test';

/** The Rehearse screen: prompts, the brief, the recorder and the takes. */
export class RehearsePage {
  readonly screen: Locator;
  readonly keyMessages: Locator;
  readonly limit: Locator;
  readonly countdown: Locator;
  readonly record: Locator;
  readonly stop: Locator;
  readonly takes: Locator;
  readonly problem: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('rehearse-screen');
    this.keyMessages = page.getByTestId('rehearse-key-messages').locator('li');
    this.limit = page.getByTestId('rehearse-limit');
    this.countdown = page.getByTestId('rehearse-countdown');
    this.record = page.getByTestId('rehearse-record');
    this.stop = page.getByTestId('rehearse-stop');
    this.takes = page.getByTestId('rehearse-take');
    this.problem = page.getByTestId('rehearse-problem');
  }

  async openFromTopBar(): Promise<void> {
    await this.page.getByTestId('nav-rehearse').click();
    await expect(this.screen).toBeVisible();
  }

  async pick(promptId: string): Promise<void> {
    await this.page.getByTestId(`prompt-${promptId}`).click();
    await expect(this.page.getByTestId('rehearse-brief')).toBeVisible();
  }

  /** Records until the countdown has moved on by at least `seconds`, then stops. */
  async recordFor(limit: string, seconds: number): Promise<void> {
    const before = await this.takes.count();
    await this.record.click();
    await expect(this.stop).toBeVisible();
    await expect(this.countdown).not.toHaveText(limit);
    for (let i = 1; i < seconds; i++) await expect(this.countdown).not.toHaveText(remaining(limit, i));
    await this.stop.click();
    await expect(this.takes).toHaveCount(before + 1);
  }

  take(index: number): Locator {
    return this.takes.nth(index);
  }
}

/** The countdown `m:ss` after `seconds` have passed. */
function remaining(limit: string, seconds: number): string {
  const [m = '0', s = '0'] = limit.split(':');
  const left = Number(m) * 60 + Number(s) - seconds;
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
}
