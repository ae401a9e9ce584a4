import { expect, type Locator, type Page } from '@playwright/test';

/** Pitches (list and builder), presenter mode and the meeting wrap-up. */
export class PresentingPage {
  readonly navPitches: Locator;
  readonly list: Locator;
  readonly builder: Locator;
  readonly pitchName: Locator;
  readonly steps: Locator;
  readonly presenter: Locator;
  readonly wrapUp: Locator;
  readonly shownRows: Locator;
  /** The pen's canvas over the stage. */
  readonly ink: Locator;
  /** The wrap-up's "Ink on N pages", its small pages and the one opened large. */
  readonly wrapUpInk: Locator;
  readonly inkPreviews: Locator;
  readonly inkViewer: Locator;

  constructor(readonly page: Page) {
    this.navPitches = page.getByTestId('nav-pitches');
    this.list = page.getByTestId('pitch-list');
    this.builder = page.getByTestId('pitch-builder');
    this.pitchName = page.getByTestId('pitch-name');
    this.steps = page.getByTestId('step-row');
    this.presenter = page.getByTestId('presenter');
    this.wrapUp = page.getByTestId('wrap-up');
    this.shownRows = page.getByTestId('shown-row');
    this.ink = this.presenter.getByTestId('presenter-ink');
    this.wrapUpInk = page.getByTestId('wrap-up-ink');
    this.inkPreviews = page.getByTestId('ink-preview');
    this.inkViewer = page.getByTestId('ink-viewer');
  }

  async openPitches(): Promise<void> {
    await this.navPitches.click();
    await expect(this.list).toBeVisible();
  }

  async newPitch(name: string): Promise<void> {
    await this.list.getByTestId('new-pitch').click();
    await expect(this.builder).toBeVisible();
    await this.pitchName.fill(name);
  }

  pickerItem(itemId: string): Locator {
    return this.builder.locator(`[data-testid="picker-item"][data-item-id="${itemId}"]`);
  }

  /** Opens an item in the builder's library and adds the given pages, in order. */
  async addPages(itemId: string, pages: number[]): Promise<void> {
    const item = this.pickerItem(itemId);
    await item.getByRole('button', { expanded: false }).click();
    for (const page of pages) {
      const before = await this.steps.count();
      await item.locator(`[data-testid="page-pick"][data-page="${page}"]`).click();
      await expect(this.steps).toHaveCount(before + 1);
    }
    await item.getByRole('button', { expanded: true }).click();
  }

  step(index: number): Locator {
    return this.steps.nth(index);
  }

  async save(): Promise<void> {
    await this.builder.getByTestId('save-pitch').click();
    await expect(this.builder).toHaveAttribute('data-dirty', 'false');
    await expect(this.builder).not.toHaveAttribute('data-pitch-id', '');
  }

  async present(): Promise<void> {
    await this.builder.getByTestId('present-pitch').click();
    await expect(this.presenter).toBeVisible();
  }

  /** Waits until the presenter shows this item and page, drawn. */
  async expectSlide(itemId: string, page: number): Promise<void> {
    await expect(this.presenter).toHaveAttribute('data-item-id', itemId);
    await expect(this.presenter).toHaveAttribute('data-page', String(page));
    await expect(this.presenter).toHaveAttribute('data-rendered', 'true');
  }

  /** Turns the pen on and draws one stroke across the stage, from and to points relative to it. */
  async drawStroke(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    const before = Number((await this.ink.getAttribute('data-strokes')) ?? '0');
    if ((await this.presenter.getAttribute('data-pen')) !== 'true') await this.page.keyboard.press('p');
    await expect(this.presenter).toHaveAttribute('data-pen', 'true');
    const box = (await this.ink.boundingBox())!;
    await this.page.mouse.move(box.x + box.width * from.x, box.y + box.height * from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + box.width * to.x, box.y + box.height * to.y, { steps: 5 });
    await this.page.mouse.up();
    await expect(this.ink).toHaveAttribute('data-strokes', String(before + 1));
  }

  field(label: string): Locator {
    return this.wrapUp.getByLabel(label, { exact: true });
  }
}
