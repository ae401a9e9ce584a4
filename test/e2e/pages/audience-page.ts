import { expect, type Locator, type Page } from '@playwright/test';

/** The presenter view on the rep's screen: current and next page, notes, time, running order. */
export class PresenterViewPage {
  readonly root: Locator;
  readonly step: Locator;
  readonly progress: Locator;
  readonly elapsed: Locator;
  readonly notes: Locator;
  readonly next: Locator;
  readonly order: Locator;
  readonly black: Locator;
  readonly toggle: Locator;
  readonly openAudienceWindow: Locator;
  readonly ink: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('presenter-view');
    this.step = page.getByTestId('presenter-step');
    this.progress = page.getByTestId('presenter-view-progress');
    this.elapsed = page.getByTestId('presenter-elapsed');
    this.notes = page.getByTestId('presenter-notes');
    this.next = page.getByTestId('presenter-next');
    this.order = page.getByTestId('presenter-order-slide');
    this.black = page.getByTestId('presenter-black');
    this.toggle = page.getByTestId('presenter-view-toggle');
    this.openAudienceWindow = page.getByTestId('open-audience-window');
    this.ink = this.root.getByTestId('presenter-ink');
  }

  async expectNext(itemId: string, page: number): Promise<void> {
    await expect(this.next).toHaveAttribute('data-item-id', itemId);
    await expect(this.next).toHaveAttribute('data-page', String(page));
  }
}

/** The audience screen: a window of its own that only follows the presentation. */
export class AudiencePage {
  readonly root: Locator;
  readonly black: Locator;
  readonly ink: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('audience');
    this.black = page.getByTestId('audience-black');
    this.ink = page.getByTestId('audience-ink');
  }

  /** Waits until the audience shows this item and page, drawn. */
  async expectSlide(itemId: string, page: number): Promise<void> {
    await expect(this.root).toHaveAttribute('data-item-id', itemId);
    await expect(this.root).toHaveAttribute('data-page', String(page));
    await expect(this.root).toHaveAttribute('data-rendered', 'true');
  }

  /** Everything the audience window's document holds as text, attributes included. */
  async documentText(): Promise<string> {
    return this.page.evaluate(() => `${document.documentElement.outerHTML}\n${document.body.innerText}`);
  }
}
