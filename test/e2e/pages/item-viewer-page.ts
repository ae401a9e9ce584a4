import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';

/** The full-screen viewers (PDF, image, video, microsite) and what they share. */
export class ItemViewerPage {
  readonly backButton: Locator;
  readonly pdf: Locator;
  readonly pageIndicator: Locator;
  readonly pageThumbs: Locator;
  readonly currentPageCanvas: Locator;
  readonly pdfStage: Locator;
  readonly video: Locator;
  readonly micrositeFrameElement: Locator;
  readonly micrositeFrame: FrameLocator;

  constructor(readonly page: Page) {
    this.backButton = page.getByTestId('back-button');
    this.pdf = page.getByTestId('pdf-viewer');
    this.pageIndicator = page.getByTestId('page-indicator');
    this.pageThumbs = page.getByTestId('page-thumb');
    this.currentPageCanvas = page.locator('[data-testid="pdf-page-canvas"][data-current="true"]');
    this.pdfStage = this.pdf.locator('.pdf-stage');
    this.video = page.getByTestId('video-player');
    this.micrositeFrameElement = page.getByTestId('microsite-frame');
    this.micrositeFrame = page.frameLocator('[data-testid="microsite-frame"]');
  }

  /** Waits for the page to be the current one and its canvas to have finished drawing. */
  async expectRenderedPage(page: number): Promise<void> {
    await expect(this.pdf).toHaveAttribute('data-page', String(page));
    await expect(this.pdf).toHaveAttribute('data-rendered-page', String(page));
  }

  /** A horizontal pointer drag across the middle of the page. */
  async swipe(direction: 'next' | 'previous'): Promise<void> {
    const box = await this.pdfStage.boundingBox();
    if (!box) throw new Error('The PDF stage is not on screen');
    const y = box.y + box.height / 2;
    const [from, to] = direction === 'next' ? [0.65, 0.25] : [0.35, 0.75];
    await this.page.mouse.move(box.x + box.width * from, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to, y + 6, { steps: 8 });
    await this.page.mouse.up();
  }

  async tapZone(zone: 'previous' | 'next'): Promise<void> {
    const box = await this.pdfStage.boundingBox();
    if (!box) throw new Error('The PDF stage is not on screen');
    // Between the page edge arrows and the middle third.
    const x = box.x + box.width * (zone === 'next' ? 0.8 : 0.2);
    await this.page.mouse.click(x, box.y + box.height * 0.3);
  }

  async zoomWithCtrlWheel(deltaY: number): Promise<void> {
    const box = await this.pdfStage.boundingBox();
    if (!box) throw new Error('The PDF stage is not on screen');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.keyboard.down('Control');
    await this.page.mouse.wheel(0, deltaY);
    await this.page.keyboard.up('Control');
  }

  async doubleTapStage(): Promise<void> {
    const box = await this.pdfStage.boundingBox();
    if (!box) throw new Error('The PDF stage is not on screen');
    await this.page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  }

  /**
   * A two-finger pinch around the stage centre, sent as real touch input through the DevTools
   * protocol (the page must be in a context with `hasTouch`). Fingers start `from` px apart
   * and end `to` px apart.
   */
  async pinch(from: number, to: number): Promise<void> {
    const box = await this.pdfStage.boundingBox();
    if (!box) throw new Error('The PDF stage is not on screen');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const cdp = await this.page.context().newCDPSession(this.page);
    const fingers = (gap: number) => [
      { x: cx - gap / 2, y: cy, id: 0 },
      { x: cx + gap / 2, y: cy, id: 1 },
    ];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(from) });
    const steps = 8;
    for (let step = 1; step <= steps; step += 1) {
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: fingers(from + ((to - from) * step) / steps),
      });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /** A one-finger swipe, as touch input. */
  async touchSwipe(direction: 'next' | 'previous'): Promise<void> {
    const box = await this.pdfStage.boundingBox();
    if (!box) throw new Error('The PDF stage is not on screen');
    const y = box.y + box.height / 2;
    const [from, to] = direction === 'next' ? [0.7, 0.3] : [0.3, 0.7];
    const cdp = await this.page.context().newCDPSession(this.page);
    const steps = 6;
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchStart',
      touchPoints: [{ x: box.x + box.width * from, y, id: 0 }],
    });
    for (let step = 1; step <= steps; step += 1) {
      const x = box.x + box.width * (from + ((to - from) * step) / steps);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y, id: 0 }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /** How many search terms are marked on the current page, once they are drawn. */
  async highlightCount(): Promise<number> {
    await expect(this.pdf).toHaveAttribute('data-highlight-count', /^\d+$/);
    return Number(await this.pdf.getAttribute('data-highlight-count'));
  }

  async zoom(): Promise<number> {
    return Number(await this.pdf.getAttribute('data-zoom'));
  }

  /** Images inside the microsite that failed to load (its own files, fetched from a sandboxed, opaque origin). */
  async brokenMicrositeImages(siteUrl: string): Promise<string[]> {
    await expect(this.micrositeFrame.locator('body')).toBeVisible();
    const frame = this.page.frames().find((candidate) => candidate.url().startsWith(siteUrl));
    if (!frame) throw new Error(`No frame from ${siteUrl}`);
    await frame.waitForLoadState('load');
    return frame.evaluate(() =>
      [...document.images]
        .filter((img) => !img.complete || img.naturalWidth === 0)
        .map((img) => img.currentSrc || img.src),
    );
  }

  /** Resolves once the video has decoded its current frame (readyState >= HAVE_CURRENT_DATA). */
  async waitForPlayableVideo(): Promise<void> {
    await expect(this.video).toBeVisible();
    await this.video.evaluate(
      (video: HTMLVideoElement) =>
        new Promise<void>((resolve, reject) => {
          if (video.readyState >= 2) return resolve();
          video.addEventListener('loadeddata', () => resolve(), { once: true });
          video.addEventListener(
            'error',
            () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`)),
            { once: true },
          );
        }),
    );
  }

  /** Starts playback (muted, as autoplay rules require) and resolves when time advances. */
  async playVideoBriefly(): Promise<number> {
    return this.video.evaluate(async (video: HTMLVideoElement) => {
      video.muted = true;
      await video.play();
      await new Promise<void>((resolve) => {
        const check = () => (video.currentTime > 0 ? resolve() : requestAnimationFrame(check));
        check();
      });
      video.pause();
      return video.currentTime;
    });
  }
}
