import { expect, type Locator, type Page } from '@playwright/test';
import { callApi } from '../api';

/** The sync screen's "Uploads" card: waiting records by kind, last success, last failure, Retry now. */
export class UploadHealthPage {
  readonly card: Locator;
  readonly headline: Locator;
  readonly retry: Locator;
  readonly lastSuccess: Locator;
  readonly error: Locator;
  readonly errorTitle: Locator;
  readonly errorMessage: Locator;

  constructor(readonly page: Page) {
    this.card = page.getByTestId('upload-health');
    this.headline = page.getByTestId('upload-headline');
    this.retry = page.getByTestId('retry-uploads');
    this.lastSuccess = page.getByTestId('upload-last-success');
    this.error = page.getByTestId('upload-error');
    this.errorTitle = page.getByTestId('upload-error-title');
    this.errorMessage = page.getByTestId('upload-error-message');
  }

  /** The row of one outbox kind: lead, meeting, event or followup. */
  pending(kind: string): Locator {
    return this.page.getByTestId(`upload-pending-${kind}`);
  }

  async expectWaiting(counts: Record<string, number>): Promise<void> {
    for (const [kind, count] of Object.entries(counts))
      await expect(this.pending(kind)).toHaveAttribute('data-count', String(count));
  }

  /** Calls the contract through the page's own origin, as the renderer does in the browser host. */
  api<T>(method: string, arg: unknown): Promise<T> {
    return callApi<T>(this.page, method, arg);
  }
}
