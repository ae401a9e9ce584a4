import { expect, test } from './fixtures';

test.describe('home', () => {
  test('shows the demo library: collections of cards with real thumbnails, and the shared definitions', async ({
    home,
  }) => {
    await home.open();

    expect(await home.collectionRows.count()).toBeGreaterThanOrEqual(2);
    await expect(home.releaseChip).toContainText('Release');

    // Only the cards near the screen are drawn; every one of them shows its real cover.
    const thumbnails = await home.loadedThumbnailCount();
    expect(thumbnails.total).toBeGreaterThanOrEqual(4);
    expect(thumbnails.loaded).toBe(thumbnails.total);

    // Rows and cards are drawn as they come near the screen, so the whole library is counted by scrolling through it.
    expect((await home.allItemIds()).length).toBeGreaterThanOrEqual(12);

    await expect(home.glossaryEntry('Qualified lead')).toBeVisible();
    expect(await home.glossaryEntries.count()).toBeGreaterThanOrEqual(8);
  });

  test('a shelf flown past shows still placeholders and draws its cards once the page stops', async ({
    home,
    page,
  }) => {
    await home.open();
    // One jump to the end, as a fling or the End key does: the shelves it brings into view are
    // read in the frame after the scroll, before the page could stop.
    const flown = await page.evaluate(async () => {
      const rowIds = () =>
        [...document.querySelectorAll<HTMLElement>('[data-testid="collection-row"]')].map(
          (row) => row.dataset.collectionId ?? '',
        );
      const before = new Set(rowIds());
      const content = document.getElementById('library')!;
      content.scrollTop = content.scrollHeight;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return [...document.querySelectorAll<HTMLElement>('[data-testid="collection-row"]')]
        .filter((row) => !before.has(row.dataset.collectionId ?? ''))
        .map((row) => ({
          id: row.dataset.collectionId ?? '',
          busy: row.getAttribute('aria-busy'),
          cards: row.querySelectorAll('[data-testid="item-card"]').length,
          still: row.querySelectorAll('.collection-row__loading--still').length,
        }));
    });
    expect(flown.length).toBeGreaterThan(0);
    for (const row of flown) {
      expect(row).toMatchObject({ busy: 'true', cards: 0 });
      expect(row.still).toBeGreaterThan(0);
    }
    // Once the page stops, each of them draws its cards.
    for (const row of flown) await expect(home.row(row.id).getByTestId('item-card').first()).toBeVisible();
    await home.shelvesDrawn();
  });

  test('opens a shared definition and closes it with Back', async ({ home, page }) => {
    await home.open();
    await home.glossaryEntry('Qualified lead').click();
    await expect(home.glossaryDialog).toBeVisible();
    await expect(home.glossaryDialog.getByRole('heading', { name: 'Qualified lead' })).toBeVisible();
    await expect(page).toHaveURL(/#\/glossary\//);

    await page.goBack();
    await expect(home.glossaryDialog).toBeHidden();
    await home.expectVisible();
  });

  test('a deep link to an item that does not exist explains itself and leads home', async ({
    home,
    viewer,
    page,
    app,
  }) => {
    await page.goto(`${app.url}#/item/no-such-item`);
    await expect(page.getByTestId('item-error')).toContainText('no longer in the library');
    await viewer.backButton.click();
    await home.expectVisible();
  });
});
