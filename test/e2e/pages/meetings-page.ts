import { expect, type Locator, type Page } from '@playwright/test';

/** Meetings saved for later and the wrap-up's CRM pickers and follow-up. */
export class MeetingsPage {
  readonly navMeetings: Locator;
  readonly list: Locator;
  readonly cards: Locator;
  readonly wrapUp: Locator;

  constructor(readonly page: Page) {
    this.navMeetings = page.getByTestId('nav-meetings');
    this.list = page.getByTestId('meeting-list');
    this.cards = page.getByTestId('meeting-card');
    this.wrapUp = page.getByTestId('wrap-up');
  }

  async open(): Promise<void> {
    await this.navMeetings.click();
    await expect(this.list).toBeVisible();
  }

  card(meetingId: string): Locator {
    return this.list.locator(`[data-testid="meeting-card"][data-meeting-id="${meetingId}"]`);
  }

  async complete(meetingId: string): Promise<void> {
    await this.card(meetingId).getByTestId('meeting-open').click();
    await expect(this.wrapUp).toHaveAttribute('data-meeting-id', meetingId);
  }

  picker(kind: 'account' | 'contact' | 'opportunity'): Locator {
    return this.wrapUp.getByTestId(`crm-picker-${kind}`);
  }

  /** Types into a picker and picks the suggestion with this CRM id. */
  async pick(kind: 'account' | 'contact' | 'opportunity', typed: string, crmId: string): Promise<void> {
    const picker = this.picker(kind);
    await picker.getByRole('combobox').fill(typed);
    const option = picker.locator(`[data-testid="crm-option"][data-crm-id="${crmId}"]`);
    await expect(option).toBeVisible();
    await option.click();
    await expect(picker).toHaveAttribute('data-picked-id', crmId);
  }

  field(label: string): Locator {
    return this.wrapUp.getByLabel(label, { exact: true });
  }
}
