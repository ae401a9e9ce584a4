/**
 * Nothing at the kiosk may take a visitor out of it: no new window or tab, no download, no file
 * chooser, no print, no alert/confirm/prompt. Every kiosk screen is clicked through, every item
 * opened, and every link and button of the demo microsite (in its sandboxed frame) pressed, while
 * the browser's events for each of those are watched.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { KioskPage } from './pages/kiosk-page';

interface Escapes {
  events: string[];
  printed(): Promise<number>;
}

async function watchForEscapes(page: Page): Promise<Escapes> {
  const events: string[] = [];
  page.on('popup', (popup) => events.push(`popup ${popup.url()}`));
  page.on('download', (download) => events.push(`download ${download.url()}`));
  page.on('filechooser', () => events.push('filechooser'));
  page.on('dialog', (dialog) => {
    events.push(`dialog ${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.context().on('page', (opened) => events.push(`page ${opened.url()}`));
  // Printing has no event of its own: count calls (in the app and in any frame).
  await page.addInitScript(() => {
    const counter = window as unknown as { __prints: number };
    counter.__prints = 0;
    window.print = () => {
      counter.__prints += 1;
    };
  });
  return {
    events,
    printed: () => page.evaluate(() => (window as unknown as { __prints: number }).__prints),
  };
}

async function openAndClose(kiosk: KioskPage, itemId: string): Promise<void> {
  await kiosk.card(itemId).click();
  const viewer = kiosk.page
    .locator(`[role="dialog"][data-item-id="${itemId}"], [data-testid="item-error"], [data-testid="pdf-viewer"]`)
    .first();
  await expect(viewer).toBeVisible();
  // No share links are rendered in the kiosk, in any viewer.
  await expect(kiosk.page.locator('a[href^="http"]')).toHaveCount(0);
  await kiosk.viewerBack.click();
  await expect(kiosk.home).not.toHaveAttribute('inert');
}

test.describe('kiosk lock-down in the page', () => {
  test('no popup, download, file chooser, print or dialog on any kiosk screen or in the microsite', async ({
    page,
    kiosk,
  }) => {
    test.setTimeout(120_000);
    const escapes = await watchForEscapes(page);
    await kiosk.open();
    await kiosk.attractCta.click();
    await expect(kiosk.home).toBeVisible();

    // Every kiosk item, in its viewer.
    const ids = await kiosk.cards.evaluateAll((cards) => cards.map((card) => card.getAttribute('data-item-id') ?? ''));
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids.filter((itemId) => itemId !== 'roi-calculator')) await openAndClose(kiosk, id);

    // The demo microsite, in its sandboxed frame: every button and control, then every link,
    // on each of its pages.
    await kiosk.card('roi-calculator').click();
    const frame = page.frameLocator('[data-testid="microsite-frame"]');
    const titles: Record<string, RegExp> = {
      'index.html': /What would an AquaCore unit save you\?/,
      'about.html': /^How we calculate$/,
    };
    const showPage = async (file: 'index.html' | 'about.html') => {
      if (!titles[file]!.test((await frame.locator('h1').textContent()) ?? '')) {
        await frame.locator(`nav a[href="${file}"]`).click();
      }
      await expect(frame.locator('h1')).toHaveText(titles[file]!);
    };
    await expect(frame.locator('h1')).toHaveText(titles['index.html']!);
    for (const file of ['index.html', 'about.html'] as const) {
      await showPage(file);
      const controls = frame.locator('button, [role="button"], [role="radio"], select, input');
      for (let i = 0; i < (await controls.count()); i += 1) {
        const control = controls.nth(i);
        if (await control.isVisible()) await control.click();
      }
      const links = frame.locator('a[href]');
      const count = await links.count();
      expect(count).toBeGreaterThan(0);
      for (let i = 0; i < count; i += 1) {
        await showPage(file);
        const link = links.nth(i);
        const target = ((await link.getAttribute('href')) ?? '').split('#')[0] as 'index.html' | 'about.html';
        await link.click();
        await expect(frame.locator('h1')).toHaveText(titles[target] ?? /./);
      }
    }
    await showPage('index.html');
    await frame.locator('#plan').selectOption('premier');
    await frame.locator('#litres').fill('9000');
    await expect(frame.locator('#model')).toHaveText('AquaCore 500');
    // The app stayed where it was.
    await expect(page.getByTestId('microsite-viewer')).toBeVisible();
    await kiosk.viewerBack.click();

    // Shortcuts that print, save or open files do nothing in the kiosk.
    for (const key of ['Control+p', 'Control+s', 'Control+o']) await page.keyboard.press(key);
    await page.locator('img').first().click({ button: 'right' });

    // The lead form, a blocked and a sent lead, the thank-you.
    await kiosk.openForm();
    await kiosk.interestChips.first().click();
    await kiosk.sendViewed.check();
    await kiosk.submit.click();
    await expect(kiosk.consentError).toBeVisible();
    await kiosk.backToBrowsing.click();
    await kiosk.openForm();
    await kiosk.fill({ firstName: 'Ana', lastName: 'Novak', email: 'ana@marston.example', company: 'Marston Brewery' });
    await kiosk.consent.check();
    await kiosk.submit.click();
    await expect(kiosk.thankYou).toBeVisible();
    await kiosk.thankYou.click();
    await kiosk.expectAttract();

    expect(escapes.events).toEqual([]);
    expect(await escapes.printed()).toBe(0);
    expect(page.context().pages()).toHaveLength(1);
  });
});

// A Ctrl/Shift/middle click on a link inside the sandboxed microsite frame would open a new tab
// in plain Chromium (the iframe sandbox stops scripted popups and target=_blank, not a user's
// "open in new tab"), and the app cannot see input inside a cross-origin frame: the kiosk's
// frame script cancels those clicks (main/core/content/site-glossary.ts). In Electron every new
// window, whatever its disposition, also goes through setWindowOpenHandler, denied in the kiosk.
test('a modified click on a microsite link opens nothing (browser host)', async ({ page, kiosk }) => {
  const escapes = await watchForEscapes(page);
  await kiosk.open();
  await kiosk.touchToStart();
  await kiosk.card('roi-calculator').click();
  const link = page.frameLocator('[data-testid="microsite-frame"]').locator('nav a[href="about.html"]');
  await link.click({ modifiers: ['Control'] });
  await link.click({ modifiers: ['Shift'] });
  await link.click({ button: 'middle' });
  // A plain click still works inside the frame: it navigates the frame, nothing else.
  await link.click();
  await expect(page.frameLocator('[data-testid="microsite-frame"]').locator('h1')).toHaveText('How we calculate');
  expect(escapes.events).toEqual([]);
  expect(page.context().pages()).toHaveLength(1);
});
