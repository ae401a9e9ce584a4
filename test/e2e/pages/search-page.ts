import { expect, type Locator, type Page } from '@playwright/test';

/** Search: the field (top bar or sheet), its results panel, filters and recent searches. */
export class SearchPage {
  readonly input: Locator;
  readonly panel: Locator;
  readonly results: Locator;
  readonly pageHits: Locator;
  readonly glossaryAnswers: Locator;
  readonly emptyState: Locator;
  readonly recentSearches: Locator;
  readonly suggestions: Locator;
  readonly filterChips: Locator;
  readonly sheet: Locator;
  readonly viewerSearchButton: Locator;

  constructor(readonly page: Page) {
    // Only one field is interactive at a time: the top bar's on home, the sheet's over a viewer.
    this.input = page.locator('[data-testid="search-input"]:not([inert] *)');
    this.panel = page.getByTestId('search-panel');
    this.results = page.getByTestId('search-result');
    this.pageHits = page.getByTestId('search-page-hit');
    this.glossaryAnswers = page.getByTestId('search-glossary');
    this.emptyState = page.getByTestId('search-empty');
    this.recentSearches = page.getByTestId('recent-search');
    this.suggestions = page.getByTestId('search-suggestion');
    this.filterChips = page.getByTestId('filter-chip');
    this.sheet = page.getByTestId('search-sheet');
    this.viewerSearchButton = page.getByTestId('viewer-search-button');
  }

  /** Opens search with the `/` shortcut, from wherever the app is. */
  async openWithSlash(): Promise<void> {
    await this.page.locator('body').press('/');
    await expect(this.input).toBeFocused();
    await expect(this.panel).toBeVisible();
  }

  /** Types like a rep on a keyboard: one key at a time, results updating on each. */
  async typeQuery(text: string): Promise<void> {
    await this.input.pressSequentially(text);
    await expect(this.input).toHaveValue(text);
  }

  /** Waits until the results on screen answer exactly `query` (not an earlier keystroke). */
  async expectAnswered(query: string): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-answered-query', query);
  }

  result(itemId: string): Locator {
    return this.page.locator(`[data-testid="search-result"][data-item-id="${itemId}"]`);
  }

  pageHitsOf(itemId: string): Locator {
    return this.result(itemId).getByTestId('search-page-hit');
  }

  async resultIds(): Promise<string[]> {
    return this.results.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-item-id') ?? ''));
  }

  filterChip(label: string): Locator {
    return this.filterChips.filter({ hasText: label });
  }

  /** Waits until the panel says the query was logged as settled. */
  async expectRecorded(query: string): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-recorded-query', query);
  }

  recentSearch(text: string): Locator {
    return this.recentSearches.filter({ hasText: text });
  }
}
