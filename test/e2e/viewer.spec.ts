import { expect, test } from './fixtures';

const brochure = 'aquacore-500-brochure';

test.describe('PDF viewer', () => {
  test('opens a brochure, swipes to page 3, turns pages by key, and goes back home', async ({ home, viewer, page }) => {
    await home.open();
    await home.openItem(brochure);

    await viewer.expectRenderedPage(1);
    await expect(viewer.pageIndicator).toContainText('1 / 6');
    await expect(viewer.pageThumbs).toHaveCount(6);

    await viewer.swipe('next');
    await viewer.expectRenderedPage(2);
    await viewer.swipe('next');
    await viewer.expectRenderedPage(3);
    await expect(viewer.pageIndicator).toContainText('3 /');
    await expect(page).toHaveURL(/#\/item\/aquacore-500-brochure\/page\/3$/);
    const canvasWidth = await viewer.currentPageCanvas.evaluate((canvas: HTMLCanvasElement) => canvas.width);
    expect(canvasWidth).toBeGreaterThan(100);

    await viewer.swipe('previous');
    await viewer.expectRenderedPage(2);

    await page.keyboard.press('ArrowRight');
    await viewer.expectRenderedPage(3);
    await page.keyboard.press('ArrowRight');
    await viewer.expectRenderedPage(4);
    await page.keyboard.press('ArrowLeft');
    await viewer.expectRenderedPage(3);
    await page.keyboard.press('End');
    await viewer.expectRenderedPage(6);
    await page.keyboard.press('Home');
    await viewer.expectRenderedPage(1);

    await viewer.backButton.click();
    await home.expectVisible();
    await expect(viewer.pdf).toHaveCount(0);
    await expect(home.card(brochure)).toBeFocused();
  });

  test('tap zones and thumbnails turn pages; the browser Back button leaves the document', async ({
    home,
    viewer,
    page,
  }) => {
    await home.open();
    await home.openItem(brochure);
    await viewer.expectRenderedPage(1);

    await viewer.tapZone('next');
    await viewer.expectRenderedPage(2);
    await viewer.tapZone('previous');
    await viewer.expectRenderedPage(1);
    await viewer.pageThumbs.nth(4).click();
    await viewer.expectRenderedPage(5);

    await page.goBack();
    await home.expectVisible();
  });

  test('ctrl+wheel zooms in, a double tap fits the page again, and a zoomed page does not turn', async ({
    home,
    viewer,
    page,
  }) => {
    await home.open();
    await home.openItem(brochure);
    await viewer.expectRenderedPage(1);

    await viewer.zoomWithCtrlWheel(-300);
    await expect.poll(() => viewer.zoom()).toBeGreaterThan(1);

    await viewer.swipe('next');
    await expect(viewer.pdf).toHaveAttribute('data-page', '1');

    await viewer.doubleTapStage();
    await expect.poll(() => viewer.zoom()).toBe(1);

    await page.keyboard.press('+');
    await expect.poll(() => viewer.zoom()).toBeGreaterThan(1);
    await page.keyboard.press('0');
    await expect.poll(() => viewer.zoom()).toBe(1);
  });

  test('one document after another: back out of a brochure and straight into a deck', async ({ home, viewer }) => {
    await home.open();
    await home.openItem(brochure);
    await viewer.expectRenderedPage(1);
    await viewer.backButton.click();
    await home.openItem('flowsense-overview-deck');
    await viewer.expectRenderedPage(1);
    await expect(viewer.pageIndicator).toContainText('1 / 10');
    await viewer.backButton.click();
    await home.openItem(brochure);
    await viewer.expectRenderedPage(1);
  });

  test('opens on the page named in the address', async ({ viewer, page, app }) => {
    await page.goto(`${app.url}#/item/${brochure}/page/4`);
    await viewer.expectRenderedPage(4);
    await expect(viewer.pageIndicator).toContainText('4 / 6');
  });
});

test.describe('PDF viewer on a touch screen', () => {
  test.use({ hasTouch: true });

  test('a finger swipe turns the page and a pinch zooms in', async ({ home, viewer }) => {
    await home.open();
    await home.openItem(brochure);
    await viewer.expectRenderedPage(1);

    await viewer.touchSwipe('next');
    await viewer.expectRenderedPage(2);

    await viewer.pinch(120, 360);
    await expect.poll(() => viewer.zoom()).toBeGreaterThan(2);
    await viewer.pinch(360, 90);
    await expect.poll(() => viewer.zoom()).toBe(1);
    await expect(viewer.pdf).toHaveAttribute('data-page', '2');
  });
});

test.describe('media', () => {
  test('the tour video loads and plays', async ({ home, viewer }) => {
    await home.open();
    await home.openItem('flowsense-tour');
    await viewer.waitForPlayableVideo();
    expect(await viewer.video.evaluate((video: HTMLVideoElement) => video.readyState)).toBeGreaterThanOrEqual(2);
    expect(await viewer.playVideoBriefly()).toBeGreaterThan(0);

    await viewer.backButton.click();
    await home.expectVisible();
  });

  test('the microsite runs in a sandboxed frame on its own origin', async ({ home, viewer, app }) => {
    await home.open();
    await home.openItem('roi-calculator');

    await expect(viewer.micrositeFrameElement).toHaveAttribute('sandbox', 'allow-scripts');
    const sandbox = (await viewer.micrositeFrameElement.getAttribute('sandbox')) ?? '';
    expect(sandbox.split(/\s+/)).not.toContain('allow-same-origin');
    await expect(viewer.micrositeFrameElement).toHaveAttribute('referrerpolicy', 'no-referrer');
    expect(await viewer.micrositeFrameElement.getAttribute('src')).toMatch(
      new RegExp(`^${app.siteUrl.replace(/[.]/g, '\\.')}/`),
    );

    await expect(viewer.micrositeFrame.locator('h1').first()).toBeVisible();
    await expect(viewer.micrositeFrame.locator('h1').first()).not.toBeEmpty();
  });

  test("the microsite's own files load inside the sandbox", async ({ home, viewer, app }) => {
    await home.open();
    await home.openItem('roi-calculator');
    expect(await viewer.brokenMicrositeImages(app.siteUrl)).toEqual([]);
  });

  test('an image opens fitted to the screen', async ({ home, page }) => {
    await home.open();
    await home.openItem('aquacore-500-photo');
    const image = page.getByTestId('image-content');
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  });
});
