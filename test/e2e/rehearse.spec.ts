/**
 * Rehearsing, end to end in Chromium with a fake microphone (its own launch flags, this file
 * only): pick a prompt, record against the countdown, play back, record again, keep the best,
 * and after a reload the takes and the best one are still there. The kiosk and the audience
 * screen never ask for the microphone, and a kiosk's page may not use it at all.
 */
import type { Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.mjs';
import { callApi } from './api';
import { expect, test } from './fixtures';
import { RehearsePage } from './pages/rehearse-page';

test.use({
  // A generated tone for a microphone, and every permission prompt answered yes: if a page
  // that must not record ever asked, it would be granted, and the counts below would see it.
  launchOptions: chromiumLaunchOptions(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']),
});

/** Counts every getUserMedia call and microphone permission query the page makes. */
async function watchMicrophone(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { microphoneAsks: number };
    w.microphoneAsks = 0;
    const media = navigator.mediaDevices;
    if (media?.getUserMedia) {
      const original = media.getUserMedia.bind(media);
      media.getUserMedia = (constraints) => {
        w.microphoneAsks++;
        return original(constraints);
      };
    }
    const query = navigator.permissions.query.bind(navigator.permissions);
    navigator.permissions.query = (descriptor) => {
      if (descriptor.name === ('microphone' as PermissionName)) w.microphoneAsks++;
      return query(descriptor);
    };
  });
}

const microphoneAsks = (page: Page) =>
  page.evaluate(() => (window as unknown as { microphoneAsks: number }).microphoneAsks);

/** Whether the page's Permissions-Policy lets it use the microphone at all. */
const microphoneAllowed = (page: Page) =>
  page.evaluate(() => {
    const policy = (document as unknown as { featurePolicy?: { allowsFeature(f: string): boolean } }).featurePolicy;
    return policy ? policy.allowsFeature('microphone') : null;
  });

test('record, play back, record again, keep the best, and find it all after a reload', async ({ page, app }) => {
  await watchMicrophone(page);
  const rehearse = new RehearsePage(page);
  await page.goto(app.url);
  await rehearse.openFromTopBar();
  await rehearse.pick('aquacore-500-twin-train');
  await expect(page).toHaveURL(/#\/rehearse\/aquacore-500-twin-train$/);
  await expect(rehearse.keyMessages).toHaveText([
    'two reverse osmosis trains share pre-treatment and UV-C',
    'one train keeps running while the other is serviced',
    'no lost production during a membrane change',
  ]);
  await expect(rehearse.limit).toHaveText('Time limit: 1:00');
  expect(await microphoneAllowed(page)).toBe(true);

  await rehearse.recordFor('1:00', 2);
  const first = rehearse.take(0);
  await first.getByTestId('take-play').click();
  const audio = first.getByTestId('take-audio');
  await expect(audio).toBeVisible();
  // The take's bytes came back from the profile and the browser decodes them as audio.
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.readyState)).toBeGreaterThanOrEqual(1);
  expect(await audio.evaluate((el: HTMLAudioElement) => el.error)).toBeNull();

  await rehearse.recordFor('1:00', 2);
  await expect(rehearse.takes).toHaveCount(2);
  // Keep the first take (now the older, second in the list) as the best.
  await rehearse.take(1).getByTestId('take-best').click();
  await expect(rehearse.take(1)).toHaveAttribute('data-best', 'true');
  await expect(rehearse.take(0)).not.toHaveAttribute('data-best', 'true');
  expect(await microphoneAsks(page)).toBe(2);

  await page.reload();
  await expect(rehearse.screen).toBeVisible();
  await expect(rehearse.takes).toHaveCount(2);
  await expect(rehearse.take(1)).toHaveAttribute('data-best', 'true');
  await expect(page.getByTestId('prompt-aquacore-500-twin-train')).toContainText('2 takes · best kept');
  const takes = await callApi<{ durationMs: number; size: number }[]>(page, 'listRehearsalTakes', {
    promptId: 'aquacore-500-twin-train',
  });
  for (const take of takes) {
    expect(take.durationMs).toBeGreaterThanOrEqual(2000);
    expect(take.size).toBeGreaterThan(0);
  }
});

test('the kiosk never asks for the microphone, may not use it, and has no Rehearse', async ({ page, kioskApp }) => {
  await watchMicrophone(page);
  const response = await page.goto(kioskApp.url);
  expect(response?.headers()['permissions-policy']).toContain('microphone=()');
  await expect(page.getByTestId('nav-rehearse')).toHaveCount(0);
  expect(await microphoneAllowed(page)).toBe(false);
  expect(await microphoneAsks(page)).toBe(0);
  // Even a script in the page is refused by the policy, with the fake UI saying yes to anything.
  const attempt = await page.evaluate(() =>
    navigator.mediaDevices.getUserMedia({ audio: true }).then(
      () => 'granted',
      (error: Error) => error.name,
    ),
  );
  expect(attempt).toBe('NotAllowedError');
  await expect(callApi(page, 'listPracticePrompts', {})).rejects.toThrow(/not a kiosk/);
});

test('the audience screen never asks for the microphone', async ({ page, app }) => {
  await watchMicrophone(page);
  await page.goto(`${app.url}#/audience/e2e-session`);
  await expect(page.getByTestId('audience')).toHaveAttribute('data-session', 'e2e-session');
  await expect(page.getByTestId('nav-rehearse')).toHaveCount(0);
  expect(await microphoneAsks(page)).toBe(0);
});
