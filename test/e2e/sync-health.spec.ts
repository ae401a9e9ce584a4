/**
 * Sync health of the uploads, from the rep's side: a CRM webhook that refuses (503 with a
 * message) keeps records waiting and the sync screen says so, with the endpoint's words; once
 * it recovers, "Retry now" sends everything without waiting for the backoff.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { SyncPage } from './pages/sync-page';
import { UploadHealthPage } from './pages/upload-health-page';

/** A webhook on 127.0.0.1 that is down for maintenance until told otherwise. */
class FlakyWebhook {
  up = false;
  readonly received: string[] = [];
  url = '';
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!this.up) {
        res
          .writeHead(503, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ message: 'Scheduled maintenance until 10:00' }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { records: { idempotencyKey: string }[] };
      this.received.push(...body.records.map((r) => r.idempotencyKey));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/crm`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

test.describe('upload health', () => {
  let webhook: FlakyWebhook;
  test.beforeEach(async () => {
    webhook = new FlakyWebhook();
    await webhook.start();
  });
  test.afterEach(async () => {
    await webhook.stop();
  });

  test('a refusing endpoint shows what waits and what it said; after it recovers, Retry now empties the outbox', async ({
    home,
    page,
  }) => {
    const sync = new SyncPage(page);
    const uploads = new UploadHealthPage(page);
    await home.open();
    await uploads.api('updateDeliverySettings', {
      meeting: { type: 'webhook', url: webhook.url },
      event: { type: 'webhook', url: webhook.url },
    });
    const at = new Date().toISOString();
    await uploads.api('recordActivity', {
      events: [
        { id: 'e2e-opened-0001', type: 'item.opened', at, itemId: 'aquacore-500-brochure' },
        { id: 'e2e-viewed-0001', type: 'page.viewed', at, itemId: 'aquacore-500-brochure', page: 2, dwellMs: 6000 },
      ],
    });
    await uploads.api('saveMeeting', {
      id: 'e2e-meeting-0001',
      startedAt: at,
      endedAt: at,
      status: 'logged',
      account: 'Marston Brewery',
      outcome: 'Trial agreed',
    });

    await sync.openFromChip();
    await expect(uploads.card).toHaveAttribute('data-pending', '3');
    await uploads.expectWaiting({ lead: 0, meeting: 1, event: 2, followup: 0 });
    await expect(uploads.headline).toHaveText('3 records waiting to upload');
    await expect(uploads.lastSuccess).toHaveText('Never');
    await expect(uploads.error).toHaveCount(0);

    // The endpoint is down: nothing is marked sent, and the rep sees why.
    await uploads.retry.click();
    await expect(uploads.error).toBeVisible();
    await expect(uploads.errorMessage).toHaveText(
      `${webhook.url} answered HTTP 503: Scheduled maintenance until 10:00`,
    );
    await expect(uploads.errorTitle).toHaveText(/^Last failure \((meetings|activity)\) · Just now$/);
    await expect(uploads.headline).toHaveText('Upload failing: 3 records waiting');
    await uploads.expectWaiting({ meeting: 1, event: 2 });
    await expect(uploads.lastSuccess).toHaveText('Never');
    await expect(uploads.retry).toBeEnabled();
    expect(webhook.received).toEqual([]);

    // Back up: Retry now does not wait for the backoff.
    webhook.up = true;
    await uploads.retry.click();
    await expect(uploads.card).toHaveAttribute('data-pending', '0');
    await uploads.expectWaiting({ lead: 0, meeting: 0, event: 0, followup: 0 });
    await expect(uploads.headline).toHaveText('Everything is uploaded');
    await expect(uploads.lastSuccess).toHaveText('Just now');
    await expect(uploads.error).toHaveCount(0);
    await expect(uploads.retry).toBeDisabled();
    expect([...webhook.received].sort()).toEqual([
      'event:e2e-opened-0001',
      'event:e2e-viewed-0001',
      'meeting:e2e-meeting-0001',
    ]);
  });

  test('an upload run the rep did not start updates the open panel', async ({ home, page }) => {
    const sync = new SyncPage(page);
    const uploads = new UploadHealthPage(page);
    await home.open();
    await uploads.api('updateDeliverySettings', { event: { type: 'webhook', url: webhook.url } });
    await uploads.api('recordActivity', {
      events: [
        { id: 'e2e-opened-0002', type: 'item.opened', at: new Date().toISOString(), itemId: 'aquacore-500-brochure' },
      ],
    });
    // The panel's own re-reads keep answering what they first read: only the event can bring news.
    let firstRead: unknown = null;
    await page.route('**/api/getDeliveryStatus', async (route) => {
      firstRead ??= await (await route.fetch()).json();
      await route.fulfill({ json: firstRead });
    });
    await sync.openFromChip();
    await uploads.expectWaiting({ event: 1 });

    // Another caller (the background timer, in the app) runs the upload: the panel hears of it.
    webhook.up = true;
    await uploads.api('deliverNow', {});
    await uploads.expectWaiting({ event: 0 });
    await expect(uploads.lastSuccess).toHaveText('Just now');
  });

  test('a record queued while the panel is open shows at once, from the event (no polling)', async ({ home, page }) => {
    const sync = new SyncPage(page);
    const uploads = new UploadHealthPage(page);
    await home.open();
    // Nowhere to go: records wait, and no upload run follows their queueing.
    await uploads.api('updateDeliverySettings', { event: null });
    await uploads.api('recordActivity', {
      events: [
        { id: 'e2e-opened-0003', type: 'item.opened', at: new Date().toISOString(), itemId: 'aquacore-500-brochure' },
      ],
    });
    let reads = 0;
    await page.route('**/api/getDeliveryStatus', async (route) => {
      reads++;
      await route.continue();
    });
    await sync.openFromChip();
    await uploads.expectWaiting({ event: 1 });
    await uploads.api('recordActivity', {
      events: [
        { id: 'e2e-opened-0004', type: 'item.opened', at: new Date().toISOString(), itemId: 'aquacore-500-brochure' },
      ],
    });
    await uploads.expectWaiting({ event: 2 });
    await expect(uploads.card).toHaveAttribute('data-pending', '2');
    expect(reads).toBe(1);
  });
});
