import { expect, type Locator, type Page } from '@playwright/test';

/** "Where records go": the card on the sync screen (or the kiosk's staff screen) and its dialog. */
export class DeliverySettingsPage {
  readonly card: Locator;
  readonly change: Locator;
  readonly dialog: Locator;
  readonly url: Locator;
  readonly authorization: Locator;
  readonly authorizationState: Locator;
  readonly urlError: Locator;
  readonly path: Locator;
  readonly pathError: Locator;
  readonly test: Locator;
  readonly testResult: Locator;
  readonly save: Locator;
  readonly note: Locator;
  readonly close: Locator;

  constructor(readonly page: Page) {
    this.card = page.getByTestId('delivery-targets');
    this.change = page.getByTestId('delivery-change');
    this.dialog = page.getByTestId('delivery-dialog');
    this.url = page.getByTestId('delivery-url');
    this.authorization = page.getByTestId('delivery-authorization');
    this.authorizationState = page.getByTestId('delivery-authorization-state');
    this.urlError = page.getByTestId('delivery-error-url');
    this.path = page.getByTestId('delivery-path');
    this.pathError = page.getByTestId('delivery-error-path');
    this.test = page.getByTestId('delivery-test');
    this.testResult = page.getByTestId('delivery-test-result');
    this.save = page.getByTestId('delivery-save');
    this.note = page.getByTestId('delivery-note');
    this.close = page.getByTestId('delivery-close');
  }

  /** The card's row for a kind: lead, meeting or event. */
  target(kind: 'lead' | 'meeting' | 'event'): Locator {
    return this.page.getByTestId(`delivery-target-${kind}`);
  }

  async open(): Promise<void> {
    await expect(this.change).toBeEnabled();
    await this.change.click();
    await expect(this.dialog).toBeVisible();
  }

  /** Picks the kind of record and sends it to a webhook. */
  async chooseWebhook(kind: 'lead' | 'meeting' | 'event'): Promise<void> {
    await this.choose(kind, 'webhook');
  }

  /** Picks the kind of record and writes it as CSV files into a folder. */
  async chooseFolder(kind: 'lead' | 'meeting' | 'event'): Promise<void> {
    await this.choose(kind, 'folder');
  }

  private async choose(kind: 'lead' | 'meeting' | 'event', type: 'webhook' | 'folder'): Promise<void> {
    await this.page.getByTestId(`delivery-kind-${kind}`).click();
    await expect(this.page.getByTestId('delivery-form')).toHaveAttribute('data-kind', kind);
    await this.page.getByTestId(`delivery-type-${type}`).check();
  }
}
