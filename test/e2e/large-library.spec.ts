/**
 * A real library of 2,000 documents, published with `pitchcase publish` and synced into the
 * profile with `pitchcase sync`: the home shows its first cards and only what is near the
 * screen, the last collection can be reached, its "See all" grid sorts and pages through it,
 * and a filter finds the one item among thousands.
 */
import AxeBuilder from '@axe-core/playwright';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, runHost, type AppHost } from './fixtures';
import { itemId, itemTitle, needle, publishLargeRelease, syncInto, type LargeRelease } from './large-release';
import { CollectionPage } from './pages/collection-page';
import { HomePage } from './pages/home-page';
import { SearchPage } from './pages/search-page';

const count = 2_000;

const test = base.extend<{ largeApp: AppHost; largeHome: HomePage }, { largeRelease: LargeRelease }>({
  // Published once per worker and run: the publisher's time is the set-up's, not each test's.
  largeRelease: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
    async ({}, use) => {
      const workDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-large-'));
      try {
        await use(await publishLargeRelease(workDir, count));
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 900_000 },
  ],
  largeApp: async ({ largeRelease }, use, testInfo) => {
    // Past the first-run "Connect to your company" screen, as the app fixture is.
    await runHost(['--no-connect-prompt'], use, testInfo, (profileDir) => syncInto(profileDir, largeRelease));
  },
  largeHome: async ({ page, largeApp }, use) => {
    await use(new HomePage(page, largeApp));
  },
});

