/**
 * axe-core on every main screen: no critical, serious or moderate violation (contrast, names,
 * roles, content outside landmarks). Minor findings do not fail the run.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { callApi } from './api';
import { expect, KIOSK_STAFF_PIN, test } from './fixtures';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  // Screens and their buttons fade in: axe measures colours as drawn, so a button caught half
  // faded reads as low contrast (the wrap-up's Log meeting did, now and then, in CI). Wait for
  // the running transitions and finite animations to end; endless ones (a spinner) are left.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page }).exclude('[inert]').analyze();
  const blocking = results.violations.filter((violation) => violation.impact !== 'minor');
  const summary = blocking.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.nodes
        .map((node) => node.target.join(' '))
        .slice(0, 5)
        .join(', ')}`,
  );
  expect(summary, `${screen}: critical, serious or moderate accessibility violations`).toEqual([]);
}

async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => (location.hash = target), hash);
}

test('the rep screens have no accessibility violation worse than minor', async ({ home, page }) => {
  test.setTimeout(120_000);
  await home.open();
  await expectAccessible(page, 'home');

  await page.getByTestId('search-input').click();
  await page.getByTestId('search-input').fill('aquacore');
  await expect(page.getByTestId('search-result').first()).toBeVisible();
  await expectAccessible(page, 'search');
  await page.keyboard.press('Escape');
  if (await page.getByTestId('search-scrim').isVisible()) await page.keyboard.press('Escape');

  await home.collectionRows.first().getByTestId('see-all').click();
  await expect(page.getByTestId('collection-screen')).toBeVisible();
  await expectAccessible(page, 'see all');

  await goTo(page, '#/item/aquacore-200-brochure');
  await expect(page.getByTestId('pdf-viewer')).toBeVisible();
  await expectAccessible(page, 'viewer');
  await page.getByRole('button', { name: 'Add to pitch' }).click();
  await expect(page.getByTestId('add-to-pitch-choice').or(page.getByTestId('add-to-pitch-new')).first()).toBeVisible();
  await expectAccessible(page, 'viewer: add to a pitch');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByTestId('share-sheet')).toBeVisible();
  await page.getByTestId('share-confirm').click();
  await expect(page.getByTestId('share-to-error')).toBeVisible();
  await expectAccessible(page, 'viewer: share by e-mail');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-sheet')).toHaveCount(0);

  for (const [hash, root] of [
    ['#/sync', 'sync-screen'],
    ['#/pitches', 'pitch-list'],
    ['#/pitches/new', 'pitch-builder'],
    ['#/meetings', 'meeting-list'],
    ['#/report', 'usage-report'],
  ] as const) {
    await goTo(page, hash);
    await expect(page.getByTestId(root)).toBeVisible();
    await expectAccessible(page, hash);
  }

  const pitch = await callApi<{ id: string }>(page, 'savePitch', {
    name: 'Axe',
    steps: [{ itemId: 'flowsense-overview-deck', page: 1, note: 'Open with the dashboard' }],
  });
  await goTo(page, `#/present/${encodeURIComponent(pitch.id)}`);
  await expect(page.getByTestId('presenter')).toHaveAttribute('data-rendered', 'true');
  await expectAccessible(page, 'presenter');
  await page.keyboard.press('v');
  await expect(page.getByTestId('presenter-view')).toBeVisible();
  await expectAccessible(page, 'presenter view');
  await page.keyboard.press('Escape');

  const video = await callApi<{ id: string }>(page, 'savePitch', {
    name: 'Axe video',
    steps: [{ itemId: 'flowsense-tour', page: null, note: '' }],
  });
  await goTo(page, `#/present/${encodeURIComponent(video.id)}`);
  await expect(page.getByTestId('presenter')).toHaveAttribute('data-rendered', 'true');
  await expectAccessible(page, 'presenter: video');
  await page.getByTestId('presenter').press('Escape');
  await expect(page.getByTestId('wrap-up')).toBeVisible();
  await expectAccessible(page, 'wrap-up');
});

test('the kiosk attract loop has no accessibility violation worse than minor', async ({ kiosk, page }) => {
  await kiosk.open();
  await expectAccessible(page, 'attract loop');
});

test('the kiosk home a visitor browses has no accessibility violation worse than minor', async ({ kiosk, page }) => {
  await kiosk.open();
  await kiosk.touchToStart();
  await expectAccessible(page, 'kiosk home');
});

test.describe('keyboard and screen readers', () => {
  test('a "Skip to content" link comes first and takes the focus into the library', async ({ home, page }) => {
    await home.open();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#library')).toBeFocused();
  });

  test("a move to another screen puts the focus on that screen's heading", async ({ home, page }) => {
    await home.open();
    await page.getByTestId('nav-pitches').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pitches' })).toBeFocused();
    await goTo(page, '#/pitches/new');
    await expect(page.getByTestId('pitch-builder')).toBeVisible();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName ?? 'BODY')).toMatch(/^(H1|INPUT)$/);
    await goTo(page, '#/meetings');
    await expect(page.getByTestId('meeting-list')).toBeVisible();
    await expect(page.locator('h1:focus')).toHaveCount(1);
  });

  test('Tab from the search field reaches Pitches in a few steps, even with results and filters open', async ({
    home,
    search,
    page,
  }) => {
    await home.open();
    await search.openWithSlash();
    await search.typeQuery('aquacore');
    await expect(page.getByTestId('filter-chip').first()).toBeVisible();
    const panel = page.getByTestId('search-panel');
    // The clear button, the suggestions (one stop), the filters (one stop), the glossary terms
    // in the snippets, "Show more results" when there are more than the first screenful, then
    // Pitches.
    const expected =
      1 +
      ((await panel.getByTestId('search-suggestion').count()) > 0 ? 1 : 0) +
      1 +
      (await panel.getByTestId('glossary-term').count()) +
      (await panel.getByTestId('search-more').count()) +
      1;
    let presses = 0;
    while (presses < 30) {
      await page.keyboard.press('Tab');
      presses += 1;
      if (await page.getByTestId('nav-pitches').evaluate((el) => el === document.activeElement)) break;
    }
    expect(presses, 'Tab presses from the search field to Pitches').toBe(expected);
    expect(presses).toBeLessThanOrEqual(6);

    // Inside the filters, the arrow keys move from chip to chip.
    const chips = panel.getByTestId('filter-chip');
    await chips.first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(chips.nth(1)).toBeFocused();
    await page.keyboard.press('End');
    await expect(chips.last()).toBeFocused();
    await page.keyboard.press('Home');
    await expect(chips.first()).toBeFocused();
    await page.keyboard.press('Space');
    await expect(chips.first()).toHaveAttribute('aria-pressed', 'true');
  });

  test('in the pitch builder, Move down keeps the focus on the moved step, and the drag handle moves it by keyboard', async ({
    home,
    page,
  }) => {
    await home.open();
    const pitch = await callApi<{ id: string }>(page, 'savePitch', {
      name: 'Keyboard',
      steps: [
        { itemId: 'aquacore-200-brochure', page: 1, note: '' },
        { itemId: 'flowsense-overview-deck', page: 2, note: '' },
        { itemId: 'flowsense-tour', page: null, note: '' },
      ],
    });
    await goTo(page, `#/pitches/${encodeURIComponent(pitch.id)}`);
    const rows = page.getByTestId('step-row');
    await expect(rows).toHaveCount(3);
    const order = () => rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-item-id')));

    await rows.nth(0).getByTestId('step-down').focus();
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual(['flowsense-overview-deck', 'aquacore-200-brochure', 'flowsense-tour']);
    await expect(rows.nth(1).getByTestId('step-down')).toBeFocused();
    await expect(page.getByTestId('step-announcement')).toHaveText(/is now step 2 of 3/);

    // Space lifts, arrows move, Space drops; each is announced.
    await rows.nth(2).getByTestId('step-drag').focus();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('step-announcement')).toHaveText(/picked up at step 3/);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(order).toEqual(['flowsense-tour', 'flowsense-overview-deck', 'aquacore-200-brochure']);
    await expect(rows.nth(0).getByTestId('step-drag')).toBeFocused();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('step-announcement')).toHaveText(/dropped at step 1 of 3/);
    await expect(rows.nth(0).getByTestId('step-drag')).toHaveAttribute('aria-pressed', 'false');
  });
});

test('the kiosk staff screen, its lead list and its export panel have no accessibility violation worse than minor', async ({
  kiosk,
  page,
}) => {
  await page.clock.install();
  await kiosk.open();
  await kiosk.leaveLead(
    { firstName: 'Ana', lastName: 'Novak', email: 'ana.novak@marston.example', company: 'Marston Brewery' },
    ['aquacore-500-brochure'],
  );
  await kiosk.unlockStaff(KIOSK_STAFF_PIN);
  await expect(kiosk.staffLead('Ana Novak')).toBeVisible();
  await kiosk.staffLead('Ana Novak').getByTestId('staff-rate-warm').click();
  await expectAccessible(page, 'staff screen with leads');
  await kiosk.staffExport.click();
  await expect(kiosk.exportPanel).toBeVisible();
  await expect(kiosk.exportSave).toBeVisible();
  await expectAccessible(page, 'staff export panel');
});
