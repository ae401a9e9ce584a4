/**
 * The README's kiosk screenshot, at a booth screen's 1920x1080. Opt-in, because it rewrites
 * resources/screenshots/kiosk.png: `PITCHCASE_SCREENSHOTS=1 npx playwright test --project=browser kiosk-screenshots`.
 * PITCHCASE_KIOSK_SHOTS=<dir> also saves the other kiosk screens there, for review.
 */
import path from 'node:path';
import { expect, KIOSK_STAFF_PIN, test } from './fixtures';

const outDir = path.resolve(import.meta.dirname, '..', '..', 'resources', 'screenshots');
const reviewDir = process.env.PITCHCASE_KIOSK_SHOTS;

test.describe('README kiosk screenshot', () => {
  test.skip(!process.env.PITCHCASE_SCREENSHOTS, 'set PITCHCASE_SCREENSHOTS=1 to refresh resources/screenshots');
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('kiosk home', async ({ page, kiosk }) => {
    const settled = () =>
      page.waitForFunction(() =>
        document
          .getAnimations()
          .every(
            (animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity,
          ),
      );
    const review = async (name: string) => {
      if (reviewDir) await page.screenshot({ path: path.join(reviewDir, `${name}.png`) });
    };
    await page.clock.install();
    await kiosk.open();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="attract-loop"] img')].every((img) => img.complete),
    );
    await settled();
    await review('attract');
    await page.clock.fastForward('00:17');
    await expect(kiosk.attract).toHaveAttribute('data-slide', 'flowsense-tour');
    await settled();
    await review('attract-video');

    await kiosk.touchToStart();
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="item-card"] img')].every((img) => img.complete),
    );
    await settled();
    await page.screenshot({ path: path.join(outDir, 'kiosk.png') });

    await kiosk.card('aquacore-500-brochure').click();
    await expect(page.getByTestId('pdf-viewer')).toHaveAttribute('data-rendered-page', '1');
    await settled();
    await review('viewer');
    await kiosk.viewerBack.click();

    await kiosk.openForm();
    await kiosk.fill({ firstName: 'Ana', email: 'ana@' });
    await kiosk.interestChips.first().click();
    await kiosk.submit.click();
    await expect(kiosk.consentError).toBeVisible();
    await settled();
    await review('lead-form');

    await page.clock.fastForward('00:50');
    await expect(kiosk.idleWarning).toBeVisible();
    await settled();
    await review('idle-warning');
    await kiosk.idleWarning.click();

    await kiosk.fill({ lastName: 'Novak', email: 'ana.novak@marston.example', company: 'Marston Brewery' });
    await kiosk.consent.check();
    await kiosk.submit.click();
    await expect(kiosk.thankYou).toBeVisible();
    await review('thank-you');
  });

  test("staff screen: today's leads, one qualified", async ({ page, kiosk }) => {
    await page.clock.install();
    await kiosk.open();
    // Staff name the show first, so the leads that follow are filed under it.
    await kiosk.unlockStaff(KIOSK_STAFF_PIN);
    await kiosk.staffEventInput.fill('Brau Beviale 2026');
    await kiosk.staffEventSave.click();
    await expect(kiosk.staffEventName).toHaveText('Brau Beviale 2026');
    await kiosk.staffLock.click();
    await kiosk.expectAttract();
    await kiosk.leaveLead(
      { firstName: 'Ana', lastName: 'Novak', email: 'ana.novak@marston.example', company: 'Marston Brewery' },
      ['aquacore-500-brochure', 'aquacore-200-brochure'],
    );
    await kiosk.leaveLead(
      { firstName: 'Jonas', lastName: 'Weber', email: 'j.weber@kloster.example', company: 'Klosterbräu' },
      ['aquacore-500-brochure'],
    );
    await kiosk.unlockStaff(KIOSK_STAFF_PIN);
    const ana = kiosk.staffLead('Ana Novak');
    await ana.getByTestId('staff-rate-hot').click();
    await ana.getByTestId('staff-lead-note').fill('Wants a quote for two lines');
    await ana.getByTestId('staff-lead-save').click();
    await expect(ana.getByTestId('staff-lead-saved')).toBeVisible();
    await expect(kiosk.staffTotal).toHaveText('2');
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .every(
          (animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity,
        ),
    );
    await page.screenshot({ path: path.join(outDir, 'kiosk-staff.png') });
  });
});
