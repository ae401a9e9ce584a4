/**
 * Content sync from the rep's side: the top bar's chip, the sync screen, channel settings and
 * a real release published with the publisher CLI into a folder (a `file://` channel).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { keygen, publishNextDemoRelease, type PublishedRelease } from './channel-release';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { SyncPage } from './pages/sync-page';

// The embedded demo's version depends on how often this checkout rebuilt it: read it.
const demoRelease = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', '..', 'build', 'demo-release', 'channel.json'), 'utf8'),
) as { version: number };
const demoVersion = `Version ${demoRelease.version}`;
const nextVersion = String(demoRelease.version + 1);

test.describe('content sync', () => {
  // Each syncing test publishes a real release first (a few seconds of PDF work).
  test.describe.configure({ timeout: 120_000 });
  let workDir: string;
  // Published on first use: only the tests that sync pay for a release.
  let published: PublishedRelease | null = null;
  const publish = async () => (published ??= await publishNextDemoRelease(workDir));

  test.beforeEach(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-channel-'));
    published = null;
  });

  test.afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  test('a fresh profile runs on the demo release, with no channel set up', async ({ home, page }) => {
    const sync = new SyncPage(page);
    await home.open();
    await expect(sync.chip).toHaveText('Not configured');
    await expect(sync.chip).toHaveAttribute('data-state', 'idle');
    await expect(sync.newSinceSeen).toHaveCount(0);

    await sync.openFromChip();
    await expect(sync.releaseChannel).toHaveText('brightwater-demo');
    await expect(sync.releaseVersion).toHaveText(demoVersion);
    await expect(sync.releaseItems).toHaveText(/^\d+$/);
    expect(Number(await sync.releaseItems.textContent())).toBeGreaterThanOrEqual(12);
    await expect(sync.lastSuccess).toHaveText('Never');
    await expect(sync.storageUsed).toHaveText(/^\d+(\.\d)? MB$/);
    await expect(sync.stateLabel).toHaveText('Not configured');
    await expect(sync.checkNow).toBeDisabled();
    await expect(sync.channelUrl).toHaveValue('');
    await expect(sync.autoApply).toBeChecked();
    // The browser host cannot update the app: no row, no banner.
    await expect(sync.appUpdateRow).toHaveCount(0);
    await expect(sync.updateBanner).toHaveCount(0);

    await sync.close();
    await home.expectVisible();
  });

  test('a configured channel shows the plan, applies it on request, and badges what is new', async ({ home, page }) => {
    const release = await publish();
    const sync = new SyncPage(page);
    await home.open();
    const before = await home.distinctItemIds();
    expect(before).toContain(release.removed.id);
    expect(before).not.toContain(release.added.id);

    await sync.openFromChip();
    await sync.configure({ url: release.url, publicKey: release.key.publicKeyPem, autoApply: false });
    await sync.checkNowAndWait();

    await expect(sync.plan).toBeVisible();
    await expect(sync.plan).toHaveAttribute('data-to-version', nextVersion);
    await expect(sync.planSummary).toContainText('1 new, 1 updated, 1 removed');
    await expect(sync.planDownload).toHaveText(/^\d+(\.\d)? (B|KB|MB) to download \(\d+ files?\)$/);
    expect(await sync.planItemIds('added')).toEqual([release.added.id]);
    expect(await sync.planItemIds('updated')).toEqual([release.updated.id]);
    expect(await sync.planItemIds('removed')).toEqual([release.removed.id]);
    await expect(sync.chip).toHaveText('Update ready: 1 new, 1 updated, 1 removed');
    // Nothing is applied until the rep says so.
    await expect(sync.releaseVersion).toHaveText(demoVersion);

    await sync.applyButton.click();
    await expect(sync.state).toHaveAttribute('data-state', 'idle');
    await expect(sync.stateLabel).toHaveText('Up to date');
    await expect(sync.plan).toHaveCount(0);
    await expect(sync.releaseVersion).toHaveText(`Version ${nextVersion}`);
    await expect(sync.lastSuccess).toHaveText('Just now');
    await expect(sync.chip).toHaveText('Up to date');

    await sync.close();
    // Shelves and cards are drawn as they come near, so each card is looked for by scrolling to it.
    await expect((await home.reveal(release.added.id)).locator('.badge--new')).toHaveText('New');
    const updated = await home.reveal(release.updated.id);
    await expect(updated.locator('.badge--new')).toHaveText('New');
    await expect(updated).toContainText(release.updated.title);
    expect(await home.allItemIds()).not.toContain(release.removed.id);
    await expect(home.card('aquacore-500-brochure').locator('.badge--new')).toHaveCount(0);
    await expect(sync.newSinceSeen).toHaveText('2 new');

    await sync.markSeen.click();
    await expect(sync.newSinceSeen).toHaveCount(0);
    await expect(home.cards.locator('.badge--new')).toHaveCount(0);
    await expect(sync.markSeen).toHaveCount(0);
  });

  test('the network coming back triggers one check, even when it flaps', async ({ home, page }) => {
    const release = await publish();
    const sync = new SyncPage(page);
    await home.open();
    await sync.openFromChip();
    await sync.configure({ url: release.url, publicKey: release.key.publicKeyPem, autoApply: false });
    await sync.close();
    await expect(sync.chip).toHaveText('Not checked yet');

    const checks: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/checkForContent') checks.push(request.url());
    });
    const checked = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/checkForContent');
    for (let flap = 0; flap < 3; flap += 1) {
      await page.context().setOffline(true);
      await page.context().setOffline(false);
    }
    await checked;
    await expect(sync.chip).toHaveText('Update ready: 1 new, 1 updated, 1 removed');
    expect(checks).toHaveLength(1);
  });

  test('a release signed by another key is refused with its reason, and the library is unchanged', async ({
    home,
    page,
  }) => {
    const release = await publish();
    const sync = new SyncPage(page);
    await home.open();
    const before = await home.distinctItemIds();
    const stranger = await keygen(path.join(workDir, 'stranger'));

    await sync.openFromChip();
    await sync.configure({ url: release.url, publicKey: stranger.publicKeyPem, autoApply: true });
    await sync.checkNowAndWait();

    await expect(sync.state).toHaveAttribute('data-state', 'error');
    await expect(sync.stateLabel).toHaveText('Sync failed');
    await expect(sync.errorMessage).toContainText('signature');
    await expect(sync.plan).toHaveCount(0);
    await expect(sync.releaseVersion).toHaveText(demoVersion);
    await expect(sync.chip).toHaveText('Sync failed');

    await sync.close();
    expect(await home.distinctItemIds()).toEqual(before);
    await expect(home.card(release.added.id)).toHaveCount(0);
    await expect(home.releaseChip).toContainText(`Release ${demoRelease.version}`);
  });

  test('an invalid channel URL is refused next to the field, and nothing is saved', async ({ home, page }) => {
    const sync = new SyncPage(page);
    await home.open();
    await sync.openFromChip();

    await sync.channelUrl.fill('ftp://x');
    await sync.save.click();
    await expect(sync.urlError).toContainText('ftp:');
    await expect(sync.channelUrl).toHaveAttribute('aria-invalid', 'true');
    await expect(sync.saved).toHaveCount(0);

    // A bad key is refused the same way, next to the keys.
    await sync.channelUrl.fill(pathToFileURL(workDir).href);
    await sync.publicKeys.first().fill('not a key');
    await sync.save.click();
    await expect(sync.keyError).toContainText('public key');
    await expect(sync.urlError).toHaveCount(0);

    await page.reload();
    await expect(sync.settings).toBeVisible();
    await expect(sync.channelUrl).toHaveValue('');
    await expect(sync.publicKeys.first()).toHaveValue('');
    await expect(sync.chip).toHaveText('Not configured');
  });
});

test.describe('app update', () => {
  // The browser host cannot update the app; the desktop shell's updater is stood in for here by
  // answering the two update calls the way the Electron core does when a version is downloaded.
  test('a downloaded version offers "Restart to update" without getting in the way', async ({ home, page }) => {
    const restarts: string[] = [];
    const ready = { state: 'ready', version: '9.1.0', percent: 100, message: null };
    await page.route('**/api/getAppUpdateStatus', (route) => route.fulfill({ json: { ok: true, value: ready } }));
    await page.route('**/api/restartToUpdate', (route) => {
      restarts.push(route.request().url());
      return route.fulfill({ json: { ok: true, value: ready } });
    });
    const sync = new SyncPage(page);
    await home.open();

    await expect(sync.updateBanner).toContainText('Pitchcase 9.1.0 is ready');
    // Not modal: the library underneath still opens.
    await home.expectVisible();
    await sync.openFromChip();
    await expect(sync.appUpdateRow).toContainText('9.1.0 is ready');
    await sync.close();

    await sync.updateBanner.getByRole('button', { name: 'Restart to update' }).click();
    await expect.poll(() => restarts.length).toBe(1);
  });
});

