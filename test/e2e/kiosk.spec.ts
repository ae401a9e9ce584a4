/**
 * The trade-show kiosk through the browser host on a kiosk profile, with Playwright's clock
 * standing in for the minutes a booth waits: attract loop, a visitor's session, the idle
 * warning, the lead form with its consent, and the reset that leaves no trace for the next one.
 */
import type { Page, Request } from '@playwright/test';
import type { UsageReport } from '#shared/presenting';
import { callApi } from './api';
import { expect, KIOSK_STAFF_PIN, test } from './fixtures';

/** Every call of a contract method the page makes from now on. */
function callsTo(page: Page, method: string): Request[] {
  const calls: Request[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/${method}`) calls.push(request);
  });
  return calls;
}

function apiRequest(page: Page, method: string): Promise<Request> {
  return page.waitForRequest((request) => new URL(request.url()).pathname === `/api/${method}`);
}

async function visitorTraces(page: Page) {
  return page.evaluate(() => ({ session: sessionStorage.length, local: localStorage.length, hash: location.hash }));
}

test.describe('kiosk', () => {
  test('attract loop, browse, idle warning, lead with consent, and a clean start for the next visitor', async ({
    page,
    kiosk,
  }) => {
    await page.clock.install();
    await kiosk.open();

    // The loop moves on by itself (its slides appear once the kiosk's items have loaded).
    await expect(kiosk.attract).toHaveAttribute('data-slide', 'trade-show-banner');
    await page.clock.fastForward('00:09');
    await expect(kiosk.attract).toHaveAttribute('data-slide', 'aquacore-500-photo');

    // A touch starts a visitor's session on the kiosk home, with kiosk items only.
    const started = apiRequest(page, 'startVisitorSession');
    await kiosk.touchToStart();
    await started;
    await expect(kiosk.card('aquacore-500-brochure')).toBeVisible();
    await expect(kiosk.card('price-sheet-2026')).toHaveCount(0);
    await expect(kiosk.card('competitive-comparison')).toHaveCount(0);

    // Search, then open an item in the app's own viewer; the view is recorded.
    await kiosk.searchInput.fill('brochure');
    await expect(kiosk.card('flowsense-tour')).toHaveCount(0);
    const view = apiRequest(page, 'recordVisitorView');
    await kiosk.card('aquacore-500-brochure').click();
    await expect(page.getByTestId('pdf-viewer')).toHaveAttribute('data-rendered-page', '1');
    expect((await view).postDataJSON()).toMatchObject({ itemId: 'aquacore-500-brochure' });
    // Whatever the visitor's pages might leave in web storage must not outlive the visit.
    await page.evaluate(() => {
      sessionStorage.setItem('visitor', 'Ana');
      localStorage.setItem('visitor', 'Ana');
    });
    await kiosk.viewerBack.click();
    await expect(kiosk.home).not.toHaveAttribute('inert');

    // 45 s without input: "Still there?" counts down; a touch continues the same visit.
    await page.clock.fastForward('00:46');
    await expect(kiosk.idleWarning).toBeVisible();
    await expect(kiosk.idleCountdown).toHaveText(/^Resetting in 1[0-5]…$/);
    await kiosk.idleWarning.click();
    await expect(kiosk.idleWarning).toBeHidden();
    await expect(kiosk.searchInput).toHaveValue('brochure');

    // The lead form: without consent the lead is blocked, with a message at the box.
    const captures = callsTo(page, 'captureLead');
    await kiosk.openForm();
    await expect(kiosk.consent).not.toBeChecked();
    await expect(page.getByTestId('consent-text')).toContainText('I agree that the company may store these details');
    await kiosk.fill({
      firstName: 'Ana',
      lastName: 'Novak',
      email: 'ana.novak@marston.example',
      company: 'Marston Brewery',
      note: 'Two sites',
    });
    await kiosk.interestChips.filter({ hasText: 'FlowSense' }).click();
    await kiosk.sendViewed.check();
    // No rating on the visitor's form: staff qualify leads behind the PIN.
    await expect(page.getByTestId('staff-toggle')).toHaveCount(0);
    await kiosk.submit.click();
    await expect(kiosk.consentError).toHaveText('Please tick the box to agree, so we may contact you');
    await expect(kiosk.consent).toBeFocused();
    await expect(kiosk.thankYou).toHaveCount(0);
    expect(captures).toHaveLength(0);
    await expect(kiosk.field('firstName')).toHaveValue('Ana');

    // With consent: committed, then thanked by name.
    await kiosk.consent.check();
    await expect(kiosk.consentError).toHaveCount(0);
    const captured = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/captureLead');
    await kiosk.submit.click();
    const response = await captured;
    expect(await response.json()).toMatchObject({ ok: true, value: { leadId: expect.any(String) } });
    expect(response.request().postDataJSON()).toMatchObject({
      fields: {
        firstName: 'Ana',
        lastName: 'Novak',
        email: 'ana.novak@marston.example',
        company: 'Marston Brewery',
        note: 'Two sites',
      },
      interests: ['FlowSense'],
      consent: { given: true, version: '2026-01' },
      sendViewed: true,
    });
    await expect(page.getByTestId('thank-you-message')).toHaveText("Thanks, Ana — we'll be in touch");

    // About 8 s later the kiosk resets by itself: the session ends as "done".
    const ended = apiRequest(page, 'endVisitorSession');
    await page.clock.fastForward('00:09');
    await kiosk.expectAttract();
    expect((await ended).postDataJSON()).toMatchObject({ reason: 'done' });

    // The next visitor finds no trace of Ana.
    expect(await visitorTraces(page)).toEqual({ session: 0, local: 0, hash: '#/' });
    await kiosk.touchToStart();
    await expect(kiosk.searchInput).toHaveValue('');
    await expect(kiosk.card('flowsense-tour')).toBeVisible();
    await kiosk.openForm();
    const values = await kiosk.formValues();
    expect(values.length).toBeGreaterThanOrEqual(4);
    expect(values.every((value) => value === '')).toBe(true);
    await expect(kiosk.consent).not.toBeChecked();
    await expect(kiosk.sendViewed).not.toBeChecked();
    await expect(kiosk.interestChips.and(page.locator('[aria-pressed="true"]'))).toHaveCount(0);
    await expect(page.getByTestId('staff-rate-hot')).toHaveCount(0);
  });

  test('search finds page text through a typo, opens the item on that page, and logs what found nothing for marketing', async ({
    page,
    kiosk,
  }) => {
    await kiosk.open();
    await kiosk.touchToStart();

    // "sediment" mistyped on the touch keyboard: the engine still finds the brochure's page 2.
    await kiosk.type('sedimant filter');
    await expect(kiosk.results).toHaveAttribute('data-query', 'sedimant filter');
    await expect(kiosk.results.getByTestId('item-card').first()).toHaveAttribute(
      'data-item-id',
      'aquacore-200-brochure',
    );
    const hit = kiosk.pageHit('aquacore-200-brochure', 2);
    await expect(hit.locator('mark').first()).toBeVisible();
    await hit.click();
    await expect(page.getByTestId('pdf-viewer')).toHaveAttribute('data-rendered-page', '2');
    await kiosk.viewerBack.click();
    await expect(kiosk.home).not.toHaveAttribute('inert');

    // Nothing matches: the visitor is told so, and the settled query is logged as a kiosk search.
    await kiosk.searchInput.fill('');
    const settled = page.waitForResponse((response) => {
      const sent = response.request().postDataJSON() as { query?: string; record?: boolean } | null;
      return (
        new URL(response.url()).pathname === '/api/search' && sent?.record === true && sent.query === 'xylophone rental'
      );
    });
    await kiosk.type('xylophone rental');
    await expect(kiosk.noResults).toBeVisible();
    expect(await (await settled).json()).toMatchObject({ ok: true, value: { items: [] } });
    // The usage report is staff's on a kiosk: unlock as staff would.
    await callApi(page, 'unlockKiosk', { pin: KIOSK_STAFF_PIN });
    const report = await callApi<UsageReport>(page, 'getUsageReport', {});
    expect(report.zeroResultSearches).toContainEqual(
      expect.objectContaining({ query: 'xylophone rental', scope: 'kiosk' }),
    );
  });

  test('left alone, the countdown runs out: the session ends as idle and the attract loop returns', async ({
    page,
    kiosk,
  }) => {
    await page.clock.install();
    await kiosk.open();
    await kiosk.touchToStart();
    await kiosk.searchInput.fill('flowsense');
    await kiosk.openForm();
    await kiosk.fill({ firstName: 'Bo', email: 'bo@example.com' });
    await page.evaluate(() => sessionStorage.setItem('draft', 'Bo'));

    await page.clock.fastForward('00:46');
    await expect(kiosk.idleWarning).toBeVisible();
    const ended = apiRequest(page, 'endVisitorSession');
    await page.clock.fastForward('00:16');
    await kiosk.expectAttract();
    expect((await ended).postDataJSON()).toMatchObject({ reason: 'idle' });
    expect(await visitorTraces(page)).toEqual({ session: 0, local: 0, hash: '#/' });

    await kiosk.touchToStart();
    await expect(kiosk.searchInput).toHaveValue('');
    await kiosk.openForm();
    await expect(kiosk.field('firstName')).toHaveValue('');
    await expect(kiosk.field('email')).toHaveValue('');
  });

  test('"Done" ends the visit at once', async ({ page, kiosk }) => {
    await kiosk.open();
    await kiosk.touchToStart();
    const ended = apiRequest(page, 'endVisitorSession');
    await kiosk.done.click();
    await kiosk.expectAttract();
    expect((await ended).postDataJSON()).toMatchObject({ reason: 'done' });
  });

  test("a send that fails keeps everything the visitor typed; the core's messages show at their fields", async ({
    page,
    kiosk,
  }) => {
    await kiosk.open();
    await kiosk.touchToStart();
    await kiosk.openForm();
    await kiosk.fill({ firstName: 'Ana', lastName: 'Novak', email: 'ana@marston.example', company: 'Marston Brewery' });
    await kiosk.interestChips.first().click();
    await kiosk.consent.check();

    // The core cannot be reached.
    await page.route('**/api/captureLead', (route) => route.abort('connectionrefused'));
    await kiosk.submit.click();
    await expect(page.getByTestId('lead-failure')).toContainText('Nothing you typed is lost');
    await expect(kiosk.submit).toBeEnabled();
    await expect(kiosk.field('firstName')).toHaveValue('Ana');
    await expect(kiosk.field('email')).toHaveValue('ana@marston.example');
    await expect(kiosk.consent).toBeChecked();
    await expect(kiosk.interestChips.first()).toHaveAttribute('aria-pressed', 'true');

    // The core refuses a field: its message shows like the form's own.
    await page.unroute('**/api/captureLead');
    await page.route('**/api/captureLead', (route) =>
      route.fulfill({
        json: { ok: true, value: { errors: [{ field: 'email', message: 'This e-mail address cannot receive mail' }] } },
      }),
    );
    await kiosk.submit.click();
    await expect(kiosk.fieldError('email')).toHaveText('This e-mail address cannot receive mail');
    await expect(kiosk.field('email')).toBeFocused();
    await expect(kiosk.field('email')).toHaveAttribute('aria-invalid', 'true');

    // While the send is under way the button shows it and cannot be pressed twice.
    await page.unroute('**/api/captureLead');
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/captureLead', async (route) => {
      await held;
      await route.continue();
    });
    await kiosk.field('email').fill('ana.novak@marston.example');
    await kiosk.submit.click();
    await expect(kiosk.submit).toBeDisabled();
    await expect(kiosk.submit).toHaveText('Sending…');
    release();
    await expect(page.getByTestId('thank-you-message')).toHaveText("Thanks, Ana — we'll be in touch");
    // A touch ends the thank-you at once.
    await kiosk.thankYou.click();
    await kiosk.expectAttract();
  });

  test('missing required fields and a malformed e-mail are named at their fields', async ({ kiosk }) => {
    await kiosk.open();
    await kiosk.touchToStart();
    await kiosk.openForm();
    await kiosk.fill({ email: 'ana@' });
    await kiosk.submit.click();
    await expect(kiosk.fieldError('firstName')).toHaveText('First name is required');
    await expect(kiosk.fieldError('company')).toHaveText('Company is required');
    await expect(kiosk.fieldError('email')).toHaveText('Enter an e-mail address like name@company.com');
    await expect(kiosk.field('firstName')).toBeFocused();
    await expect(kiosk.leadForm).toHaveAttribute('autocomplete', 'off');
    await expect(kiosk.field('email')).toHaveAttribute('inputmode', 'email');
    // Fixing a field clears its message as the visitor types.
    await kiosk.field('firstName').fill('Ana');
    await expect(kiosk.fieldError('firstName')).toHaveCount(0);
  });
});