test.describe('a library of 2,000 documents', () => {
  // Syncing 2,000 items into the test's profile is part of each test; on a busy 2-core machine it
  // takes a minute or more, so the limit leaves room for it (nothing here is a timing claim).
  test.describe.configure({ mode: 'serial', timeout: 300_000 });

  test('home, the last collection, "See all" with sort and a filter that finds one item', async ({
    largeHome: home,
    largeRelease,
    page,
  }) => {
    await home.open();
    await expect(page.locator('.library-intro__summary')).toHaveText(
      `${count.toLocaleString('en')} items in ${largeRelease.collections} collections · on this device, ready offline`,
    );
    // Only what is near the screen is drawn: a few shelves of a few cards each.
    expect(await home.cards.count()).toBeLessThan(80);
    expect(await home.collectionRows.count()).toBeLessThan(10);
    const first = home.row('shelf-0');
    await expect(first.getByTestId('item-card').first()).toHaveAttribute('data-item-id', itemId(0));
    await expect(first.locator('.collection-row__count')).toHaveText('100');

    // The last collection: reached by scrolling, its cards loaded as it is drawn.
    const lastId = `shelf-${largeRelease.collections - 1}`;
    const lastTitle = `Shelf ${largeRelease.collections}`;
    const last = await home.scrollToRow(lastId);
    await expect(last.getByTestId('item-card').first()).toBeVisible();
    await expect(last.getByTestId('item-card').first()).toHaveAttribute('data-item-id', itemId(count - 100));
    // The shelves scrolled past are gone from the DOM, not kept: still a few shelves of a few cards.
    expect(await home.collectionRows.count()).toBeLessThan(10);
    expect(await home.cards.count()).toBeLessThan(80);
    // Covers come at about the size they are shown, not as full pages (at most 2× their CSS width).
    await expect(last.locator('[data-testid="item-card"] img').first()).toHaveJSProperty('complete', true);
    const covers = await home.cardThumbnails.evaluateAll((images) =>
      (images as HTMLImageElement[])
        .filter((image) => image.complete && image.naturalWidth > 0)
        .map((image) => ({ natural: image.naturalWidth, shown: image.getBoundingClientRect().width })),
    );
    expect(covers.length).toBeGreaterThan(0);
    for (const cover of covers) expect(cover.natural).toBeLessThanOrEqual(2 * cover.shown);
    await last.getByTestId('see-all').click();

    const grid = new CollectionPage(page);
    await grid.expectOpen(lastTitle);
    await expect(grid.count).toHaveText('100');

    // A–Z reads numbers by value: "Field note 1900" before "Field note 1901" … "1999".
    await grid.sort.selectOption('title');
    await expect(grid.cards.first()).toHaveAttribute('data-item-id', itemId(count - 100));
    expect((await grid.titles()).slice(0, 3)).toEqual([
      itemTitle(count - 100),
      itemTitle(count - 99),
      itemTitle(count - 98),
    ]);
    // The end of the list is drawn from its own page.
    await grid.scrollToEnd();
    await expect(grid.screen.locator(`[data-item-id="${itemId(count - 1)}"]`)).toBeVisible();

    // The one item tagged "needle", found by the tag filter; the product filter narrows the same way.
    await grid.tag.selectOption(needle.tag);
    await expect(grid.count).toHaveText('1 of 100');
    await expect(grid.cards).toHaveCount(1);
    await expect(grid.cards.first()).toHaveAttribute('data-item-id', itemId(needle.index(count)));
    await grid.screen.getByTestId('filter-clear').click();
    await grid.product.selectOption(needle.product);
    await expect(grid.count).toHaveText('1 of 100');
    await grid.screen.getByTestId('filter-clear').click();
    await grid.kind.selectOption('pdf');
    await expect(grid.count).toHaveText('100 of 100');

    // Opening a card from the grid shows the document.
    await grid.cards.first().click();
    await expect(page.locator('.pdf-page--painted').first()).toBeAttached();
  });

  test('search: thousands of matches scroll and walk to the last one with only the ones on screen in the page', async ({
    largeHome: home,
    page,
  }) => {
    const search = new SearchPage(page);
    // Results drawn at most: a panel's view of them and the few drawn either side.
    const drawnAtMost = 30;
    await home.open();
    await search.openWithSlash();
    await search.typeQuery('water');
    await search.expectAnswered('water');
    await expect(page.getByTestId('search-count')).toHaveText(`${count} results`);
    await expect(search.results.first()).toBeVisible();
    // Each result says its place among every match, not among those loaded so far.
    await expect(search.results.first()).toHaveAttribute('aria-label', new RegExp(`, result 1 of ${count}$`));

    // No serious accessibility problem in the virtualised list.
    const axe = await new AxeBuilder({ page }).include('[data-testid="search-panel"]').analyze();
    expect(
      axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'),
    ).toEqual([]);

    // Scrolling to the end of the panel, again and again, loads every result, page by page,
    // while the page holds only the few in view.
    const body = search.panel.locator('.search-panel__body');
    const more = search.panel.getByTestId('search-more');
    const last = search.panel.locator(`[data-testid="search-result"][aria-label$=", result ${count} of ${count}"]`);
    for (let round = 0; round < 4 * (count / 20) && (await more.count()) > 0; round++) {
      const label = (await more.textContent()) ?? '';
      await body.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      // The button's text changes with the next page, or the button goes with the last one.
      await expect.poll(() => more.evaluateAll((nodes) => nodes[0]?.textContent ?? '')).not.toBe(label);
      expect(await search.results.count()).toBeLessThanOrEqual(drawnAtMost);
    }
    await expect(more).toHaveCount(0);
    await body.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await expect(last).toBeInViewport();
    expect(await search.results.count()).toBeLessThanOrEqual(drawnAtMost);

    // By keyboard: back at the top, Up from the field goes to the very last result, which is
    // drawn and scrolled to; Down from the field starts again at the first.
    await body.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(last).toHaveCount(0);
    await expect(search.input).toBeFocused();
    await page.keyboard.press('ArrowUp');
    const active = async () => page.locator(`[id="${await search.input.getAttribute('aria-activedescendant')}"]`);
    await expect(await active()).toHaveAttribute('aria-selected', 'true');
    await expect(await active()).toBeInViewport();
    await expect((await active()).locator('xpath=ancestor::*[@data-testid="search-result"]')).toHaveAttribute(
      'aria-label',
      new RegExp(`, result ${count} of ${count}$`),
    );
    expect(await search.results.count()).toBeLessThanOrEqual(drawnAtMost);
    await page.keyboard.press('ArrowDown');
    await expect(search.input).not.toHaveAttribute('aria-activedescendant', /.+/);
    await page.keyboard.press('ArrowDown');
    await expect(await active()).toHaveAttribute('aria-selected', 'true');
    await expect(await active()).toBeInViewport();
    await expect((await active()).locator('xpath=ancestor::*[@data-testid="search-result"]')).toHaveAttribute(
      'aria-label',
      new RegExp(`, result 1 of ${count}$`),
    );

    // Enter opens the result the keyboard is on.
    const firstId = await search.results.first().getAttribute('data-item-id');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/item/${firstId}`));
  });
});
