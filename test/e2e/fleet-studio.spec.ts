/**
 * The browser host and the real Studio, nothing faked between them: an admin publishes a PDF
 * and makes a rep's code in Studio; on the device's first run, "Connect to your company" takes
 * Studio's address and the code as a person types it; the device gets Studio's release through
 * the channel the enrolment gave it, and Studio's Devices list shows the device.
 */
import { connectRouteHash, readEnrolLink } from '#shared/enrol-link';
import { StudioPage } from '../studio/e2e/studio-page';
import { makePdf } from '../support/release';
import { invite, publishDraft, repCode, setUpAdmin, studioPassword as password } from '../support/studio-server';
import { expect, test } from './fixtures';

test.describe('connect to a real Studio', () => {
  test.describe.configure({ timeout: 120_000 });

  test('first run: the code from Studio enrols the device, Studio’s release arrives, Studio lists the device', async ({
    freshApp,
    studio,
    page,
    context,
  }) => {
    const admin = await setUpAdmin(studio);
    const { editor, approver } = await invite(studio, admin, ['editor', 'approver']);
    const pdf = await makePdf('Lighthouse service plan', ['Service plans at a glance', 'Prices']);
    expect((await editor.client.upload('default', 'lighthouse-service-plan.pdf', pdf)).status).toBe(200);
    await publishDraft(editor.client, approver.client, 'service plan');
    const code = await repCode(admin);

    await page.goto(freshApp.url);
    const dialog = page.getByRole('dialog', { name: 'Connect to your company' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Studio address').fill(studio.url);
    // As read off the admin's screen and typed on a tablet: lower case.
    await dialog.getByLabel('Enrolment code').fill(code.toLowerCase());
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('fleet-connected')).toContainText('Connected as Ana Ortiz · North');
    await page.getByTestId('fleet-continue').click();
    await expect(dialog).toBeHidden();
    // Studio's channel: the release published there arrives on the device.
    await expect(page.getByText(/lighthouse.service.plan/i).first()).toBeVisible({ timeout: 60_000 });

    const studioTab = await context.newPage();
    await studioTab.goto(studio.url);
    await new StudioPage(studioTab).signIn('ada@example.com', password);
    await studioTab.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Fleet' }).click();
    await studioTab.getByRole('navigation', { name: 'Fleet views' }).getByRole('button', { name: 'Devices' }).click();
    const devices = studioTab.getByRole('table', { name: 'Devices' });
    await expect(devices).toContainText('Ana Ortiz');
    await expect(devices).toContainText('North');
  });

  test('an enrolment link from Studio’s page opens the connect screen filled in, and connects only on the rep’s tap', async ({
    freshApp,
    studio,
    page,
  }) => {
    const admin = await setUpAdmin(studio);
    const code = await repCode(admin);

    // The page the QR code opens, and its "Open in Pitchcase" link, as a tablet's browser shows them.
    await page.goto(`${studio.url}/enrol?code=${encodeURIComponent(code)}`);
    const href = await page.getByRole('link', { name: 'Open in Pitchcase' }).getAttribute('href');
    const link = readEnrolLink(href ?? '');
    expect(link).toEqual({ studioUrl: studio.url, code });
    // What the desktop app does with the link Windows hands it: open on the connect route.
    await page.goto(`${freshApp.url}${connectRouteHash(link!)}`);
    const dialog = page.getByRole('dialog', { name: 'Connect to your company' });
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('fleet-link-intro')).toContainText(new URL(studio.url).host);
    await expect(dialog.getByLabel('Studio address')).toHaveValue(studio.url);
    await expect(dialog.getByLabel('Enrolment code')).toHaveValue(code);
    // Only one connect screen, not the first-run one beside it.
    await expect(page.getByRole('dialog', { name: 'Connect to your company' })).toHaveCount(1);
    const devices = await admin.call<unknown[]>('GET', '/api/fleet/devices');
    expect(devices.value).toEqual([]);

    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('fleet-connected')).toContainText('Connected as Ana Ortiz · North');
    await page.getByTestId('fleet-continue').click();
    await expect(dialog).toBeHidden();
    expect((await admin.call<unknown[]>('GET', '/api/fleet/devices')).value).toHaveLength(1);

    // The same link again on a connected device: it says where it is connected and changes nothing.
    await page.goto(`${freshApp.url}${connectRouteHash(link!)}`);
    await expect(page.getByTestId('fleet-link-already')).toContainText(studio.url);
    await page.getByTestId('fleet-link-close').click();
    await expect(page.getByTestId('fleet-link-already')).toBeHidden();
  });
});
