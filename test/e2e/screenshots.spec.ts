/**
 * The README's screenshots, at a Surface-like 1366x912. Opt-in, because it rewrites files in
 * resources/: `PITCHCASE_SCREENSHOTS=1 npx playwright test --project=browser screenshots`.
 */
import path from 'node:path';
import { expect, test } from './fixtures';

const outDir = path.resolve(import.meta.dirname, '..', '..', 'resources', 'screenshots');

test.describe('README screenshots', () => {
  test.skip(!process.env.PITCHCASE_SCREENSHOTS, 'set PITCHCASE_SCREENSHOTS=1 to refresh resources/screenshots');
  test.use({ viewport: { width: 1366, height: 912 } });

  test('home and PDF viewer', async ({ home, viewer, page }) => {
    await home.open();
    const thumbnails = await home.loadedThumbnailCount();
    expect(thumbnails.loaded).toBe(thumbnails.total);
    await page.screenshot({ path: path.join(outDir, 'home.png') });

    await home.openItem('aquacore-500-brochure');
    await viewer.expectRenderedPage(1);
    await page.keyboard.press('ArrowRight');
    await viewer.expectRenderedPage(2);
    // Let the page-turn slide and the rail's smooth scroll settle before the picture is taken.
    await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
    await page.screenshot({ path: path.join(outDir, 'viewer.png') });
  });

  test('search results', async ({ home, search, page }) => {
    await home.open();
    await search.openWithSlash();
    await search.typeQuery('hydramax');
    await expect(search.pageHitsOf('competitive-comparison').first()).toBeVisible();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="search-result"] img')].every((img) => img.complete),
    );
    await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
    await page.screenshot({ path: path.join(outDir, 'search.png') });
  });
});
