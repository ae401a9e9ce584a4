import { expect, type Locator, type Page } from '@playwright/test';

/** A collection's "See all" grid: its count, sort, filters and cards. */
export class CollectionPage {
  readonly screen: Locator;
  readonly count: Locator;
  readonly sort: Locator;
  readonly kind: Locator;
  readonly product: Locator;
  readonly tag: Locator;
  readonly cards: Locator;
  readonly grid: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('collection-screen');
    this.count = this.screen.getByTestId('collection-count');
    this.sort = this.screen.getByTestId('collection-sort');
    this.kind = this.screen.getByTestId('filter-kind');
    this.product = this.screen.getByTestId('filter-product');
    this.tag = this.screen.getByTestId('filter-tag');
    this.grid = this.screen.getByTestId('collection-grid');
    this.cards = this.screen.getByTestId('item-card');
  }

  async expectOpen(title: string): Promise<void> {
    await expect(this.screen).toBeVisible();
    await expect(this.screen.getByRole('heading', { level: 1 })).toContainText(title);
    await expect(this.cards.first()).toBeVisible();
  }

  /** Titles of the cards drawn, in the order the grid shows them. */
  async titles(): Promise<string[]> {
    return this.cards.locator('.item-card__title').allTextContents();
  }

  /**
   * Scrolls the grid to its end, so its last page is asked for and drawn. Rows are measured as
   * they are drawn, so the end moves while scrolling: keep going until it stays put.
   */
  async scrollToEnd(): Promise<void> {
    await this.grid.evaluate(async (element) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      for (let tries = 0; tries < 50; tries++) {
        element.scrollTo({ top: element.scrollHeight });
        await frame();
        if (element.scrollTop + element.clientHeight >= element.scrollHeight - 1) return;
      }
    });
  }
}
