/**
 * Every main screen at the five screens reps use (Surface landscape and upright, laptop, booth,
 * phone): no sideways page scroll, every primary control inside the window and clickable, a
 * swipe reveals a shelf's last card, and the presenter can be finished by touch.
 */
import type { Locator, Page } from '@playwright/test';
import { callApi } from './api';
import { expect, KIOSK_STAFF_PIN, test } from './fixtures';

const viewports = [
  { name: 'surface', width: 1440, height: 960 },
  { name: 'surface upright', width: 960, height: 1440 },
  { name: 'laptop', width: 1280, height: 720 },
  { name: 'booth', width: 1920, height: 1080 },
  { name: 'phone', width: 390, height: 844 },
];

async function expectNoSidewaysScroll(page: Page, screen: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const root = document.documentElement;
    // Every element that scrolls the page or a whole screen (fixed overlays) must fit the window.
    const screens = [
      ...document.querySelectorAll<HTMLElement>('body, #root, [role="dialog"], .home-screen, .presenter'),
    ].filter((element) => !element.closest('[inert]'));
    return {
      page: root.scrollWidth - root.clientWidth,
      screens: screens
        .map((element) => ({
          name: element.dataset.testid ?? element.className,
          over: element.scrollWidth - element.clientWidth,
        }))
        .filter((entry) => entry.over > 0),
    };
  });
  expect(overflow.page, `${screen}: the page scrolls sideways`).toBeLessThanOrEqual(0);
  expect(overflow.screens, `${screen}: a screen is wider than the window`).toEqual([]);
}

/** The control is inside the window (after scrolling its own list to it) and takes a click. */
async function expectReachable(page: Page, control: Locator, what: string): Promise<void> {
  await expect(control, what).toBeVisible();
  await control.scrollIntoViewIfNeeded();
  const box = await control.boundingBox();
  const viewport = page.viewportSize();
  expect(box, what).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.x, `${what} starts left of the window`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} ends right of the window`).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box.y, `${what} starts above the window`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${what} ends below the window`).toBeLessThanOrEqual(viewport.height + 0.5);
  // Actionable: visible, enabled, stable and not covered by anything else.
  await control.click({ trial: true, timeout: 5_000 });
}

async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => (location.hash = target), hash);
}

