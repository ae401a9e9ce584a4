import { expect, type Locator, type Page } from '@playwright/test';
import type { KioskConfig } from '#shared/kiosk';
import { callApi } from '../api';

/** The trade-show kiosk: attract loop, kiosk home, idle warning, lead form, thank-you. */
export class KioskPage {
  readonly attract: Locator;
  readonly attractCta: Locator;
  readonly home: Locator;
  readonly cards: Locator;
  readonly searchInput: Locator;
  readonly results: Locator;
  readonly noResults: Locator;
  readonly getInTouch: Locator;
  readonly done: Locator;
  readonly idleWarning: Locator;
  readonly idleCountdown: Locator;
  readonly leadForm: Locator;
  readonly consent: Locator;
  readonly consentError: Locator;
  readonly submit: Locator;
  readonly interestChips: Locator;
  readonly sendViewed: Locator;
  readonly thankYou: Locator;
  readonly backToBrowsing: Locator;
  readonly viewerBack: Locator;
  readonly staffPad: Locator;
  readonly staffPadTitle: Locator;
  readonly staffPadMessage: Locator;
  readonly staffScreen: Locator;
  readonly staffTotal: Locator;
  readonly staffUndelivered: Locator;
  readonly staffExport: Locator;
  readonly staffExportResult: Locator;
  readonly staffLock: Locator;
  readonly staffLeads: Locator;
  readonly staffEventInput: Locator;
  readonly staffEventSave: Locator;
  readonly staffEventName: Locator;
  readonly exportPanel: Locator;
  readonly exportTypedChoice: Locator;
  readonly exportFolder: Locator;
  readonly exportSave: Locator;

  constructor(
    readonly page: Page,
    private readonly app: { url: string },
  ) {
    this.attract = page.getByTestId('attract-loop');
    this.attractCta = page.getByTestId('attract-cta');
    this.home = page.getByTestId('kiosk-home');
    this.cards = this.home.getByTestId('item-card');
    this.searchInput = page.getByTestId('kiosk-search');
    this.results = page.getByTestId('kiosk-results');
    this.noResults = page.getByTestId('kiosk-no-results');
    this.getInTouch = page.getByTestId('get-in-touch');
    this.done = page.getByTestId('kiosk-done');
    this.idleWarning = page.getByTestId('idle-warning');
    this.idleCountdown = page.getByTestId('idle-countdown');
    this.leadForm = page.getByTestId('lead-form');
    this.consent = page.getByTestId('lead-consent');
    this.consentError = page.getByTestId('lead-error-consent');
    this.submit = page.getByTestId('lead-submit');
    this.interestChips = page.getByTestId('interest-chip');
    this.sendViewed = page.getByTestId('send-viewed');
    this.thankYou = page.getByTestId('thank-you');
    this.backToBrowsing = page.getByTestId('lead-back');
    this.viewerBack = page.getByTestId('back-button');
    this.staffPad = page.getByTestId('staff-pad');
    this.staffPadTitle = page.getByTestId('staff-pad-title');
    this.staffPadMessage = page.getByTestId('staff-pad-message');
    this.staffScreen = page.getByTestId('staff-screen');
    this.staffTotal = page.getByTestId('staff-total');
    this.staffUndelivered = page.getByTestId('staff-undelivered');
    this.staffExport = page.getByTestId('staff-export');
    this.staffExportResult = page.getByTestId('staff-export-result');
    this.staffLock = page.getByTestId('staff-lock');
    this.staffLeads = page.getByTestId('staff-lead');
    this.staffEventInput = page.getByTestId('staff-event-input');
    this.staffEventSave = page.getByTestId('staff-event-save');
    this.staffEventName = page.getByTestId('staff-event-name');
    this.exportPanel = page.getByTestId('staff-export-panel');
    this.exportTypedChoice = page.getByTestId('staff-export-typed-choice');
    this.exportFolder = page.getByTestId('staff-export-folder');
    this.exportSave = page.getByTestId('staff-export-save');
  }

  /** A lead in the staff list, by the name shown. */
  staffLead(name: string): Locator {
    return this.staffLeads.filter({ has: this.page.getByTestId('staff-lead-name').getByText(name, { exact: true }) });
  }

