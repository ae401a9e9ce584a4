/**
 * The browser host and the real Studio, nothing faked between them: an admin publishes a PDF
 * and makes a rep's code in Studio; on the device's first run, "Connect to your company" takes
 * Studio's address and the code as a person types it; the device gets Studio's release through
 * the channel the enrolment gave it, and Studio's Devices list shows the device.
 */
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
});