for (const viewport of viewports) {
  test.describe(`at ${viewport.name} (${viewport.width}×${viewport.height})`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height }, hasTouch: true });

    test('every main screen fits, with its primary controls reachable', async ({ home, page }) => {
      await home.open();

      // Home
      await expectNoSidewaysScroll(page, 'home');
      for (const id of ['nav-pitches', 'nav-meetings', 'nav-report', 'sync-chip', 'search-input']) {
        await expectReachable(page, page.getByTestId(id), `home: ${id}`);
      }
      await expectReachable(page, home.collectionRows.first().getByTestId('see-all'), 'home: See all');
      await expectReachable(page, home.cards.first(), 'home: first card');
      // The search field does not lie over "Pitches": a tap on Pitches reaches Pitches.
      const pitches = page.getByTestId('nav-pitches');
      const searchBox = await page.getByTestId('search-input').boundingBox();
      const pitchesBox = await pitches.boundingBox();
      if (searchBox && pitchesBox) {
        const overlap =
          searchBox.x < pitchesBox.x + pitchesBox.width &&
          pitchesBox.x < searchBox.x + searchBox.width &&
          searchBox.y < pitchesBox.y + pitchesBox.height &&
          pitchesBox.y < searchBox.y + searchBox.height;
        expect(overlap, 'the search field overlaps Pitches').toBe(false);
      }

      // Search
      await page.getByTestId('search-input').click();
      await page.getByTestId('search-input').fill('aquacore');
      await expect(page.getByTestId('search-result').first()).toBeVisible();
      await expectNoSidewaysScroll(page, 'search');
      await expectReachable(page, page.getByTestId('search-result').first(), 'search: first result');
      // The results end inside the window even when the top bar has wrapped above them.
      const dropdown = page.locator('.search-dropdown');
      if (await dropdown.isVisible()) {
        const box = (await dropdown.boundingBox())!;
        expect(box.y + box.height, 'search: the results run below the window').toBeLessThanOrEqual(
          page.viewportSize()!.height + 0.5,
        );
      }
      // Escape clears the query, then closes search.
      await page.keyboard.press('Escape');
      if (await page.getByTestId('search-scrim').isVisible()) await page.keyboard.press('Escape');
      await expect(page.getByTestId('search-scrim')).toBeHidden();

      // See all
      await home.collectionRows.first().getByTestId('see-all').click();
      await expect(page.getByTestId('collection-screen')).toBeVisible();
      await expectNoSidewaysScroll(page, 'see all');
      for (const id of ['collection-back', 'collection-sort', 'filter-kind']) {
        await expectReachable(page, page.getByTestId(id), `see all: ${id}`);
      }
      await expectReachable(
        page,
        page.getByTestId('collection-screen').getByTestId('item-card').first(),
        'see all: first card',
      );

      // The item viewer
      await page.getByTestId('collection-screen').getByTestId('item-card').first().click();
      await expect(page.getByTestId('back-button')).toBeVisible();
      // The first card is a PDF: its viewer replaces the loading frame (and its Back) once the document is open.
      await expect(page.getByTestId('page-indicator')).toHaveText(/\d+ \/ \d+/);
      await expectNoSidewaysScroll(page, 'viewer');
      await expectReachable(page, page.getByTestId('back-button'), 'viewer: back');

      // Sync, pitches, the builder, meetings, report
      const screens: { hash: string; root: string; controls: string[] }[] = [
        { hash: '#/sync', root: 'sync-screen', controls: ['sync-back', 'check-now'] },
        { hash: '#/pitches', root: 'pitch-list', controls: ['pitches-back', 'new-pitch'] },
        {
          hash: '#/pitches/new',
          root: 'pitch-builder',
          controls: ['builder-back', 'pitch-name', 'save-pitch', 'present-pitch'],
        },
        { hash: '#/meetings', root: 'meeting-list', controls: ['meetings-back'] },
        { hash: '#/report', root: 'usage-report', controls: [] },
      ];
      for (const screen of screens) {
        await goTo(page, screen.hash);
        await expect(page.getByTestId(screen.root)).toBeVisible();
        await expectNoSidewaysScroll(page, screen.hash);
        for (const id of screen.controls) {
          const control = page.getByTestId(id);
          // Present waits for a first step and Check now for a channel: in the window is what counts.
          if (id === 'present-pitch' || id === 'check-now') await expect(control).toBeInViewport({ ratio: 1 });
          else await expectReachable(page, control, `${screen.hash}: ${id}`);
        }
        await expectReachable(
          page,
          page.getByTestId(screen.root).getByRole('button', { name: /^Back/ }).first(),
          `${screen.hash}: back`,
        );
      }
    });

    test("the viewer's Add to pitch and Share, a video step and the presenter view's running order fit", async ({
      home,
      page,
    }) => {
      await home.open();
      await goTo(page, '#/item/aquacore-500-brochure/page/2');
      await expect(page.getByTestId('pdf-viewer')).toBeVisible();
      await expectNoSidewaysScroll(page, 'viewer');
      for (const id of ['add-to-pitch', 'share-page'])
        await expectReachable(page, page.getByTestId(id), `viewer: ${id}`);

      await page.getByTestId('add-to-pitch').tap();
      await expect(page.getByTestId('add-to-pitch-new')).toBeVisible();
      await expectNoSidewaysScroll(page, 'add to pitch');
      for (const id of ['add-to-pitch-new', 'add-to-pitch-note', 'add-to-pitch-confirm', 'page-sheet-close'])
        await expectReachable(page, page.getByTestId(id), `add to pitch: ${id}`);
      await page.getByTestId('page-sheet-close').tap();

      await page.getByTestId('share-page').tap();
      await expect(page.getByTestId('share-sheet')).toBeVisible();
      await expectNoSidewaysScroll(page, 'share');
      for (const id of ['share-to', 'share-note', 'share-confirm', 'page-sheet-close'])
        await expectReachable(page, page.getByTestId(id), `share: ${id}`);
      await page.getByTestId('page-sheet-close').tap();
      await expect(page.getByTestId('share-sheet')).toHaveCount(0);

      const pitch = await callApi<{ id: string }>(page, 'savePitch', {
        name: 'Fit',
        steps: [
          { itemId: 'flowsense-tour', page: null, note: 'Let it run' },
          { itemId: 'aquacore-500-brochure', page: 2, note: '' },
          { itemId: 'flowsense-overview-deck', page: 3, note: '' },
        ],
      });
      await goTo(page, `#/present/${encodeURIComponent(pitch.id)}`);
      const presenter = page.getByTestId('presenter');
      await expect(presenter).toHaveAttribute('data-rendered', 'true');
      await expectNoSidewaysScroll(page, 'presenter: video');
      // The video is letterboxed across the whole stage at every shape of screen.
      const video = await presenter.getByTestId('slide-video').boundingBox();
      const size = page.viewportSize()!;
      expect(video && [Math.round(video.width), Math.round(video.height)]).toEqual([size.width, size.height]);

      await page.keyboard.press('v');
      await expect(page.getByTestId('presenter-view')).toBeVisible();
      await expectNoSidewaysScroll(page, 'presenter view');
      const order = page.getByTestId('presenter-order-slide');
      await expect(order).toHaveCount(3);
      await expectReachable(page, order.last(), 'presenter view: last step of the running order');
      await expect(order.last()).toContainText('3. FlowSense overview deck');
      await order.last().tap();
      await expect(presenter).toHaveAttribute('data-item-id', 'flowsense-overview-deck');
      await expect(order.last()).toHaveAttribute('aria-current', 'step');
      await expectReachable(page, page.getByTestId('presenter-finish'), 'presenter view: finish');
    });

    test('a swipe on a collection row reveals its last card, and the presenter is finished by touch', async ({
      home,
      page,
    }) => {
      await home.open();
      const row = home.collectionRows.filter({ has: page.locator('[aria-posinset]') }).first();
      const shelf = row.getByTestId('collection-shelf');
      const count = Number(await row.locator('.collection-row__count').first().textContent());
      const box = await shelf.boundingBox();
      expect(box).not.toBeNull();
      if (!box) return;
      // Swipe right-to-left with a finger until the shelf stops moving.
      const client = await page.context().newCDPSession(page);
      for (let swipe = 0; swipe < 12; swipe++) {
        const y = box.y + box.height / 2;
        await client.send('Input.dispatchTouchEvent', {
          type: 'touchStart',
          touchPoints: [{ x: box.x + box.width * 0.85, y }],
        });
        for (let step = 1; step <= 8; step++) {
          await client.send('Input.dispatchTouchEvent', {
            type: 'touchMove',
            touchPoints: [{ x: box.x + box.width * (0.85 - step * 0.09), y }],
          });
        }
        await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        const last = await row.locator(`[aria-posinset="${count}"]`).boundingBox();
        if (last && last.x >= 0 && last.x + last.width <= (page.viewportSize()?.width ?? 0)) break;
      }
      await expect(row.locator(`[aria-posinset="${count}"]`)).toBeInViewport({ ratio: 0.9 });

      const pitch = await callApi<{ id: string }>(page, 'savePitch', {
        name: 'Touch only',
        steps: [{ itemId: 'flowsense-overview-deck', page: 1, note: '' }],
      });
      await goTo(page, `#/present/${encodeURIComponent(pitch.id)}`);
      const presenter = page.getByTestId('presenter');
      await expect(presenter).toHaveAttribute('data-rendered', 'true');
      const viewportSize = page.viewportSize();
      if (!viewportSize) return;
      await page.touchscreen.tap(viewportSize.width / 2, viewportSize.height / 2);
      const finish = page.getByTestId('presenter-finish');
      await expect(finish).toBeInViewport({ ratio: 1 });
      await expectNoSidewaysScroll(page, 'presenter');
      await finish.tap();
      await expect(presenter).toBeHidden();
    });
  });
}

