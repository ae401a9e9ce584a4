import { readFile } from 'node:fs/promises';
import { studioPassword as password } from '../../support/studio-server';
import { recordingWebhook } from '../../support/webhook';
import { SimulatedDevice } from '../fleet-device';
import { expect, test } from './fixtures';
import { StudioPage } from './studio-page';

/**
 * The fleet in Studio's UI: an admin makes a rep's enrolment code (shown with its QR), a device
 * enrols with it and uploads what happened in a meeting and a search that found nothing; the
 * dashboards show it and export it as CSV; the admin revokes the device and its next upload is
 * refused. Every screen is checked with axe.
 */

test("enrol by code, see the device's records on the dashboards, export CSV, revoke", async ({ page, studio }) => {
  const ui = new StudioPage(page);
  await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Fleet' }).click();
  const views = page.getByRole('navigation', { name: 'Fleet views' });
  await views.getByRole('button', { name: 'Devices' }).click();

  const form = page.getByRole('form', { name: 'Enrol a device' });
  await form.getByLabel('Name').fill('Rita Rep');
  await form.getByLabel('E-mail').fill('rita@example.com');
  await form.getByLabel('Team').fill('North');
  await form.getByLabel('Region').fill('EMEA');
  await form.getByRole('button', { name: 'Make a code' }).click();
  const code = (await page.getByTestId('enrolment-code').textContent())!.trim();
  // The form is cleared for the next code and the list of codes shows this one, with no error.
  await expect(form.getByRole('alert')).toHaveCount(0);
  await expect(form.getByLabel('Name')).toHaveValue('');
  await expect(page.getByRole('table', { name: 'Enrolment codes' })).toContainText('Rita Rep');
  // The next code's team suggests the teams in use.
  await expect(page.locator('datalist#fleet-known-teams option')).toHaveAttribute('value', 'North');
  expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await expect(page.getByRole('img', { name: `QR code to enrol with code ${code}` })).toBeVisible();
  await ui.expectAccessible('fleet devices with a new code');

  const device = new SimulatedDevice(studio.url);
  expect((await device.enrol(code)).status).toBe(200);
  const at = new Date().toISOString();
  const sent = await device.send([
    device.event(at, { itemId: 'harbour-brochure' }),
    device.event(at, { itemId: 'harbour-brochure', page: 1, dwellMs: 12_000, meetingId: 'm-1' }),
    device.event(at, { itemId: 'harbour-brochure', page: 2, dwellMs: 6_000, meetingId: 'm-1' }),
    device.meeting(at, { id: 'm-1', account: 'Acme Harbour', outcome: 'won' }),
    device.searchMiss(at, 'Tidal turbine'),
    device.status(at, { releaseVersion: null, ready: true }),
  ]);
  expect(sent.body.accepted).toBe(6);

  await views.getByRole('button', { name: 'Content' }).click();
  // The team filter suggests the team the device was enrolled in.
  await expect(page.locator('datalist#fleet-teams option')).toHaveAttribute('value', 'North');
  const usage = page.getByRole('region', { name: 'Content use by item' });
  await expect(usage.getByRole('row').filter({ hasText: 'harbour-brochure' })).toContainText('1');
  await expect(usage.getByRole('img')).toBeVisible();
  const download = page.waitForEvent('download');
  await usage.getByRole('link', { name: 'Export CSV' }).click();
  const csv = await readFile(await (await download).path(), 'utf8');
  expect(csv).toContain('Item,Opens,Meetings shown in,Page views,Median dwell,Total dwell');
  expect(csv).toMatch(/harbour-brochure,1,1,2,\d+,18000/);
  // An item's page drop-off opens from its row and takes the focus; closing it gives the focus back.
  const opener = usage.getByRole('button', { name: 'Pages of harbour-brochure' });
  await opener.click();
  const drop = page.getByTestId('page-drop-off');
  await expect(drop).toBeFocused();
  const pages = drop.getByRole('region', { name: 'Page drop-off: harbour-brochure' });
  await expect(pages.getByRole('row')).toHaveText([/^Page/, /^1\s*1\s*100/, /^2\s*1\s*100/]);
  await ui.expectAccessible('fleet content with a page drop-off');
  await drop.getByRole('button', { name: 'Close the page drop-off' }).click();
  await expect(drop).toHaveCount(0);
  await expect(opener).toBeFocused();
  // Grouped by team, the rows are teams: no drop-off buttons, and none shown from the table before.
  await page.getByLabel('Group by').selectOption('team');
  const byTeam = page.getByRole('region', { name: 'Content use by team' });
  await expect(byTeam.getByRole('row').nth(1)).toContainText('North');
  await expect(byTeam.getByRole('button')).toHaveCount(0);
  await expect(page.getByText('Group by item to see an item’s page drop-off.')).toBeVisible();
  await page.getByLabel('Group by').selectOption('item');
  await expect(usage.getByRole('button', { name: 'Pages of harbour-brochure' })).toBeVisible();
  await ui.expectAccessible('fleet content');

  await views.getByRole('button', { name: 'Search gaps' }).click();
  await expect(page.getByRole('region', { name: 'Searches that found nothing' })).toContainText('tidal turbine');
  await ui.expectAccessible('fleet search gaps');

  await views.getByRole('button', { name: 'My team' }).click();
  await expect(page.getByRole('region', { name: 'Content shown by account and outcome' })).toContainText(
    'Acme Harbour',
  );
  await views.getByRole('button', { name: 'Readiness' }).click();
  await expect(page.getByRole('region', { name: 'Ready for tomorrow, per team' })).toContainText('North');
  await ui.expectAccessible('fleet readiness');

  await views.getByRole('button', { name: 'Devices' }).click();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: /Revoke .*Rita Rep/ }).click();
  await expect(page.getByRole('table', { name: 'Devices' })).toContainText('Revoked');
  const refused = await device.send([device.event(new Date().toISOString(), { itemId: 'x' })]);
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ error: 'revoked' });
});

