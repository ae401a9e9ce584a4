import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { studioPassword as password } from '../../support/studio-server';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { SimulatedDevice } from '../fleet-device';
import { expect, test } from './fixtures';
import { StudioPage } from './studio-page';

/**
 * The README's Studio screenshots, at laptop size (1366x768). Opt-in, because it rewrites files
 * in resources/: `PITCHCASE_SCREENSHOTS=1 npx playwright test --project=studio screenshots`.
 * Writes studio-library.png, studio-review.png (a draft against the published release) and
 * studio-fleet.png (the content dashboard after three reps' devices uploaded a week of use) and
 * studio-fleet-pages.png (one item's page drop-off, opened from its row).
 */

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const outDir = path.join(repoRoot, 'resources', 'screenshots');

async function pdf(title: string, pages: string[]): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage([420, 297]);
    page.drawText(title, { x: 24, y: 250, size: 20, font });
    page.drawText(text, { x: 24, y: 215, size: 12, font });
  }
  const name = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.pdf`;
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) };
}

/** Scrolls the element to the top of the window, just under Studio's sticky top bar. */
async function belowTopBar(element: Locator): Promise<void> {
  await element.evaluate((el: HTMLElement) => {
    // The bar wraps to two lines at laptop width: its height, not a guess, plus a margin.
    const bar = document.querySelector('.studio-bar')?.getBoundingClientRect().height ?? 0;
    el.style.scrollMarginTop = `${Math.ceil(bar) + 16}px`;
    el.scrollIntoView({ block: 'start' });
  });
}

/** Waits for every image on the page to load and every transition to end. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      [...document.images].every((img) => img.complete) &&
      document.getAnimations().every((animation) => animation.playState !== 'running'),
  );
}

test.describe('README Studio screenshots', () => {
  test.skip(!process.env.PITCHCASE_SCREENSHOTS, 'set PITCHCASE_SCREENSHOTS=1 to refresh resources/screenshots');
  test.setTimeout(180_000);

  test('library, review of a draft against the published release, fleet content dashboard', async ({
    page,
    studio,
  }) => {
    const ui = new StudioPage(page);
    await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada Marsh', email: 'ada@example.com', password });
    await ui.addPerson({ name: 'Amy Cole', email: 'amy@example.com', role: 'approver', password });

    // A first release: four brochures, published by the approver (the two-person rule is on).
    const first = await Promise.all([
      pdf('AquaCore 500 brochure', ['Twin reverse osmosis trains', 'Specifications']),
      pdf('FlowSense overview', ['Sensors on every line', 'The pilot']),
      pdf('Service plan', ['Lamps inspected fortnightly']),
      pdf('Price list 2026', ['List prices, EMEA']),
    ]);
    await ui.upload(first);
    await expect(page.getByRole('list', { name: 'Uploads' }).getByText('done')).toHaveCount(first.length);
    // A new upload is titled by its file name until someone edits it.
    const titles = ['AquaCore 500 brochure', 'FlowSense overview', 'Service plan', 'Price list 2026'];
    for (const [i, file] of first.entries()) await ui.editTitle(file.name, titles[i]!);
    await ui.bulkAddTag(['AquaCore 500 brochure', 'FlowSense overview'], 'brewing');
    await ui.addCollection('brewing', 'Brewing and beverage');
    await ui.tab('Review & publish').click();
    await page.getByRole('button', { name: 'Submit draft for approval' }).click();
    await expect(ui.releaseRow('submitted')).toBeVisible();
    await ui.signOut();
    await ui.signIn('amy@example.com', password);
    await ui.tab('Review & publish').click();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('Published version 1.');
    await ui.signOut();

    // The next draft: one title changed, one brochure added.
    await ui.signIn('ada@example.com', password);
    const added = await pdf('HydraMax comparison', ['AquaCore 500 against HydraMax']);
    await ui.upload([added]);
    await ui.editTitle(added.name, 'AquaCore 500 vs HydraMax');
    await ui.editTitle('Service plan', 'Service plan (three years)');
    await ui.tab('Library').click();
    await expect
      .poll(() =>
        ui
          .row('AquaCore 500 brochure')
          .locator('img')
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBeGreaterThan(0);
    // The drop zone and the table, below the sticky top bar.
    await belowTopBar(page.locator('.studio-drop'));
    await settled(page);
    await page.screenshot({ path: path.join(outDir, 'studio-library.png') });

    await ui.tab('Review & publish').click();
    await expect(page.getByText('1 new, 1 changed, 0 removed')).toBeVisible();
    await settled(page);
    await page.screenshot({ path: path.join(outDir, 'studio-review.png') });

    // Three reps' devices enrol and upload a week of meetings; the content dashboard shows them.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Fleet' }).click();
    const views = page.getByRole('navigation', { name: 'Fleet views' });
    await views.getByRole('button', { name: 'Devices' }).click();
    const reps = [
      { name: 'Rita Reyes', email: 'rita@example.com', team: 'North', region: 'EMEA' },
      { name: 'Tom Berg', email: 'tom@example.com', team: 'North', region: 'EMEA' },
      { name: 'Sara Lind', email: 'sara@example.com', team: 'South', region: 'EMEA' },
    ];
    const items = ['aquacore-500-brochure', 'flowsense-overview', 'price-list-2026', 'service-plan'];
    const day = 24 * 3600 * 1000;
    for (const [r, rep] of reps.entries()) {
      const form = page.getByRole('form', { name: 'Enrol a device' });
      await form.getByLabel('Name').fill(rep.name);
      await form.getByLabel('E-mail').fill(rep.email);
      await form.getByLabel('Team').fill(rep.team);
      await form.getByLabel('Region').fill(rep.region);
      await form.getByRole('button', { name: 'Make a code' }).click();
      const code = page.getByTestId('enrolment-code');
      await expect(code).toHaveText(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
      const device = new SimulatedDevice(studio.url, '1.4.0', 1);
      expect((await device.enrol((await code.textContent())!.trim())).status).toBe(200);
      const records = [];
      for (let m = 0; m < 3 + r; m++) {
        const at = new Date(Date.now() - (m + 1) * day).toISOString();
        const meetingId = `${rep.email}-${m}`;
        // Each meeting shows a few items, the first ones most often, for a few pages each.
        for (const [i, itemId] of items.slice(0, 1 + ((m + r) % items.length)).entries()) {
          records.push(device.event(at, { itemId, meetingId }));
          // Fewer pages of the first item in some meetings than others: its drop-off.
          for (let p = 1; p <= Math.max(1, 4 - Math.min(i, 2) - ((m + r) % 3)); p++)
            records.push(device.event(at, { itemId, page: p, dwellMs: 8_000 + 4_000 * p + 1_000 * m, meetingId }));
        }
        records.push(device.meeting(at, { id: meetingId, account: `Account ${r}-${m}`, outcome: 'follow-up' }));
      }
      records.push(device.searchMiss(new Date().toISOString(), 'tidal turbine'));
      records.push(device.status(new Date().toISOString(), { releaseVersion: 1, ready: true }));
      const sent = await device.send(records);
      expect(sent.body.accepted).toBe(records.length);
    }
    await views.getByRole('button', { name: 'Content' }).click();
    const usage = page.getByRole('region', { name: 'Content use by item' });
    await expect(usage.getByRole('row').filter({ hasText: 'AquaCore 500 brochure' })).toBeVisible();
    await expect(usage.getByRole('img')).toBeVisible();
    // The chart and its table, rather than the filters above them.
    await belowTopBar(usage);
    await settled(page);
    await page.screenshot({ path: path.join(outDir, 'studio-fleet.png') });

    // The brochure's page drop-off, opened from its row.
    await usage.getByRole('button', { name: 'Pages of AquaCore 500 brochure' }).click();
    const drop = page.getByTestId('page-drop-off');
    await expect(drop.getByRole('row')).toHaveCount(5); // a header and four pages
    await expect(drop.getByRole('img')).toBeVisible();
    await belowTopBar(drop);
    await settled(page);
    await page.screenshot({ path: path.join(outDir, 'studio-fleet-pages.png') });
  });
});
