/**
 * "Where records go" through the screens: IT points activity at a webhook (a local endpoint
 * started by the test), is told why a plain-http address elsewhere is refused, tests the
 * connection, saves, and the record that was waiting arrives with the Authorization header the
 * screen never shows again. A team without a CRM API picks a folder instead: the waiting record
 * appears there as a CSV file once the folder does. On a kiosk the same card is behind the staff PIN.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import { DeliverySettingsPage } from './pages/delivery-settings-page';
import { SyncPage } from './pages/sync-page';
import { UploadHealthPage } from './pages/upload-health-page';

interface Received {
  headers: IncomingHttpHeaders;
  keys: string[];
}

/** A webhook on 127.0.0.1 that records every request and lets a test await one. */
class Receiver {
  readonly received: Received[] = [];
  url = '';
  private waiters: { match(r: Received): boolean; resolve(r: Received): void }[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        records?: { idempotencyKey: string }[];
      };
      const entry = { headers: req.headers, keys: (body.records ?? []).map((r) => r.idempotencyKey) };
      this.received.push(entry);
      const ready = this.waiters.filter((w) => w.match(entry));
      this.waiters = this.waiters.filter((w) => !ready.includes(w));
      for (const waiter of ready) waiter.resolve(entry);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });

  waitFor(match: (r: Received) => boolean): Promise<Received> {
    const seen = this.received.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/pitchcase`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

test.describe('where records go', () => {
  let receiver: Receiver;
  test.beforeEach(async () => {
    receiver = new Receiver();
    await receiver.start();
  });
  test.afterEach(async () => {
    await receiver.stop();
  });

  test('set a webhook on the sync screen, test it, save, and the waiting record is delivered', async ({
    home,
    page,
  }) => {
    const sync = new SyncPage(page);
    const uploads = new UploadHealthPage(page);
    const delivery = new DeliverySettingsPage(page);
    await home.open();
    // Activity recorded before anything is set up waits on the device.
    await uploads.api('recordActivity', {
      events: [
        { id: 'e2e-where-0001', type: 'item.opened', at: new Date().toISOString(), itemId: 'aquacore-500-brochure' },
      ],
    });

    await sync.openFromChip();
    await expect(delivery.target('event')).toHaveAttribute('data-type', 'none');
    await expect(delivery.target('event')).toContainText('Records wait on this device');
    await uploads.expectWaiting({ event: 1 });

    await delivery.open();
    await delivery.chooseWebhook('event');
    await delivery.url.fill('http://crm.example.com/in');
    await delivery.save.click();
    await expect(delivery.urlError).toHaveText(
      'The webhook URL must start with https:// (http:// only for this computer: localhost, 127.0.0.1)',
    );

    await delivery.url.fill(receiver.url);
    await delivery.authorization.fill('Bearer e2e-hook-secret');
    await delivery.test.click();
    await expect(delivery.testResult).toHaveAttribute('data-ok', 'true');
    await expect(delivery.testResult).toContainText(/accepted a test batch \(HTTP 200\)/);
    const probe = await receiver.waitFor((r) => r.headers['pitchcase-test'] === '1');
    expect(probe.keys).toEqual([]);
    expect(probe.headers.authorization).toBe('Bearer e2e-hook-secret');

    await delivery.save.click();
    await expect(delivery.note).toHaveText('Activity: saved');
    // Write-only: the stored header reads back as "Set", never as its value.
    await expect(delivery.authorizationState).toHaveText('Set');
    await expect(delivery.authorization).toHaveCount(0);
    await delivery.close.click();
    await expect(delivery.dialog).toHaveCount(0);
    await expect(delivery.target('event')).toHaveAttribute('data-type', 'webhook');
    await expect(delivery.target('event')).toContainText('Authorization header set');

    // Saving sends what was waiting; the Uploads card hears of it.
    const delivered = await receiver.waitFor((r) => r.keys.includes('event:e2e-where-0001'));
    expect(delivered.headers.authorization).toBe('Bearer e2e-hook-secret');
    expect(delivered.headers['pitchcase-test']).toBeUndefined();
    await uploads.expectWaiting({ event: 0 });
    await expect(uploads.headline).toHaveText('Everything is uploaded');
    const settings = await uploads.api<Record<string, unknown>>('getDeliverySettings', {});
    expect(JSON.stringify(settings)).not.toContain('e2e-hook-secret');
  });

  test('choose a folder on the sync screen: the Uploads card says it is missing, and once it is there the waiting record is a CSV file in it', async ({
    home,
    page,
  }) => {
    const sync = new SyncPage(page);
    const uploads = new UploadHealthPage(page);
    const delivery = new DeliverySettingsPage(page);
    const root = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-e2e-folder-'));
    try {
      const folder = path.join(root, 'OneDrive - Acme', 'Pitchcase');
      await home.open();
      await uploads.api('recordActivity', {
        events: [
          { id: 'e2e-folder-0001', type: 'item.opened', at: new Date().toISOString(), itemId: 'aquacore-500-brochure' },
        ],
      });
      await sync.openFromChip();
      await uploads.expectWaiting({ event: 1 });

      await delivery.open();
      await delivery.chooseFolder('event');
      await delivery.path.fill('Pitchcase');
      await delivery.save.click();
      await expect(delivery.pathError).toHaveText(
        'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
      );

      // Not synced to this device yet: the test says so, and saving is still allowed.
      await delivery.path.fill(folder);
      await delivery.test.click();
      await expect(delivery.testResult).toHaveAttribute('data-ok', 'false');
      await expect(delivery.testResult).toContainText(`The folder ${folder} does not exist`);
      await delivery.save.click();
      await expect(delivery.note).toHaveText('Activity: saved');
      await delivery.close.click();
      await expect(delivery.target('event')).toHaveAttribute('data-type', 'folder');
      await expect(delivery.target('event')).toContainText(`CSV files in ${folder}`);

      // Saving tried at once: the record waits, and the Uploads card says why.
      await expect(uploads.errorMessage).toContainText(`The folder ${folder} does not exist`);
      await uploads.expectWaiting({ event: 1 });

      mkdirSync(folder, { recursive: true });
      await uploads.retry.click();
      await uploads.expectWaiting({ event: 0 });
      await expect(uploads.headline).toHaveText('Everything is uploaded');
      // Marked sent only after the file was in place: it is there now, whole, and alone.
      const names = readdirSync(folder);
      expect(names).toEqual([expect.stringMatching(/^pitchcase-event-\d{4}-\d{2}-\d{2}-[0-9a-f]{16}\.csv$/)]);
      const csv = readFileSync(path.join(folder, names[0]!), 'utf8');
      expect(csv.split('\n')[0]).toBe(
        // The fleet's source columns come after the original ones, which keep their names and places.
        'Pitchcase Id,Type,At,Item,Page,Dwell ms,Pitch,Meeting Pitchcase Id,Release Version,Device Id,Rep,Booth,Team,Region,App Version',
      );
      expect(csv).toContain('event:e2e-folder-0001,item.opened,');
      expect(csv).toContain(',aquacore-500-brochure,');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('on a kiosk the card is behind the staff PIN', async ({ page, kiosk }) => {
    const uploads = new UploadHealthPage(page);
    const delivery = new DeliverySettingsPage(page);
    await page.clock.install();
    await kiosk.open();
    await expect(uploads.api('getDeliverySettings', {})).rejects.toThrow(/Staff only/);

    await kiosk.holdStaffCorner();
    // The PIN staff set before the show (the fixture) unlocks the staff screen.
    await kiosk.enterPin('4821');
    await expect(kiosk.staffScreen).toBeVisible();
    await page.getByTestId('staff-delivery').click();
    await expect(delivery.card).toBeVisible();
    await delivery.open();
    await delivery.chooseWebhook('lead');
    await delivery.url.fill(receiver.url);
    await delivery.save.click();
    await expect(delivery.note).toHaveText('Leads: saved');
    await delivery.close.click();
    await expect(delivery.target('lead')).toHaveAttribute('data-type', 'webhook');

    await kiosk.staffLock.click();
    await kiosk.expectAttract();
    await expect(delivery.card).toHaveCount(0);
    // "Lock" tells the core without waiting for it: the refusal comes once it has.
    await expect(async () => {
      await expect(uploads.api('updateDeliverySettings', { lead: null })).rejects.toThrow(/Staff only/);
    }).toPass();
  });
});