test('the QR code opens a phone page with the code and how to enter it, needing no session', async ({
  page,
  studio,
}) => {
  const ui = new StudioPage(page);
  await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
  const made = await page.evaluate(async () => {
    const session = (await (await fetch('/api/session')).json()) as { value: { csrfToken: string } };
    const answer = await fetch('/api/fleet/codes', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.value.csrfToken },
      body: JSON.stringify({ kind: 'booth', event: 'Harbour Expo' }),
    });
    return ((await answer.json()) as { value: { code: string; enrolUrl: string } }).value;
  });

  // A phone that never signed in to Studio.
  const phone = await page
    .context()
    .browser()!
    .newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
  const mobile = await phone.newPage();
  await mobile.goto(made.enrolUrl);
  await expect(mobile.getByRole('heading', { name: 'Connect Pitchcase to your company' })).toBeVisible();
  await expect(mobile.getByLabel('Enrolment code')).toHaveText(made.code);
  await expect(mobile.getByText(studio.url).first()).toBeVisible();
  // Fits the phone: nothing to scroll sideways.
  expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await new StudioPage(mobile).expectAccessible('enrolment page on a phone');
  await phone.close();

  // Viewing it used nothing: the code still waits for its device.
  const device = new SimulatedDevice(studio.url);
  expect((await device.enrol(made.code, 'kiosk')).status).toBe(200);
});

test('an admin forwards leads to the CRM: test connection, then each lead’s state', async ({ page, studio }) => {
  const crm = await recordingWebhook();
  try {
    const ui = new StudioPage(page);
    await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Fleet' }).click();
    await page.getByRole('navigation', { name: 'Fleet views' }).getByRole('button', { name: 'Forwarding' }).click();
    const leads = page.getByRole('form', { name: 'Forward leads' });
    await leads.getByLabel('Send to').selectOption('webhook');
    await leads.getByLabel('URL').fill(crm.url);
    await leads.getByLabel('Authorization header').fill('Bearer crm-e2e-secret');
    await leads.getByRole('button', { name: 'Test connection' }).click();
    await expect(leads.getByRole('status')).toContainText('accepted a test batch');
    await leads.getByRole('button', { name: 'Save' }).click();
    await expect(leads.getByLabel('Authorization header')).toHaveAttribute('placeholder', 'Set — type to replace');
    await ui.expectAccessible('fleet forwarding');

    const made = await page.evaluate(async () => {
      const session = (await (await fetch('/api/session')).json()) as { value: { csrfToken: string } };
      const answer = await fetch('/api/fleet/codes', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.value.csrfToken },
        body: JSON.stringify({ kind: 'booth', event: 'Harbour Expo' }),
      });
      return ((await answer.json()) as { value: { code: string } }).value;
    });
    const booth = new SimulatedDevice(studio.url);
    expect((await booth.enrol(made.code, 'kiosk')).status).toBe(200);
    const lead = booth.lead(new Date().toISOString(), {
      id: 'lead-e2e-1',
      email: 'vera@expo.example',
      consentVersion: 'v1',
      viewedItems: [],
    });
    expect((await booth.send([lead])).status).toBe(200);
    await page.getByRole('button', { name: 'Retry now' }).click();
    const row = page
      .getByRole('table', { name: 'Forwarded records' })
      .getByRole('row')
      .filter({ hasText: 'Harbour Expo' });
    await expect(row).toContainText('Sent');
    expect(crm.records.map((r) => r.idempotencyKey)).toEqual([lead.idempotencyKey]);
    await expect(page.getByText('vera@expo.example')).toHaveCount(0);
  } finally {
    await crm.close();
  }
});