/** The booth's staff screen is used on the kiosk's own screen, a booth display or a Surface. */
for (const viewport of viewports.filter((v) => v.name === 'booth' || v.name === 'surface')) {
  test.describe(`kiosk staff at ${viewport.name} (${viewport.width}×${viewport.height})`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('the staff screen with leads and the export panel fits, with its controls reachable', async ({
      kiosk,
      page,
    }) => {
      await page.clock.install();
      await kiosk.open();
      await kiosk.leaveLead(
        {
          firstName: 'Maximiliane',
          lastName: 'Oberhollenzer-Wittgenstein',
          email: 'maximiliane.oberhollenzer-wittgenstein@marston-brewery-international.example',
          company: 'Marston Brewery International Holdings and Water Treatment Services',
        },
        ['aquacore-500-brochure', 'flowsense-tour'],
      );
      await kiosk.unlockStaff(KIOSK_STAFF_PIN);
      const lead = kiosk.staffLead('Maximiliane Oberhollenzer-Wittgenstein');
      await expect(lead).toBeVisible();
      await kiosk.staffExport.click();
      await expect(kiosk.exportPanel).toBeVisible();
      // No USB drive on a test machine: staff type a folder (a long one, as a network path is).
      await kiosk.exportTypedChoice.check();
      await kiosk.exportFolder.fill('/media/kiosk-staff/BOOTH-EXPORTS-2026/brau-beviale/hall-7/stand-412/leads');
      const staffScreenOver = () =>
        page.evaluate(() => {
          const screen = document.querySelector<HTMLElement>('[data-testid="staff-screen"]')!;
          return {
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            screen: screen.scrollWidth - screen.clientWidth,
          };
        });
      expect(await staffScreenOver()).toEqual({ page: 0, screen: 0 });
      await expectNoSidewaysScroll(page, 'staff screen');
      for (const [control, what] of [
        [kiosk.staffLock, 'Lock'],
        [kiosk.exportSave, 'Export CSV'],
        [lead.getByTestId('staff-rate-cold'), 'Cold'],
        [lead.getByTestId('staff-lead-note'), 'Staff note'],
        [page.getByTestId('staff-day').last(), 'All days'],
      ] as const)
        await expectReachable(page, control, `staff screen: ${what}`);
      await lead.getByTestId('staff-rate-hot').click();
      await expectReachable(page, lead.getByTestId('staff-lead-save'), 'staff screen: Save');
    });
  });
}
