import type { FrameLocator, Locator, Page } from '@playwright/test';

/**
 * Glossary terms underlined in running text: in search results (the app's own popover) and
 * inside a microsite's frame (the popover our injected script draws there).
 */
export class GlossaryTermsPage {
  readonly popover: Locator;
  readonly popoverDefinition: Locator;
  readonly popoverClose: Locator;
  readonly frame: FrameLocator;
  readonly framePopover: Locator;

  constructor(readonly page: Page) {
    this.popover = page.getByTestId('glossary-popover');
    this.popoverDefinition = page.getByTestId('glossary-popover-definition');
    this.popoverClose = page.getByTestId('glossary-popover-close');
    this.frame = page.frameLocator('[data-testid="microsite-frame"]');
    // Playwright's CSS reaches into the popover's open shadow root.
    this.framePopover = this.frame.locator('pitchcase-definition');
  }

  /** Underlined terms inside `scope` naming the entry `entryId`. */
  termsIn(scope: Locator, entryId: string): Locator {
    return scope.locator(`[data-testid="glossary-term"][data-entry-id="${entryId}"]`);
  }

  frameTerms(entryId: string): Locator {
    return this.frame.locator(`pitchcase-term[data-pitchcase-term="${entryId}"]`);
  }

  framePopoverText(): Locator {
    return this.framePopover.locator('p');
  }

  framePopoverClose(): Locator {
    return this.framePopover.locator('button');
  }
}
