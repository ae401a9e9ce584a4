/**
 * A kiosk started with `--kiosk` before staff set a PIN shows "Set up by staff" and nothing
 * else: no attract loop, no visitor screens, no PIN pad, and no way for whoever stands at it to
 * set the PIN. Once staff set it with `pitchcase kiosk pin`, "Check again" opens the kiosk.
 */
import { expect, setStaffPin, test } from './fixtures';
import { KioskPage } from './pages/kiosk-page';

test.describe('a kiosk without a staff PIN', () => {
  test('shows only "set up by staff" until staff set the PIN from the command line', async ({
    page,
    unsetKioskApp,
  }) => {
    const kiosk = new KioskPage(page, unsetKioskApp);
    await page.clock.install();
    await page.goto(unsetKioskApp.url);
    const setup = page.getByTestId('kiosk-setup');
    await expect(setup).toBeVisible();
    await expect(setup.getByRole('heading')).toHaveText('Set up by staff');
    await expect(kiosk.attract).toHaveCount(0);
    await expect(kiosk.home).toHaveCount(0);

    // The staff corner does nothing here: there is no pad to set a PIN on.
    await page.mouse.move(10, 10);
    await page.mouse.down();
    await page.clock.fastForward(3000);
    await page.mouse.up();
    await expect(kiosk.staffPad).toHaveCount(0);

    // Nor does the API let the page set one: the kiosk's own window is never staff.
    const refused = await page.request.post(new URL('/api/setKioskPin', page.url()).href, { data: { pin: '1234' } });
    expect(JSON.stringify(await refused.json())).toContain('Staff only');
    await page.getByTestId('kiosk-setup-check').click();
    await expect(page.getByTestId('kiosk-setup-message')).toHaveText('Still no staff PIN on this kiosk');

    await setStaffPin(unsetKioskApp.profileDir, '4821\n');
    await page.getByTestId('kiosk-setup-check').click();
    await kiosk.expectAttract();
    await expect(setup).toHaveCount(0);
  });
});
