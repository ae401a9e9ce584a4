/**
 * Office decks and recordings from marketing's folder to the rep's screen: a .pptx with speaker
 * notes and a hidden slide, an MP3 and a QuickTime clip, published with `pitchcase publish` from a
 * plain folder (no catalogue) and synced into a fresh profile. The rep finds a slide by its words
 * and lands on it, presents it with its notes in the presenter view and none on the audience
 * screen, never meets the hidden slide, and plays the recording and the converted video.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Locator } from '@playwright/test';
import { callApi } from './api';
import { keygen, type KeyPair } from './channel-release';
import { expect, test } from './fixtures';
import { AudiencePage, PresenterViewPage } from './pages/audience-page';
import { PresentingPage } from './pages/presenting-page';
import { SyncPage } from './pages/sync-page';
import { findFfmpeg, generateMedia } from '../support/ffmpeg.ts';
import { findOffice, makeDeck } from '../support/office.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');

const office = findOffice();
const media = findFfmpeg();
const missing = 'reason' in office ? office.reason : 'reason' in media ? media.reason : '';

const deck = 'brightwater-pitch';
// A folder without a catalogue names its items after their paths.
const recording = 'media-founder-welcome';
const clip = 'media-plant-tour';
const pricingNotes = 'Mention the volume discount then the pilot offer';

test.describe('Office decks and recordings published from a folder', () => {
  test.skip(missing !== '', missing);
  // One publish (LibreOffice and ffmpeg) for every test here; each test syncs its own profile.
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  let workDir: string;
  let release: { url: string; key: KeyPair };

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-office-e2e-'));
    const source = path.join(workDir, 'source');
    await mkdir(path.join(source, 'media'), { recursive: true });
    await writeFile(
      path.join(source, `${deck}.pptx`),
      await makeDeck([
        { title: 'Why Brightwater', body: 'Reverse osmosis without the waste', notes: 'Ask about their filters' },
        { title: 'Internal margins', body: 'Margin table for partners', notes: 'Never show this', hidden: true },
        { title: 'Pricing tiers', body: 'Starter, growth and fleet plans', notes: pricingNotes },
        { title: 'Next steps', body: 'A pilot at one plant' },
      ]),
    );
    const { ffmpeg } = media as { ffmpeg: string };
    generateMedia(ffmpeg, path.join(source, 'media', 'founder-welcome.mp3'), [
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=3',
      '-c:a',
      'libmp3lame',
    ]);
    generateMedia(ffmpeg, path.join(source, 'media', 'plant-tour.mov'), [
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=3:size=320x240:rate=15',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=3',
      '-c:v',
      'mpeg4',
      '-c:a',
      'aac',
      '-shortest',
    ]);
    const key = await keygen(path.join(workDir, 'key'));
    const dir = path.join(workDir, 'release');
    await run(process.execPath, [cli, 'publish', source, '--out', dir, '--key', key.privateKey], {
      cwd: repoRoot,
      timeout: 240_000,
    });
    release = { url: pathToFileURL(dir).href, key };
  });

  test.afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test.beforeEach(async ({ home, page }) => {
    const sync = new SyncPage(page);
    await home.open();
    await sync.openFromChip();
    await sync.configure({ url: release.url, publicKey: release.key.publicKeyPem, autoApply: false });
    await sync.checkNowAndWait();
    await sync.applyButton.click();
    await expect(sync.stateLabel).toHaveText('Up to date');
    await sync.close();
    await expect(home.card(deck)).toBeVisible();
  });

  test("a slide's words find it and open the deck on that slide; the hidden slide is not there", async ({
    page,
    search,
    viewer,
  }) => {
    await search.openWithSlash();
    await search.typeQuery('growth fleet plans');
    await search.expectAnswered('growth fleet plans');
    const hit = search.pageHitsOf(deck).first();
    await expect(hit).toHaveAttribute('data-page', '2');
    await expect(hit).toContainText('Pricing tiers');
    await hit.click();
    await expect(viewer.pdf).toHaveAttribute('data-item-id', deck);
    await viewer.expectRenderedPage(2);
    // Three slides of four: the hidden one was left out of the PDF, its pages and its words.
    await expect(viewer.pageIndicator).toHaveText(/2 \/ 3$/);
    const item = await callApi<{ pageCount: number; pages: { title: string }[] }>(page, 'getItem', { id: deck });
    expect(item.pages.map((p) => p.title)).toEqual(['Why Brightwater', 'Pricing tiers', 'Next steps']);

    await viewer.backButton.click();
    await search.openWithSlash();
    await search.input.fill('margin table partners');
    await search.expectAnswered('margin table partners');
    await expect(search.result(deck)).toHaveCount(0);
  });

  test("the presenter view shows the slide's speaker notes and the audience screen never does", async ({
    home,
    page,
    context,
  }) => {
    const presenting = new PresentingPage(page);
    const view = new PresenterViewPage(page);
    await home.open();
    const pitch = await callApi<{ id: string }>(page, 'savePitch', {
      name: 'Marston Brewery',
      steps: [
        { itemId: deck, page: 2, note: '' },
        { itemId: deck, page: 3, note: '' },
      ],
    });
    await page.evaluate((id) => (location.hash = `#/present/${encodeURIComponent(id)}`), pitch.id);
    await presenting.expectSlide(deck, 2);
    await page.keyboard.press('v');
    await expect(view.root).toBeVisible();
    const speakerNotes: Locator = view.root.getByTestId('presenter-speaker-notes');
    await expect(speakerNotes).toHaveText(pricingNotes);

    const [audienceTab] = await Promise.all([context.waitForEvent('page'), view.openAudienceWindow.click()]);
    const audience = new AudiencePage(audienceTab);
    await audience.expectSlide(deck, 2);
    const shown = await audience.documentText();
    expect(shown).not.toContain('volume discount');
    expect(shown).not.toContain('pilot offer');

    // The next slide has no notes: the presenter view says so, and still nothing reaches the audience.
    await page.keyboard.press('PageDown');
    await presenting.expectSlide(deck, 3);
    await audience.expectSlide(deck, 3);
    await expect(speakerNotes).toHaveCount(0);
    await expect(view.notes).toHaveText('No notes for this step.');
    expect(await audience.documentText()).not.toContain('Ask about their filters');
  });

  test('a recording opens on a player screen and plays; the converted video plays with its poster and length', async ({
    home,
    page,
  }) => {
    await home.openItem(recording);
    const player = page.getByTestId('audio-player');
    await expect(page.getByTestId('audio-viewer')).toHaveAttribute('data-item-id', recording);
    await expect(player).toBeVisible();
    const played = async (element: Locator) =>
      element.evaluate(async (media: HTMLMediaElement) => {
        // Muted, so the browser's autoplay rule lets a test start it without a tap.
        media.muted = true;
        await media.play();
        await new Promise<void>((resolve) => media.addEventListener('timeupdate', () => resolve(), { once: true }));
        return { duration: media.duration, time: media.currentTime, error: media.error?.code ?? null };
      });
    const sound = await played(player);
    expect(sound.error).toBeNull();
    expect(sound.duration).toBeGreaterThan(2.5);
    expect(sound.duration).toBeLessThan(3.5);

    await page.getByTestId('back-button').click();
    await home.openItem(clip);
    const video = page.getByTestId('video-player');
    await expect(video).toBeVisible();
    const poster = await video.getAttribute('poster');
    expect(poster).toBeTruthy();
    const posterSize = await page.evaluate(async (src) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      return { width: image.naturalWidth, height: image.naturalHeight };
    }, poster!);
    expect(posterSize).toEqual({ width: 320, height: 240 });
    const moving = await played(video);
    expect(moving.error).toBeNull();
    expect(moving.duration).toBeGreaterThan(2.5);
    expect(moving.duration).toBeLessThan(3.5);
    expect(await video.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([320, 240]);
  });
});
