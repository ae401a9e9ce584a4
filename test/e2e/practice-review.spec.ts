/**
 * Send for review, end to end in Chromium with a fake microphone: the browser host and a real
 * Studio process, with a relay between them that can drop the connection in the middle of an
 * upload (hotel Wi-Fi). The rep records and plays back a take, sends it (the consent is asked
 * first), the upload is cut half-way and goes on from Studio's offset, a manager scores and
 * comments in Studio's UI, and the feedback shows on the device after its next sync; a comment's
 * time seeks the playback.
 */
import { readdir, stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.mjs';
import { StudioPage } from '../studio/e2e/studio-page';
import { repCode, setUpAdmin, studioPassword as password } from '../support/studio-server';
import { callApi } from './api';
import { expect, test } from './fixtures';
import { RehearsePage } from './pages/rehearse-page';

test.use({
  launchOptions: chromiumLaunchOptions(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']),
});

const uploadPath = '/api/device/practice/uploads';

/**
 * Forwards every request to Studio as is (Host included, so Studio's answers name the relay).
 * Armed, it passes only the first half of the next chunk's body, waits until Studio has written
 * that much, then drops both connections.
 */
class Relay {
  server!: Server;
  url = '';
  /** The offset of every chunk the device sent, in order. */
  puts: number[] = [];
  private cut: { written(): Promise<number> } | null = null;

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const target = new URL(request.url ?? '/', this.target);
      const upstream = httpRequest(target, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      const cut = this.cut;
      if (request.method === 'PUT' && target.pathname.startsWith(uploadPath)) {
        this.puts.push(Number(target.searchParams.get('offset')));
        if (cut) {
          this.cut = null;
          this.cutHalfWay(request, upstream, () => response.destroy(), cut);
          return;
        }
      }
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private cutHalfWay(
    request: IncomingMessage,
    upstream: ReturnType<typeof httpRequest>,
    dropDevice: () => void,
    cut: { written(): Promise<number> },
  ): void {
    const keep = Math.floor(Number(request.headers['content-length']) / 2);
    let passed = 0;
    request.on('data', (chunk: Buffer) => {
      if (passed >= keep) return;
      const part = chunk.subarray(0, keep - passed);
      passed += part.length;
      upstream.write(part);
      if (passed < keep) return;
      void expect
        .poll(() => cut.written(), { timeout: 15_000 })
        .toBe(keep)
        .finally(() => {
          upstream.destroy();
          dropDevice();
        });
    });
  }

  /** The next chunk reaches Studio only half-way; `written` says how many bytes Studio holds. */
  cutNextChunk(written: () => Promise<number>): void {
    this.cut = { written };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** No serious or critical accessibility violations on the device's screen as it is now. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad, screen).toEqual([]);
}

test.describe('send a take for review', () => {
  test.describe.configure({ timeout: 180_000 });
  let relay: Relay;

  test.beforeEach(async ({ studio }) => {
    relay = new Relay(studio.url);
    await relay.start();
  });

  test.afterEach(async () => {
    await relay.stop();
  });

  /** Bytes Studio holds of the upload in progress (its part file). */
  async function studioHolds(dataDir: string): Promise<number> {
    const tmp = path.join(dataDir, 'tmp');
    const parts = (await readdir(tmp)).filter((f) => f.startsWith('practice-'));
    if (parts.length !== 1) return -1;
    return (await stat(path.join(tmp, parts[0]!))).size;
  }

  test('record, play back, send with consent, resume after a cut, review in Studio, feedback on the device', async ({
    page,
    app,
    studio,
    context,
  }) => {
    const admin = await setUpAdmin(studio);
    await admin.call('POST', '/api/users', { email: 'max@example.com', name: 'Max Weber', role: 'manager', password });
    const managers = await admin.call<{ id: string }[]>('GET', '/api/fleet/managers');
    await admin.call('PUT', `/api/fleet/managers/${managers.value[0]!.id}`, { team: 'North' });
    const code = await repCode(admin);

    // Record and play back, offline as ever.
    const rehearse = new RehearsePage(page);
    await page.goto(app.url);
    await rehearse.openFromTopBar();
    await rehearse.pick('aquacore-500-twin-train');
    await rehearse.recordFor('1:00', 3);
    const take = rehearse.take(0);
    await take.getByTestId('take-play').click();
    await expect
      .poll(() => take.getByTestId('take-audio').evaluate((el: HTMLAudioElement) => el.readyState))
      .toBeGreaterThanOrEqual(1);

    // Not connected yet: a clear message, nothing queued.
    await take.getByTestId('take-send').click();
    await page.getByTestId('review-consent').getByTestId('consent-agree').click();
    await expect(page.getByTestId('rehearse-error')).toContainText('not connected to your company’s Studio');
    await expect(take.getByTestId('take-review')).toHaveAttribute('data-state', 'not-sent');

    await callApi(page, 'enrolDevice', { studioUrl: relay.url, code });

    // The first chunk is cut half-way: Studio keeps what arrived.
    relay.cutNextChunk(() => studioHolds(studio.dataDir));
    await take.getByTestId('take-send').click();
    const consent = page.getByRole('dialog', { name: 'Send for review?' });
    await expect(consent).toContainText('This recording');
    await expect(consent).toContainText('Your manager');
    await expectAccessible(page, 'the consent before the first send');
    await consent.getByTestId('consent-share').check();
    await consent.getByTestId('consent-agree').click();
    await expect(take.getByTestId('take-review-error')).toContainText(/Could not reach Studio/, { timeout: 30_000 });
    const half = await studioHolds(studio.dataDir);
    expect(half).toBeGreaterThan(0);

    // The next sync asks Studio where it stands and sends only the rest.
    await callApi(page, 'syncFleetNow', {});
    await expect(take.getByTestId('take-review-state')).toHaveText('Sent for review');
    expect(relay.puts).toEqual([0, half]);

    // A manager of the rep's team reviews it in Studio.
    const studioTab = await context.newPage();
    await studioTab.goto(studio.url);
    const studioPage = new StudioPage(studioTab);
    await studioPage.signIn('max@example.com', password);
    await studioTab.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Practice' }).click();
    const table = studioTab.getByRole('table', { name: 'Practice recordings' });
    await expect(table).toContainText('Ana Ortiz');
    await table.getByTestId('practice-open').first().click();
    const player = studioTab.getByTestId('practice-player');
    await expect.poll(() => player.evaluate((el: HTMLAudioElement) => el.readyState)).toBeGreaterThanOrEqual(1);
    await studioPage.expectAccessible('Practice');
    const messages = studioTab.getByRole('radiogroup');
    await messages.nth(0).getByLabel('Said').check();
    await messages.nth(1).getByLabel('Partly').check();
    await messages.nth(2).getByLabel('Missed').check();
    await studioTab.getByRole('group', { name: 'Overall' }).getByLabel('4').check();
    await studioTab.getByRole('button', { name: 'Save review' }).click();
    await expect(studioTab.getByRole('status')).toContainText('Review saved');
    await player.evaluate(
      (el: HTMLAudioElement) =>
        new Promise<void>((resolve) => {
          el.addEventListener('seeked', () => resolve(), { once: true });
          el.currentTime = 1.5;
        }),
    );
    await studioTab.getByLabel('Comment at the player’s current time').fill('Lead with the second train');
    await studioTab.getByRole('button', { name: 'Add comment' }).click();
    await expect(studioTab.getByTestId('practice-comment-seek')).toHaveText('0:01');

    // The device's next sync brings it: score, rubric, the comment at its moment.
    await callApi(page, 'syncFleetNow', {});
    await expect(take.getByTestId('take-review-state')).toHaveText('Reviewed');
    await expect(take.getByTestId('take-score')).toHaveText('4 / 5');
    await expect(take.locator('[data-rating]')).toHaveCount(3);
    await expect(take.locator('[data-rating="partly"]')).toContainText('one train keeps running');
    await expect(take.getByTestId('take-comment')).toHaveText('Lead with the second train');
    await expectAccessible(page, 'a reviewed take');
    await take.getByTestId('take-comment-seek').click();
    await expect
      .poll(() => take.getByTestId('take-audio').evaluate((el: HTMLAudioElement) => el.currentTime))
      .toBeGreaterThanOrEqual(1.4);
  });
});