test.describe('README screenshot', () => {
  test.skip(!process.env.PITCHCASE_SCREENSHOTS, 'set PITCHCASE_SCREENSHOTS=1 to refresh resources/screenshots');
  test.use({ viewport: { width: 1366, height: 912 } });
  test.describe.configure({ timeout: 120_000 });

  test('the sync screen with a release waiting to be applied', async ({ home, page }) => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-channel-'));
    try {
      const release = await publishNextDemoRelease(workDir);
      const sync = new SyncPage(page);
      await home.open();
      await sync.openFromChip();
      await sync.configure({ url: release.url, publicKey: release.key.publicKeyPem, autoApply: false });
      await sync.checkNowAndWait();
      await expect(sync.plan).toBeVisible();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.waitForFunction(() =>
        document.getAnimations().every((animation) => animation.playState !== 'running'),
      );
      await page.screenshot({
        path: path.resolve(import.meta.dirname, '..', '..', 'resources', 'screenshots', 'sync.png'),
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

test.describe('kiosk mode from settings', () => {
  test('a rep switches the device to kiosk mode with a staff PIN, remembered for the next start', async ({
    app,
    home,
    page,
  }) => {
    await home.open();
    const sync = new SyncPage(page);
    await sync.openFromChip();
    await page.getByTestId('kiosk-mode-enter').click();
    await expect(page.getByTestId('kiosk-mode-result')).toHaveText(/Set a staff PIN first/);
    await page.getByTestId('kiosk-mode-pin').fill('4821');
    await page.getByTestId('kiosk-mode-enter').click();
    await expect(page.getByTestId('kiosk-mode-result')).toHaveText(/Kiosk mode is on from the next start/);
    expect(JSON.parse(readFileSync(path.join(app.profileDir, 'profile-kind.json'), 'utf8'))).toEqual({ kind: 'kiosk' });
  });
});
