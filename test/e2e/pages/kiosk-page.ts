import { expect, type Locator, type Page } from '@playwright/test';

/** The trade-show kiosk: attract loop, kiosk home, idle warning, lead form, thank-you. */
export class KioskPage {
  readonly attract: Locator;
  readonly attractCta: Locator;
  readonly home: Locator;
  readonly cards: Locator;
  readonly searchInput: Locator;
  readonly getInTouch: Locator;
  readonly done: Locator;
  readonly idleWarning: Locator;
  readonly idleCountdown: Locator;
  readonly leadForm: Locator;
  readonly consent: Locator;
  readonly consentError: Locator;
  readonly submit: Locator;
  readonly staffToggle: Locator;
  readonly interestChips: Locator;
  readonly sendViewed: Locator;
  readonly thankYou: Locator;
  readonly backToBrowsing: Locator;
  readonly viewerBack: Locator;

  constructor(
    readonly page: Page,
    private readonly app: { url: string },
  ) {
    this.attract = page.getByTestId('attract-loop');
    this.attractCta = page.getByTestId('attract-cta');
    this.home = page.getByTestId('kiosk-home');
    this.cards = this.home.getByTestId('item-card');
    this.searchInput = page.getByTestId('kiosk-search');
    this.getInTouch = page.getByTestId('get-in-touch');
    this.done = page.getByTestId('kiosk-done');
    this.idleWarning = page.getByTestId('idle-warning');
    this.idleCountdown = page.getByTestId('idle-countdown');
    this.leadForm = page.getByTestId('lead-form');
    this.consent = page.getByTestId('lead-consent');
    this.consentError = page.getByTestId('lead-error-consent');
    this.submit = page.getByTestId('lead-submit');
    this.staffToggle = page.getByTestId('staff-toggle');
    this.interestChips = page.getByTestId('interest-chip');
    this.sendViewed = page.getByTestId('send-viewed');
    this.thankYou = page.getByTestId('thank-you');
    this.backToBrowsing = page.getByTestId('lead-back');
    this.viewerBack = page.getByTestId('back-button');
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
    return this.leadForm.locator('input[type="text"], input[type="email"], input[type="tel"], textarea').evaluateAll((fields) =>
      fields.map((field) => (field as HTMLInputElement).value),
    );
  }
}
