import { test as base } from '@playwright/test';
import { studioServer, type StudioServer } from '../../support/studio-server';

/**
 * Studio's browser specs: each test gets a Studio of its own (`studio`: `pitchcase studio` on a
 * temporary data folder), stopped and removed after it. The laptop viewport is the `studio`
 * project's (playwright.config.ts).
 */
export const test = base.extend<{ studio: StudioServer }>({ studio: studioServer });
export { expect } from '@playwright/test';
