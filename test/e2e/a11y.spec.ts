/**
 * axe-core on every main screen: no serious or critical violation (contrast, names, roles).
 * Moderate and minor findings are printed but do not fail the run.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { callApi } from './api';
import { expect, KIOSK_STAFF_PIN, test } from './fixtures';

/**
 * Known and not yet fixed: a glossary term in a search snippet is a button inside the result's
 * listbox option (nested-interactive). Fixing it means reshaping the result list's keyboard
 * model; until then that one finding on the search panel is reported here, not hidden.
 */
const knownOnSearch = new Set(['nested-interactive']);

async function expectAccessible(page: Page, screen: string, known: ReadonlySet<string> = new Set()): Promise<void> {
  const results = await new AxeBuilder({ page }).exclude('[inert]').analyze();
  for (const violation of results.violations.filter((v) => known.has(v.id))) {
    console.warn(
      `${screen}: known accessibility finding ${violation.id} (${violation.impact}) on ${violation.nodes.length} elements`,
    );
  }
  const blocking = results.violations.filter(
    (violation) => (violation.impact === 'serious' || violation.impact === 'critical') && !known.has(violation.id),
  );
  const summary = blocking.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.nodes
        .map((node) => node.target.join(' '))
        .slice(0, 5)
        .join(', ')}`,
  );
  expect(summary, `${screen}: serious or critical accessibility violations`).toEqual([]);
}

async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => (location.hash = target), hash);
}

test('the rep screens have no serious or critical accessibility violation', async ({ home, page }) => {
  test.setTimeout(120_000);
  await home.open();
  await expectAccessible(page, 'home');

  await page.getByTestId('search-input').click();
  await page.getByTestId('search-input').fill('aquacore');
  await expect(page.getByTestId('search-result').first()).toBeVisible();
  await expectAccessible(page, 'search', knownOnSearch);
  await page.keyboard.press('Escape');
  if (await page.getByTestId('search-scrim').isVisible()) await page.keyboard.press('Escape');

  await home.collectionRows.first().getByTestId('see-all').click();
  await expect(page.getByTestId('collection-screen')).toBeVisible();
  await expectAccessible(page, 'see all');

  await goTo(page, '#/item/aquacore-200-brochure');
  await expect(page.getByTestId('pdf-viewer')).toBeVisible();
  await expectAccessible(page, 'viewer');

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
});

test('the kiosk attract loop has no serious or critical accessibility violation', async ({ kiosk, page }) => {
  await kiosk.open();
  await expectAccessible(page, 'attract loop');
});

test('the kiosk home a visitor browses has no serious or critical accessibility violation', async ({ kiosk, page }) => {
  await kiosk.open();
  await kiosk.touchToStart();
  await expectAccessible(page, 'kiosk home');
});

test('the kiosk staff screen, its lead list and its export panel have no serious or critical accessibility violation', async ({
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
