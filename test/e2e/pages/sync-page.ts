import { expect, type Locator, type Page } from '@playwright/test';

/** The sync chip in the top bar, the sync screen (`#/sync`) and its channel settings. */
export class SyncPage {
  readonly chip: Locator;
  readonly screen: Locator;
  readonly backButton: Locator;
  readonly state: Locator;
  readonly stateLabel: Locator;
  readonly checkNow: Locator;
  readonly progress: Locator;
  readonly error: Locator;
  readonly errorMessage: Locator;
  readonly plan: Locator;
  readonly planSummary: Locator;
  readonly planDownload: Locator;
  readonly applyButton: Locator;
  readonly releaseChannel: Locator;
  readonly releaseVersion: Locator;
  readonly releaseItems: Locator;
  readonly lastSuccess: Locator;
  readonly storageUsed: Locator;
  readonly appUpdateRow: Locator;
  readonly updateBanner: Locator;
  readonly settings: Locator;
  readonly channelUrl: Locator;
  readonly publicKeys: Locator;
  readonly addKey: Locator;
  readonly autoApply: Locator;
  readonly checkInterval: Locator;
  readonly save: Locator;
  readonly saved: Locator;
  readonly urlError: Locator;
  readonly keyError: Locator;
  readonly newSinceSeen: Locator;
  readonly markSeen: Locator;

  constructor(readonly page: Page) {
    this.chip = page.getByTestId('sync-chip');
    this.screen = page.getByTestId('sync-screen');
    this.backButton = page.getByTestId('sync-back');
    this.state = page.getByTestId('sync-state');
    this.stateLabel = page.getByTestId('sync-state-label');
    this.checkNow = page.getByTestId('check-now');
    this.progress = page.getByTestId('sync-progress');
    this.error = page.getByTestId('sync-error');
    this.errorMessage = page.getByTestId('sync-error-message');
    this.plan = page.getByTestId('sync-plan');
    this.planSummary = page.getByTestId('plan-summary');
    this.planDownload = page.getByTestId('plan-download');
    this.applyButton = page.getByTestId('apply-content');
    this.releaseChannel = page.getByTestId('release-channel');
    this.releaseVersion = page.getByTestId('release-version');
    this.releaseItems = page.getByTestId('release-items');
    this.lastSuccess = page.getByTestId('last-success');
    this.storageUsed = page.getByTestId('storage-used');
    this.appUpdateRow = page.getByTestId('app-update-row');
    this.updateBanner = page.getByTestId('update-banner');
    this.settings = page.getByTestId('channel-settings');
    this.channelUrl = page.getByTestId('channel-url');
    this.publicKeys = page.getByTestId('public-key');
    this.addKey = page.getByTestId('add-key');
    this.autoApply = page.getByTestId('auto-apply');
    this.checkInterval = page.getByTestId('check-interval');
    this.save = page.getByTestId('save-settings');
    this.saved = page.getByTestId('settings-saved');
    this.urlError = page.getByTestId('settings-error-channelUrl');
    this.keyError = page.getByTestId('settings-error-publicKeys');
    this.newSinceSeen = page.getByTestId('new-since-seen');
    this.markSeen = page.getByTestId('mark-seen');
  }

  /** Opens the sync screen from the top bar's chip, as a rep would. */
  async openFromChip(): Promise<void> {
    await this.chip.click();
    await expect(this.screen).toBeVisible();
    await expect(this.page).toHaveURL(/#\/sync$/);
    await expect(this.settings).toBeVisible();
  }

  async close(): Promise<void> {
    await this.backButton.click();
    await expect(this.screen).toBeHidden();
  }

  /** The files of the plan's "New", "Updated" or "Removed" list, by item id. */
  planItemIds(list: 'added' | 'updated' | 'removed'): Promise<string[]> {
    return this.page
      .getByTestId(`plan-${list}`)
      .locator('li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-item-id') ?? ''));
  }

  /** Fills the channel settings; auto-apply is set explicitly so a test never depends on the default. */
  async configure(options: { url: string; publicKey: string; autoApply: boolean }): Promise<void> {
    await this.channelUrl.fill(options.url);
    await this.publicKeys.first().fill(options.publicKey);
    await this.autoApply.setChecked(options.autoApply);
    await this.save.click();
    await expect(this.saved).toBeVisible();
  }

  async checkNowAndWait(): Promise<void> {
    await expect(this.checkNow).toBeEnabled();
    await this.checkNow.click();
    // The check runs; the button comes back once it has an outcome.
    await expect(this.state).not.toHaveAttribute('data-state', 'checking');
    await expect(this.checkNow).toBeEnabled();
  }
}