  /** Staff export the list shown to a folder they type (a USB drive's mount point). */
  async exportTo(folder: string): Promise<void> {
    if (!(await this.exportPanel.isVisible())) await this.staffExport.click();
    await expect(this.exportPanel).toBeVisible();
    await this.exportTypedChoice.check();
    await this.exportFolder.fill(folder);
    await this.exportSave.click();
  }

  async open(): Promise<void> {
    await this.page.goto(this.app.url);
    await this.expectAttract();
  }

  async expectAttract(): Promise<void> {
    await expect(this.attract).toBeVisible();
    await expect(this.attractCta).toHaveText(/Touch to explore/);
    await expect(this.home).toHaveCount(0);
  }

  /** A visitor touches the screen: the kiosk home with its cards. */
  async touchToStart(): Promise<void> {
    await this.attract.click({ position: { x: 200, y: 200 } });
    await expect(this.home).toBeVisible();
    await expect(this.cards.first()).toBeVisible();
  }

  card(itemId: string): Locator {
    return this.home.locator(`[data-testid="item-card"][data-item-id="${itemId}"]`);
  }

  /** A page hit under a result card: where the words are in that item. */
  pageHit(itemId: string, page: number): Locator {
    return this.home.locator(`[data-testid="kiosk-page-hit"][data-item-id="${itemId}"][data-page="${page}"]`);
  }

  /** Types into the search box key by key, as a visitor on the touch keyboard does. */
  async type(query: string): Promise<void> {
    await this.searchInput.click();
    await this.searchInput.pressSequentially(query);
    await expect(this.searchInput).toHaveValue(query);
  }

  field(name: string): Locator {
    return this.page.getByTestId(`lead-field-${name}`);
  }

  fieldError(name: string): Locator {
    return this.page.getByTestId(`lead-error-${name}`);
  }

  async openForm(): Promise<void> {
    await this.getInTouch.click();
    await expect(this.leadForm).toBeVisible();
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(fields)) await this.field(name).fill(value);
  }

  /** Every visible text field of the form, with its value. */
  async formValues(): Promise<string[]> {
    return this.leadForm
      .locator('input[type="text"], input[type="email"], input[type="tel"], textarea')
      .evaluateAll((fields) => fields.map((field) => (field as HTMLInputElement).value));
  }

  /**
   * The staff's hidden way in: press and hold the top-left corner for 3 s. Needs Playwright's
   * clock installed (the hold is timed with the page's timers).
   */
  async holdStaffCorner(): Promise<void> {
    await this.page.mouse.move(10, 10);
    await this.page.mouse.down();
    await this.page.clock.fastForward(3000);
    await expect(this.staffPad).toBeVisible();
    await this.page.mouse.up();
  }

  /** A visitor's lead, left through the API as the form would (for screens that need one). */
  async leaveLead(fields: Record<string, string>, views: string[] = []): Promise<void> {
    const config = await callApi<KioskConfig>(this.page, 'getKioskConfig', {});
    const { sessionId } = await callApi<{ sessionId: string }>(this.page, 'startVisitorSession', {});
    for (const itemId of views) await callApi(this.page, 'recordVisitorView', { sessionId, itemId });
    await callApi(this.page, 'captureLead', {
      sessionId,
      fields,
      consent: { given: true, version: config.leadForm.consent.version },
      sendViewed: views.length > 0,
    });
  }

  /** Staff open the staff screen: the corner hold and the PIN (Playwright's clock installed). */
  async unlockStaff(pin: string): Promise<void> {
    await this.holdStaffCorner();
    await this.enterPin(pin);
    await expect(this.staffScreen).toBeVisible();
  }

  /** Types a PIN on the pad's digit buttons and presses OK. */
  async enterPin(pin: string): Promise<void> {
    await expect(this.page.getByTestId('staff-pin-dots')).toHaveAttribute('data-length', '0');
    for (const digit of pin) await this.page.getByTestId(`pin-key-${digit}`).click();
    await expect(this.page.getByTestId('staff-pin-dots')).toHaveAttribute('data-length', String(pin.length));
    await this.page.getByTestId('pin-ok').click();
  }
}
