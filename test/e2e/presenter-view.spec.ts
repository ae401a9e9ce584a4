/**
 * Presenter view and audience window in the browser host: the rep switches to the presenter view
 * (current and next page, notes, time, step x of y, hidden pages marked), opens the audience
 * window, and presents by keyboard. The audience window follows every page turn, hidden page,
 * black screen and stroke of the pen, shows nothing but the content, and closes at the end.
 */
import { callApi } from './api';
import { expect, test } from './fixtures';
import { AudiencePage, PresenterViewPage } from './pages/audience-page';
import { PresentingPage } from './pages/presenting-page';

const brochure = 'aquacore-500-brochure';
const deck = 'flowsense-overview-deck';
const notes = [
  'Open with the twin trains: uptime is their pain',
  'Skip the price sheet unless procurement is in the room',
  'Close on the FlowSense pilot',
];

test('presenter view with an audience window: the audience follows the rep and never sees the notes', async ({
  home,
  page,
  context,
}) => {
  const presenting = new PresentingPage(page);
  const view = new PresenterViewPage(page);
  await home.open();
  const pitch = await callApi<{ id: string }>(page, 'savePitch', {
    name: 'Marston Brewery visit',
    steps: [
      { itemId: brochure, page: 2, note: notes[0] },
      { itemId: brochure, page: 4, note: notes[1] },
      { itemId: deck, page: 8, note: notes[2] },
    ],
  });

  await page.evaluate((id) => (location.hash = `#/present/${encodeURIComponent(id)}`), pitch.id);
  await presenting.expectSlide(brochure, 2);
  await expect(presenting.presenter).toHaveAttribute('data-view', 'stage');
  await expect(view.root).toHaveCount(0);

  // The presenter view, on the rep's only screen (V, or the toggle in the controls).
  await page.keyboard.press('v');
  await expect(presenting.presenter).toHaveAttribute('data-view', 'presenter');
  await expect(view.root).toBeVisible();
  await expect(presenting.presenter).toHaveAttribute('data-rendered', 'true');
  await expect(view.step).toHaveText('Step 1 of 3');
  await expect(view.progress).toHaveText('Page 1 / 3');
  await expect(view.notes).toHaveText(notes[0]!);
  await expect(view.elapsed).toHaveText(/^\d+:\d{2}$/);
  await view.expectNext(brochure, 4);
  await expect(view.order).toHaveCount(3);
  // The running order reads as titles and pictures of the pages, not bare page numbers.
  await expect(view.order.nth(0)).toContainText('1. AquaCore 500 brochure');
  await expect(view.order.nth(0)).toContainText('p. 2');
  await expect(view.order.nth(2)).toContainText('3. FlowSense overview deck');
  // A page of a PDF is drawn from the document (releases carry no page thumbnails any more).
  const picture = view.order.nth(2).locator('canvas.page-thumbnail');
  await expect(picture).toHaveClass(/is-drawn/);
  expect(await picture.evaluate((canvas: HTMLCanvasElement) => canvas.width)).toBeGreaterThan(3);

  // The audience window, opened from the presenter view, shows the current page.
  const [audienceTab] = await Promise.all([context.waitForEvent('page'), view.openAudienceWindow.click()]);
  const audience = new AudiencePage(audienceTab);
  await audience.expectSlide(brochure, 2);
  await expect(audience.root).toHaveAttribute('data-status', 'presenting');
  await expect(audience.root).toHaveAttribute(
    'data-session',
    (await presenting.presenter.getAttribute('data-session'))!,
  );
  await expect(presenting.presenter).toHaveAttribute('data-audience', 'browser');

  // A clicker's PageDown: both screens move.
  await page.keyboard.press('PageDown');
  await presenting.expectSlide(brochure, 4);
  await audience.expectSlide(brochure, 4);
  await expect(view.step).toHaveText('Step 2 of 3');
  await expect(view.notes).toHaveText(notes[1]!);
  await view.expectNext(deck, 8);

  // Not for this customer: hidden on the fly, marked in the running order; the audience moves on.
  await page.keyboard.press('h');
  await presenting.expectSlide(deck, 8);
  await audience.expectSlide(deck, 8);
  await expect(view.order.nth(1)).toHaveAttribute('data-hidden', 'true');
  await expect(view.order.nth(0)).toHaveAttribute('data-hidden', 'false');
  await expect(view.progress).toHaveText('Page 2 / 2');
  await expect(view.next).toHaveAttribute('data-item-id', '');

  // Black screen: the audience goes black, the rep still sees their notes.
  await page.keyboard.press('b');
  await expect(audience.root).toHaveAttribute('data-black', 'true');
  await expect(audience.black).toBeVisible();
  await expect(view.black).toBeVisible();
  await expect(view.notes).toHaveText(notes[2]!);
  await page.keyboard.press('b');
  await expect(audience.root).toHaveAttribute('data-black', 'false');
  await expect(audience.black).toHaveCount(0);

  // The pen: a stroke drawn in the presenter view appears on the audience screen.
  await page.keyboard.press('p');
  const box = (await view.ink.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  await expect(view.ink).toHaveAttribute('data-strokes', '1');
  await expect(audience.ink).toHaveAttribute('data-strokes', '1');
  await page.keyboard.press('p');

  // Back one: the hidden page is skipped, on both screens.
  await page.keyboard.press('PageUp');
  await presenting.expectSlide(brochure, 2);
  await audience.expectSlide(brochure, 2);
  await expect(audience.ink).toHaveAttribute('data-strokes', '0');

  // Nothing but the content, ever: no notes, no titles, no controls, no running order.
  const shown = await audience.documentText();
  for (const note of notes) expect(shown).not.toContain(note);
  expect(shown).not.toContain('Marston Brewery visit');
  await expect(audienceTab.getByRole('button')).toHaveCount(0);
  await expect(audienceTab.getByTestId('presenter-notes')).toHaveCount(0);
  await expect(audienceTab.getByTestId('presenter-controls')).toHaveCount(0);

  // The rep can go back to the full-screen stage view while the audience keeps following.
  await view.toggle.click();
  await expect(presenting.presenter).toHaveAttribute('data-view', 'stage');
  await page.keyboard.press('PageDown');
  await presenting.expectSlide(deck, 8);
  await audience.expectSlide(deck, 8);

  // Finishing ends the audience screen: its window closes itself.
  const closed = audienceTab.waitForEvent('close');
  await page.keyboard.press('Escape');
  await expect(presenting.wrapUp).toBeVisible();
  await closed;
});

test('an audience window opened late starts on the current page, black included', async ({ home, page, context }) => {
  const presenting = new PresentingPage(page);
  const view = new PresenterViewPage(page);
  await home.open();
  const pitch = await callApi<{ id: string }>(page, 'savePitch', {
    name: 'Late audience',
    steps: [
      { itemId: brochure, page: 2, note: notes[0] },
      { itemId: deck, page: 8, note: notes[2] },
    ],
  });
  await page.evaluate((id) => (location.hash = `#/present/${encodeURIComponent(id)}`), pitch.id);
  await presenting.expectSlide(brochure, 2);
  await page.keyboard.press('ArrowRight');
  await presenting.expectSlide(deck, 8);
  await page.keyboard.press('b');
  await expect(presenting.presenter).toHaveAttribute('data-black', 'true');

  // The audience window opens after all that: it starts from the latest state, not the first.
  await page.keyboard.press('v');
  const [audienceTab] = await Promise.all([context.waitForEvent('page'), view.openAudienceWindow.click()]);
  const audience = new AudiencePage(audienceTab);
  await expect(audience.root).toHaveAttribute('data-black', 'true');
  await expect(audience.root).toHaveAttribute('data-item-id', deck);
  await page.keyboard.press('b');
  await audience.expectSlide(deck, 8);

  // Closed by hand: the rep's screen no longer claims an audience window, and goes back to
  // showing the page itself, as when a second display is unplugged.
  await expect(presenting.presenter).toHaveAttribute('data-audience', 'browser');
  await audienceTab.close();
  await expect(presenting.presenter).toHaveAttribute('data-audience', 'none');
  await expect(presenting.presenter).toHaveAttribute('data-view', 'stage');
});

test('a video played, paused and sought by the rep plays, pauses and seeks on the audience screen', async ({
  home,
  page,
  context,
}) => {
  const presenting = new PresentingPage(page);
  const view = new PresenterViewPage(page);
  const tour = 'flowsense-tour';
  await home.open();
  const pitch = await callApi<{ id: string }>(page, 'savePitch', {
    name: 'Tour',
    steps: [{ itemId: tour, page: null, note: 'Let the tour run' }],
  });
  await page.evaluate((id) => (location.hash = `#/present/${encodeURIComponent(id)}`), pitch.id);
  await expect(presenting.presenter).toHaveAttribute('data-rendered', 'true');
  // The video fills the stage (letterboxed by object-fit), not its native 640×360 in the middle.
  const stageVideo = await presenting.presenter.getByTestId('slide-video').boundingBox();
  const window = page.viewportSize();
  expect(stageVideo && window ? [Math.round(stageVideo.width), Math.round(stageVideo.height)] : null).toEqual(
    window ? [window.width, window.height] : null,
  );
  await page.keyboard.press('v');
  const [audienceTab] = await Promise.all([context.waitForEvent('page'), view.openAudienceWindow.click()]);
  const audience = new AudiencePage(audienceTab);
  await expect(audience.root).toHaveAttribute('data-item-id', tour);
  await expect(audience.root).toHaveAttribute('data-rendered', 'true');
  // The video started when its step was shown: the audience, opened later, joins it playing.
  await expect(audience.root).toHaveAttribute('data-media', 'playing');

  const repVideo = view.root.getByTestId('slide-video');
  const audienceVideo = audience.root.getByTestId('slide-video');
  // The audience's copy has no controls of its own; the rep's is silent while the audience plays it.
  await expect(audienceVideo).not.toHaveAttribute('controls');
  await expect.poll(() => repVideo.evaluate((v: HTMLVideoElement) => v.muted)).toBe(true);
  const state = (video: typeof repVideo) =>
    video.evaluate((v: HTMLVideoElement) => ({ paused: v.paused, at: v.currentTime }));

  await repVideo.evaluate((v: HTMLVideoElement) => v.play());
  await expect(audience.root).toHaveAttribute('data-media', 'playing');
  await expect.poll(async () => (await state(audienceVideo)).paused).toBe(false);
  await expect.poll(async () => (await state(audienceVideo)).at).toBeGreaterThan(0);

  await repVideo.evaluate((v: HTMLVideoElement) => v.pause());
  await expect(audience.root).toHaveAttribute('data-media', 'paused');
  await expect.poll(async () => (await state(audienceVideo)).paused).toBe(true);
  const repAt = (await state(repVideo)).at;
  await expect.poll(async () => Math.abs((await state(audienceVideo)).at - repAt)).toBeLessThan(0.05);

  // Sought while paused: the audience shows the same frame.
  await repVideo.evaluate((v: HTMLVideoElement) => (v.currentTime = 1));
  await expect.poll(async () => (await state(audienceVideo)).at).toBeCloseTo(1, 1);
  await expect(audience.root).toHaveAttribute('data-media', 'paused');
});
