/**
 * Search as a rep uses it: a shortcut, a typo on the way, and the right page of the right
 * document opened with the words marked on it.
 */
import { expect, test } from './fixtures';

test.describe('search', () => {
  test('a typo still lands on the right page of the right PDF, with the terms marked', async ({
    home,
    search,
    viewer,
    page,
  }) => {
    await home.open();
    await search.openWithSlash();
    // "backwash" mistyped: the engine still finds the one page about the multimedia filter's backwash.
    await search.typeQuery('multimedia filter backwsh');
    await search.expectAnswered('multimedia filter backwsh');

    const brochure = search.result('aquacore-500-brochure');
    await expect(brochure).toBeVisible();
    // The results are on screen whole, however narrow the field in the top bar is.
    const box = await search.panel.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
    const hit = search.pageHitsOf('aquacore-500-brochure').first();
    await expect(hit).toBeVisible();
    await expect(hit.locator('mark').first()).toBeVisible();
    const hitPage = Number(await hit.getAttribute('data-page'));
    expect(hitPage).toBe(3);

    await hit.click();
    await expect(viewer.pdf).toHaveAttribute('data-item-id', 'aquacore-500-brochure');
    await viewer.expectRenderedPage(hitPage);
    expect(await viewer.highlightCount()).toBeGreaterThan(0);
    await expect(viewer.pdf.locator('.pdf-slot--current .pdf-highlight').first()).toBeVisible();
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain(`/page/${hitPage}?q=multimedia+filter+backwsh`);

    // Back lands on the results again.
    await viewer.backButton.click();
    await expect(search.result('aquacore-500-brochure')).toBeVisible();
  });

  test('the keyboard walks the results and opens one; search also opens over a viewer', async ({
    home,
    search,
    viewer,
    page,
  }) => {
    await home.open();
    await search.openWithSlash();
    await search.typeQuery('How FlowSense compares');
    await search.expectAnswered('How FlowSense compares');
    await expect(search.pageHitsOf('flowsense-overview-deck').first()).toBeVisible();

    // Down to the first page hit of the first result, then Enter.
    const ids = await search.resultIds();
    expect(ids[0]).toBe('flowsense-overview-deck');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(search.pageHitsOf('flowsense-overview-deck').first()).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Enter');
    await viewer.expectRenderedPage(8);
    expect(await viewer.highlightCount()).toBeGreaterThan(0);

    // From the viewer: Ctrl+F opens a search sheet on top; Escape closes it, and a second Escape leaves the viewer.
    await page.keyboard.press('Control+f');
    await expect(search.sheet).toBeVisible();
    await expect(search.input).toBeFocused();
    await search.input.fill('');
    await search.typeQuery('price list');
    await search.expectAnswered('price list');
    const priceHit = search.pageHitsOf('price-sheet-2026').first();
    const pricePage = Number(await priceHit.getAttribute('data-page'));
    await priceHit.click();
    await expect(search.sheet).toBeHidden();
    await expect(viewer.pdf).toHaveAttribute('data-item-id', 'price-sheet-2026');
    await viewer.expectRenderedPage(pricePage);

    await search.viewerSearchButton.click();
    await expect(search.sheet).toBeVisible();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect(search.sheet).toBeHidden();
    await expect(viewer.pdf).toBeVisible();
  });

  test('a definition answers inline', async ({ home, search }) => {
    await home.open();
    await search.openWithSlash();
    await search.typeQuery('qualified lead');
    const answer = search.glossaryAnswers.filter({
      has: search.page.getByRole('heading', { name: 'Qualified lead', exact: true }),
    });
    await expect(answer).toBeVisible();
    await expect(answer).toContainText('decision maker');
  });

  test('nothing found says so; settled queries are logged, and only real ones come back as recent', async ({
    home,
    search,
    page,
  }) => {
    await home.open();
    await search.openWithSlash();
    await expect(search.recentSearches).toHaveCount(0);

    await search.typeQuery('zxqvw blorft');
    await expect(search.emptyState).toContainText('No results for “zxqvw blorft”');
    // A pause settles the query: it is logged (for marketing) without pressing anything.
    await search.expectRecorded('zxqvw blorft');

    await search.input.fill('');
    await search.typeQuery('hydramax');
    await expect(search.results.first()).toBeVisible();
    await search.input.press('Enter');
    await search.expectRecorded('hydramax');

    await search.input.press('Escape');
    await expect(search.input).toHaveValue('');
    await expect(search.recentSearch('hydramax')).toBeVisible();
    await expect(search.recentSearch('zxqvw')).toHaveCount(0);

    // Still there after the app restarts its page; a tap on the chip searches again.
    await page.reload();
    await home.expectVisible();
    await search.openWithSlash();
    await expect(search.recentSearch('hydramax')).toBeVisible();
    await expect(search.recentSearch('zxqvw')).toHaveCount(0);
    await search.recentSearch('hydramax').click();
    await expect(search.input).toHaveValue('hydramax');
    await expect(search.result('competitive-comparison')).toBeVisible();
  });

  test('a filter chip narrows the results, and autosuggest completes the word', async ({ home, search }) => {
    await home.open();
    await search.openWithSlash();
    await search.typeQuery('aquac');
    await expect(search.suggestions.filter({ hasText: 'aquacore' }).first()).toBeVisible();
    await search.suggestions.filter({ hasText: 'aquacore' }).first().click();
    await expect(search.input).toHaveValue('aquacore ');
    await expect.poll(async () => (await search.resultIds()).length).toBeGreaterThan(2);

    const chip = search.filterChip('Price sheet');
    await chip.click();
    await expect(chip).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => search.resultIds()).toEqual(['price-sheet-2026']);

    await chip.click();
    await expect(chip).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(async () => (await search.resultIds()).length).toBeGreaterThan(2);
    // A suggestion for the last word completes the whole query; nothing typed before it repeats.
    await search.input.fill('');
    await search.typeQuery('comparsion hydr');
    const hydramax = search.suggestions.filter({ hasText: 'hydramax' }).first();
    await expect(hydramax).toBeVisible();
    await hydramax.click();
    await expect(search.input).toHaveValue(/^compar[a-z]+ hydramax $/);
    expect(await search.input.inputValue()).not.toMatch(/compar\w+ compar/);
  });
});
