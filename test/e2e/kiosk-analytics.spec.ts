/**
 * A kiosk visitor is not a rep: browsing items at the booth must leave no rep activity (item
 * opened, page viewed) in the analytics or the outbox. The kiosk keeps its own anonymous
 * visitor session, and that is where the view goes.
 */
import type { DeliveryStatus } from '#shared/sync';
import type { UsageReport } from '#shared/presenting';
import { callApi } from './api';
import { expect, KIOSK_STAFF_PIN, test } from './fixtures';
import { ItemViewerPage } from './pages/item-viewer-page';

test('a visitor paging through an item records the kiosk view only, never rep activity', async ({ page, kiosk }) => {
  await page.clock.install();
  const calls: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) calls.push(pathname.slice('/api/'.length));
  });
  const viewer = new ItemViewerPage(page);
  await kiosk.open();
  await kiosk.touchToStart();

  // Long enough on each page that a rep's viewer would count it as viewed (2 s).
  const view = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/recordVisitorView');
  await kiosk.card('aquacore-500-brochure').click();
  await viewer.expectRenderedPage(1);
  expect((await view).postDataJSON()).toMatchObject({ itemId: 'aquacore-500-brochure' });
  await page.clock.fastForward('00:05');
  await page.keyboard.press('ArrowRight');
  await viewer.expectRenderedPage(2);
  await page.clock.fastForward('00:05');
  await kiosk.viewerBack.click();
  await expect(kiosk.home).not.toHaveAttribute('inert');
  const ended = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/endVisitorSession');
  await kiosk.done.click();
  await ended;
  await kiosk.expectAttract();

  expect(calls.filter((method) => ['recordActivity', 'saveMeeting', 'queueFollowUp'].includes(method))).toEqual([]);
  // The usage report and the upload status are staff's on a kiosk: unlock as staff would.
  await callApi(page, 'unlockKiosk', { pin: KIOSK_STAFF_PIN });
  const report = await callApi<UsageReport>(page, 'getUsageReport', {});
  expect([...report.mostUsed, ...report.leastUsed].filter((item) => item.opens > 0 || item.pageViews > 0)).toEqual([]);
  expect(report.pages.flatMap((deck) => deck.pages).filter((p) => p.views > 0)).toEqual([]);
  // Nothing of the visit waits to be uploaded as activity (no lead was left either).
  expect((await callApi<DeliveryStatus>(page, 'getDeliveryStatus', {})).pendingByKind).toEqual({});
});
