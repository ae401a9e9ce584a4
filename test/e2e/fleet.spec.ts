/**
 * The fleet from the rep's side, in the real renderer against the browser host and a Studio
 * that keeps the wire contract: the first-run "Connect to your company" screen enrols the
 * device by code, Studio's channel brings its release, a search that found nothing reaches
 * Studio with the rep's identity, "What Pitchcase records" shows it, and a device Studio
 * disconnects says so.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fakeStudio, type FakeStudio } from '../support/fake-studio';
import { publishNextDemoRelease, type PublishedRelease } from './channel-release';
import { expect, test } from './fixtures';
import { HomePage } from './pages/home-page';
import { SearchPage } from './pages/search-page';

test.describe('connect to your company', () => {
  test.describe.configure({ timeout: 120_000 });
  let workDir: string;
  let release: PublishedRelease;
  let studio: FakeStudio;

  test.beforeEach(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-fleet-e2e-'));
    release = await publishNextDemoRelease(workDir);
    studio = await fakeStudio({ channel: { url: release.url, publicKeys: [release.key.publicKeyPem] } });
  });

  test.afterEach(async () => {
    await studio.close();
    await rm(workDir, { recursive: true, force: true });
  });

  test('first run: a code enrols the device; its content, identity and records follow; a revoked device says so', async ({
    freshApp,
    page,
  }) => {
    const code = studio.code({ rep: { name: 'Ana Ortiz', email: 'ana@acme.example' }, team: 'North' });
    await page.goto(freshApp.url);
    const dialog = page.getByRole('dialog', { name: 'Connect to your company' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Studio address').fill(studio.url);
    await dialog.getByLabel('Enrolment code').fill(code);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('fleet-connected')).toContainText('Connected as Ana Ortiz · North');
    await page.getByTestId('fleet-continue').click();
    await expect(dialog).toBeHidden();

    // Studio's channel: its release arrives (the browser host syncs in the background).
    // Home draws its shelves as they come near: look through all of it until the new item is there.
    const home = new HomePage(page);
    await expect.poll(async () => (await home.allItemIds()).includes(release.added.id), { timeout: 60_000 }).toBe(true);

    // A search that found nothing, settled: it reaches Studio, stamped with the rep.
    const search = new SearchPage(page);
    await search.openWithSlash();
    await search.typeQuery('qqxzv');
    await search.expectRecorded('qqxzv');
    await page.keyboard.press('Escape');

    await page.goto(`${freshApp.url}#/sync`);
    const card = page.getByTestId('fleet-card');
    await expect(card.getByTestId('fleet-identity')).toHaveText('Ana Ortiz · North');
    await card.getByTestId('fleet-send-now').click();
    await expect(card.getByTestId('fleet-pending')).toHaveText('0');
    const miss = [...studio.records.values()].find((r) => r.kind === 'search-miss');
    expect(miss?.payload).toEqual({ query: 'qqxzv', surface: 'rep' });
    expect(miss?.source).toMatchObject({ rep: 'ana@acme.example', team: 'North' });

    // What the rep can see of it.
    await card.getByTestId('fleet-privacy-link').click();
    const privacy = page.getByTestId('privacy-screen');
    await expect(privacy.getByTestId('privacy-recent')).toContainText('“qqxzv” found nothing');
    await expect(privacy.getByTestId('privacy-recent')).toContainText('Studio has it');
    await privacy.getByTestId('privacy-back').click();

    // The company disconnects the device: it says so at the next upload and keeps its records.
    studio.revoke([...studio.devices.keys()][0]!);
    await page.goto(`${freshApp.url}#/sync`);
    await page.getByTestId('fleet-send-now').click();
    await expect(page.getByTestId('fleet-revoked')).toContainText('This device was disconnected by your company');
    await page.reload();
    await expect(page.getByRole('dialog', { name: 'Connect to your company' })).toBeHidden();
  });
});
