import { expect, type Locator, type Page } from '@playwright/test';

/** The library home: top bar, collection rows of item cards, shared definitions. */
export class HomePage {
  readonly cards: Locator;
  readonly collectionRows: Locator;
  readonly cardThumbnails: Locator;
  readonly glossaryEntries: Locator;
  readonly releaseChip: Locator;
  readonly glossaryDialog: Locator;

  constructor(
    readonly page: Page,
    private readonly app: { url: string },
  ) {
    this.cards = page.getByTestId('item-card');
    this.collectionRows = page.getByTestId('collection-row');
    this.cardThumbnails = this.cards.locator('img');
    this.glossaryEntries = page.getByTestId('glossary-entry');
    this.releaseChip = page.getByTestId('release-chip');
    this.glossaryDialog = page.getByTestId('glossary-dialog');
  }

  async open(): Promise<void> {
    await this.page.goto(this.app.url);
    await expect(this.cards.first()).toBeVisible();
  }

  /**
   * Waits until every shelf drawn has its cards: a shelf that came into view while the page was
   * flung (as a script scrolls it, a screen a frame) shows placeholders until the scroll stops.
   */
  async shelvesDrawn(): Promise<void> {
    await expect(this.page.locator('[data-testid="collection-row"][aria-busy="true"]')).toHaveCount(0);
  }

  card(itemId: string): Locator {
    return this.page.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`).first();
  }

  /**
   * Brings an item's card into the DOM and into view: rows and cards away from the screen are
   * drawn only as they come near, so this scrolls the page and each shelf until it appears.
   */
  async reveal(itemId: string): Promise<Locator> {
    const card = this.card(itemId);
    await expect(this.cards.first()).toBeVisible();
    // A shelf fetches its cards once it comes near, so one pass can reach the end before the
    // card is drawn: look again, from the top, until it is.
    await expect.poll(() => this.lookFor(itemId), { timeout: 30_000 }).toBe(true);
    await expect(card).toBeInViewport();
    return card;
  }

  /** One pass down the home and along each shelf; true once the item's card is drawn. */
  private async lookFor(itemId: string): Promise<boolean> {
    const content = this.page.locator('#library');
    await content.evaluate((element) => element.scrollTo({ top: 0 }));
    for (;;) {
      await this.shelvesDrawn();
      const found = await this.page.evaluate(async (id) => {
        for (const shelf of document.querySelectorAll<HTMLElement>('[data-testid="collection-shelf"]')) {
          shelf.scrollLeft = 0;
          while (
            !shelf.querySelector(`[data-item-id="${CSS.escape(id)}"]`) &&
            shelf.scrollLeft + shelf.clientWidth < shelf.scrollWidth - 1
          ) {
            shelf.scrollLeft += shelf.clientWidth;
            await new Promise((resolve) => requestAnimationFrame(resolve));
            await new Promise((resolve) => requestAnimationFrame(resolve));
          }
          const found = shelf.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(id)}"]`);
          if (found) {
            // Bring it on screen here, where it is: scrolling the page redraws the shelves near
            // it, so the card is looked for again once the frame after that is drawn.
            found.scrollIntoView({ block: 'center', inline: 'nearest' });
            await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
            const card = document.querySelector<HTMLElement>(`[data-item-id="${CSS.escape(id)}"]`);
            if (!card) return false;
            const box = card.getBoundingClientRect();
            return box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
          }
        }
        return false;
      }, itemId);
      if (found) return true;
      const atEnd = await content.evaluate(
        (element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 1,
      );
      if (atEnd) return false;
      await content.evaluate(async (element) => {
        element.scrollBy(0, element.clientHeight * 0.8);
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      });
    }
  }

  /** The home's row of a collection (or of `__favourites`, `__recent`, `__more`). */
  row(collectionId: string): Locator {
    return this.page.locator(`[data-testid="collection-row"][data-collection-id="${collectionId}"]`);
  }

  /** Scrolls the home a screen at a time until a row is drawn, then brings it into view. */
  async scrollToRow(collectionId: string): Promise<Locator> {
    const row = this.row(collectionId);
    const content = this.page.locator('#library');
    while ((await row.count()) === 0) {
      const atEnd = await content.evaluate(
        (element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 1,
      );
      if (atEnd) throw new Error(`No row "${collectionId}" on the home`);
      await content.evaluate(async (element) => {
        element.scrollBy(0, element.clientHeight * 0.8);
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      });
    }
    await row.scrollIntoViewIfNeeded();
    await this.shelvesDrawn();
    return row;
  }

  async openItem(itemId: string): Promise<void> {
    await (await this.reveal(itemId)).click();
  }

  async distinctItemIds(): Promise<string[]> {
    const ids = await this.cards.evaluateAll((cards) => cards.map((card) => card.getAttribute('data-item-id') ?? ''));
    return [...new Set(ids)].filter(Boolean);
  }

  /**
   * Every item id the home shows, scrolling the page and each shelf to its end: rows and cards
   * away from the screen are drawn only as they come near.
   */
  async allItemIds(): Promise<string[]> {
    const ids = new Set<string>();
    const content = this.page.locator('#library');
    for (;;) {
      await this.shelvesDrawn();
      for (const id of await this.distinctItemIds()) ids.add(id);
      await this.page.evaluate(async () => {
        for (const shelf of document.querySelectorAll<HTMLElement>('[data-testid="collection-shelf"]'))
          shelf.scrollLeft = shelf.scrollWidth;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      });
      for (const id of await this.distinctItemIds()) ids.add(id);
      const atEnd = await content.evaluate(
        (element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 1,
      );
      if (atEnd) return [...ids];
      await content.evaluate(async (element) => {
        element.scrollBy(0, element.clientHeight * 0.8);
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      });
    }
  }

  /** Waits until every card thumbnail has finished loading; returns those that decoded to pixels. */
  async loadedThumbnailCount(): Promise<{ total: number; loaded: number }> {
    await this.page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="item-card"] img')].every((img) => img.complete),
    );
    return this.cardThumbnails.evaluateAll((images) => ({
      total: images.length,
      loaded: (images as HTMLImageElement[]).filter((img) => img.naturalWidth > 0).length,
    }));
  }

  /** The entry whose term is exactly `term` (other definitions may mention it). */
  glossaryEntry(term: string): Locator {
    return this.glossaryEntries.filter({
      has: this.page.locator('.glossary-card__term').getByText(term, { exact: true }),
    });
  }

  async expectVisible(): Promise<void> {
    await expect(this.cards.first()).toBeVisible();
    await expect(this.page.locator('.home-screen')).not.toHaveAttribute('inert');
  }
}
