/**
 * Presenting, end to end: build a pitch from chosen pages of two PDFs, present it with the
 * keyboard (hiding a page on the way), wrap the meeting up, log it, and find the Task-shaped
 * record at a local webhook. Time in the page is set with Playwright's clock, so the dwell
 * times that reach the endpoint are exact.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { callApi } from './api';
import { expect, test } from './fixtures';
import { MeetingsPage } from './pages/meetings-page';
import { PresentingPage } from './pages/presenting-page';

interface OutboxRecord {
  idempotencyKey: string;
  kind: string;
  createdAt: string;
  payload: Record<string, unknown>;
}

/** A webhook on 127.0.0.1 that records every POSTed record and resolves waiters on a match. */
class WebhookReceiver {
  readonly records: OutboxRecord[] = [];
  private waiters: { match(record: OutboxRecord): boolean; resolve(record: OutboxRecord): void }[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        if (req.method === 'POST') {
          const parsed = JSON.parse(body) as { records?: OutboxRecord[] };
          for (const record of parsed.records ?? []) this.accept(record);
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private accept(record: OutboxRecord): void {
    this.records.push(record);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(record)) return true;
      waiter.resolve(record);
      return false;
    });
  }

  /** The first record (already received or still to come) that matches. */
  waitFor(match: (record: OutboxRecord) => boolean): Promise<OutboxRecord> {
    const seen = this.records.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `pitchcase crm import` into the running host's profile, as IT would from a CRM export. */
async function importCrm(profileDir: string, csv: string): Promise<void> {
  const file = path.join(profileDir, 'crm-export.csv');
  await writeFile(file, csv);
  const cli = path.resolve(import.meta.dirname, '..', '..', 'main', 'cli', 'pitchcase.mjs');
  await promisify(execFile)(process.execPath, [cli, 'crm', 'import', '--profile', profileDir, file]);
}

const brochure = 'aquacore-500-brochure';
const deck = 'flowsense-overview-deck';

test.describe('Presenting', () => {
  let receiver: WebhookReceiver;

  test.beforeEach(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  test.afterEach(async () => {
    await receiver.stop();
  });

  test('builds a pitch from two PDFs, presents it by keyboard, logs the meeting and delivers a Task', async ({
    home,
    page,
  }) => {
    const presenting = new PresentingPage(page);
    await home.open();
    await callApi(page, 'updateDeliverySettings', {
      meeting: { type: 'webhook', url: receiver.url },
      event: { type: 'webhook', url: receiver.url },
    });

    // The evening before: a pitch of chosen pages.
    await presenting.openPitches();
    await presenting.newPitch('Marston Brewery visit');
    await presenting.addPages(brochure, [2, 4]);
    await presenting.addPages(deck, [8]);
    await expect(presenting.steps).toHaveCount(3);
    await presenting.step(0).getByTestId('step-note').fill('Start with the twin trains');
    await presenting.save();
    await expect(page.getByTestId('builder-readiness')).toHaveText('Ready offline');
    await expect(presenting.step(0)).toHaveAttribute('data-item-id', brochure);
    await expect(presenting.step(2)).toHaveAttribute('data-page', '8');

    // The meeting, on a clock the test sets: every page's time on screen is known exactly.
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 60_000;
    await page.clock.setFixedTime(t0);
    await presenting.present();
    await presenting.expectSlide(brochure, 2);
    await expect(presenting.presenter).toHaveAttribute('data-progress', '1 / 3');

    await page.clock.setFixedTime(t0 + 5_000);
    await page.keyboard.press('ArrowRight');
    await presenting.expectSlide(brochure, 4);

    // Not this page, not for this customer: hidden after a second (too short to count as a view).
    await page.clock.setFixedTime(t0 + 6_000);
    await page.keyboard.press('h');
    await presenting.expectSlide(deck, 8);
    await expect(presenting.presenter).toHaveAttribute('data-hidden-count', '1');
    await expect(presenting.presenter).toHaveAttribute('data-progress', '2 / 2');

    await page.clock.setFixedTime(t0 + 13_000);
    await page.keyboard.press('PageUp');
    await presenting.expectSlide(brochure, 2);

    await page.clock.setFixedTime(t0 + 15_000);
    await page.keyboard.press('PageDown');
    await presenting.expectSlide(deck, 8);

    await page.clock.setFixedTime(t0 + 19_000);
    await page.keyboard.press('Escape');

    // Wrap-up: what was shown is pre-filled with its times.
    await expect(presenting.wrapUp).toBeVisible();
    await expect(presenting.presenter).toHaveCount(0);
    await expect(presenting.shownRows).toHaveCount(2);
    await expect(presenting.shownRows.nth(0)).toHaveAttribute('data-item-id', brochure);
    await expect(presenting.shownRows.nth(0)).toHaveAttribute('data-page', '2');
    await expect(presenting.shownRows.nth(0)).toHaveAttribute('data-dwell-ms', '7000');
    await expect(presenting.shownRows.nth(1)).toHaveAttribute('data-item-id', deck);
    await expect(presenting.shownRows.nth(1)).toHaveAttribute('data-dwell-ms', '11000');

    await presenting.field('Account').fill('Marston Brewery');
    await presenting.field('Contact').fill('dana.whitfield@marston-brewery.example');
    await presenting.field('Opportunity').fill('Marston packaging line 2');
    await presenting.field('Outcome').fill('Trial agreed');
    await presenting.field('Notes').fill('Trial of the AquaCore 500 on line 2 from June.');
    const mail = page.getByTestId('follow-up-mail');
    await expect(mail).toHaveAttribute('href', /^mailto:dana\.whitfield@marston-brewery\.example\?subject=/);
    await expect(mail).toHaveAttribute('href', /AquaCore%20500%20brochure%20\(p\.%202\)/);

    await page.getByTestId('log-meeting').click();
    await expect(presenting.wrapUp).toHaveAttribute('data-saved', 'logged');

    // Upload, and the CRM side sees a completed Task listing what was shown.
    const taskArrived = receiver.waitFor((record) => record.kind === 'meeting');
    await callApi(page, 'deliverNow', {});
    const task = (await taskArrived).payload;
    expect(task.Subject).toEqual(expect.stringContaining('Marston Brewery'));
    expect(task.Subject).toEqual(expect.stringContaining('Trial agreed'));
    expect(task.Status).toBe('Completed');
    expect(task.Account).toBe('Marston Brewery');
    const description = String(task.Description);
    expect(description).toContain('AquaCore 500 brochure, p. 2 (7 s)');
    expect(description).toContain('FlowSense overview deck, p. 8 (11 s)');
    expect(description).not.toContain('p. 4');
    expect(task.startedAt).toBe(new Date(t0).toISOString());
    expect(task.endedAt).toBe(new Date(t0 + 19_000).toISOString());

    // The activity events went out too, with exact dwell times (the one-second view dropped).
    await expect
      .poll(async () => {
        await callApi(page, 'deliverNow', {});
        return receiver.records.filter((r) => r.kind === 'event').length;
      })
      .toBe(7);
    const events = receiver.records.filter((r) => r.kind === 'event').map((r) => r.payload);
    const views = events
      .filter((e) => e.type === 'page.viewed')
      .map((e) => `${String(e.itemId)} p${String(e.page)} ${String(e.dwellMs)}`)
      .sort();
    expect(views).toEqual([`${brochure} p2 2000`, `${brochure} p2 5000`, `${deck} p8 4000`, `${deck} p8 7000`]);
    expect(
      events
        .filter((e) => e.type === 'item.opened')
        .map((e) => e.itemId)
        .sort(),
    ).toEqual([brochure, deck]);
    const presented = events.filter((e) => e.type === 'pitch.presented');
    expect(presented).toHaveLength(1);
    expect(presented[0]!.dwellMs).toBe(19_000);
  });

  test('reorders steps by dragging the handle and by the move buttons; the report opens from the top bar', async ({
    home,
    page,
  }) => {
    const presenting = new PresentingPage(page);
    await home.open();
    await presenting.openPitches();
    await presenting.newPitch('Reorder check');
    await presenting.addPages(brochure, [1, 3, 5]);
    const order = () => presenting.steps.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-page')));
    await expect.poll(order).toEqual(['1', '3', '5']);

    // Drag the last step's handle above the first (mouse here; the same pointer events as touch).
    const handle = presenting.step(2).getByTestId('step-drag');
    const target = await presenting.step(0).boundingBox();
    const from = await handle.boundingBox();
    if (!target || !from) throw new Error('The steps are not on screen');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, target.y + 4, { steps: 10 });
    await page.mouse.up();
    await expect.poll(order).toEqual(['5', '1', '3']);

    await presenting.step(0).getByTestId('step-down').click();
    await expect.poll(order).toEqual(['1', '5', '3']);
    await presenting.save();
    await expect(page.getByTestId('builder-readiness')).toHaveText('Ready offline');

    await page.getByTestId('builder-back').click();
    await expect(presenting.list.getByTestId('pitch-card')).toHaveCount(1);
    await expect(presenting.list.getByTestId('readiness')).toHaveText('Ready offline');
    await page.getByTestId('pitches-back').click();
    await page.getByTestId('nav-report').click();
    await expect(page.getByTestId('usage-report')).toBeVisible();
    await expect(page.getByTestId('report-never-opened')).toContainText('AquaCore 500 brochure');
  });

  test('saves a wrap-up for later, completes it from the list by picking a cached contact, and delivers the Task on that contact', async ({
    app,
    home,
    page,
  }) => {
    const presenting = new PresentingPage(page);
    const meetings = new MeetingsPage(page);
    await home.open();
    await callApi(page, 'updateDeliverySettings', { meeting: { type: 'webhook', url: receiver.url } });
    const danaId = '0035g00000Dana01AAA';
    const marstonId = '0015g00000Mars01AAA';
    await importCrm(
      app.profileDir,
      [
        'type,id,name,email,title,account id,account name',
        `account,${marstonId},Marston Brewery,,,,`,
        `contact,${danaId},Dana Whitfield,dana.whitfield@marston-brewery.example,Head of Operations,${marstonId},Marston Brewery`,
        'contact,0035g00000Dan002AAA,Daniel Okafor,daniel@okafor.example,Buyer,,',
      ].join('\n'),
    );

    await presenting.openPitches();
    await presenting.newPitch('Marston follow-up');
    await presenting.addPages(brochure, [2]);
    await presenting.save();
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 60_000;
    await page.clock.setFixedTime(t0);
    await presenting.present();
    await presenting.expectSlide(brochure, 2);
    await page.clock.setFixedTime(t0 + 6_000);
    await page.keyboard.press('Escape');

    // Not sure yet who it was with: saved for later, with what was shown.
    await expect(presenting.wrapUp).toBeVisible();
    const meetingId = (await presenting.wrapUp.getAttribute('data-meeting-id')) ?? '';
    expect(meetingId).not.toBe('');
    await meetings.field('Account').fill('Marston Brewery');
    await page.getByTestId('save-later').click();
    await expect(presenting.wrapUp).toHaveCount(0);
    await page.getByTestId('builder-back').click();
    await page.getByTestId('pitches-back').click();

    // Another draft, from a meeting that turned out not to count: deleted from the list.
    await callApi(page, 'saveMeeting', {
      id: 'meeting-not-counted',
      startedAt: new Date(t0 - 3_600_000).toISOString(),
      endedAt: new Date(t0 - 3_000_000).toISOString(),
      status: 'later',
    });
    await meetings.open();
    await expect(meetings.cards).toHaveCount(2);
    await meetings.card('meeting-not-counted').getByTestId('meeting-delete').click();
    await meetings.card('meeting-not-counted').getByTestId('meeting-delete-confirm').click();
    await expect(meetings.cards).toHaveCount(1);
    await expect(meetings.card(meetingId).getByTestId('meeting-pitch')).toContainText(
      'Marston follow-up · Marston Brewery',
    );
    await expect(meetings.card(meetingId).getByTestId('meeting-shown')).toContainText('Shown: AquaCore 500 brochure');

    // Reopened: what was typed is there; what is typed now survives leaving without saving.
    await meetings.complete(meetingId);
    await expect(meetings.field('Account')).toHaveValue('Marston Brewery');
    await expect(presenting.shownRows).toHaveCount(1);
    await expect(presenting.shownRows.first()).toHaveAttribute('data-dwell-ms', '6000');
    await meetings.field('Notes').fill('Call back about line 2');
    await page.getByTestId('wrap-up-close').click();
    await expect(meetings.list).toBeVisible();
    await meetings.complete(meetingId);
    await expect(meetings.field('Notes')).toHaveValue('Call back about line 2');

    // The contact comes from the CRM cache on the device, typed ahead.
    const contact = meetings.picker('contact');
    await contact.getByRole('combobox').fill('dan');
    await expect(contact.getByTestId('crm-option')).toHaveCount(2);
    await expect(contact.getByTestId('crm-cached')).toContainText(/cached (just now|\d+ min ago)/);
    await meetings.pick('contact', 'dan', danaId);
    await expect(meetings.field('Contact')).toHaveValue('Dana Whitfield');
    await expect(meetings.picker('account')).toHaveAttribute('data-picked-id', marstonId);
    await meetings.field('Outcome').fill('Proposal requested');
    // The follow-up goes to the picked contact's CRM e-mail, by mail client or through the CRM.
    await expect(page.getByTestId('follow-up-mail')).toHaveAttribute(
      'href',
      /^mailto:dana\.whitfield@marston-brewery\.example\?subject=/,
    );
    await page.getByTestId('follow-up-queue').click();
    await expect(page.getByTestId('follow-up-queue')).toHaveText('Follow-up queued');
    await page.getByTestId('log-meeting').click();
    await expect(meetings.wrapUp).toHaveAttribute('data-saved', 'logged');

    const taskArrived = receiver.waitFor(
      (record) => record.kind === 'meeting' && record.payload.meetingId === meetingId,
    );
    await callApi(page, 'deliverNow', {});
    const task = (await taskArrived).payload;
    expect(task).toMatchObject({
      WhoId: danaId,
      WhatId: marstonId,
      Contact: 'Dana Whitfield',
      Account: 'Marston Brewery',
      Status: 'Completed',
      Subject: 'Meeting with Marston Brewery: Proposal requested',
    });
    expect(String(task.Description)).toContain('Call back about line 2');
    expect(String(task.Description)).toContain('AquaCore 500 brochure, p. 2 (6 s)');
    expect(receiver.records.filter((r) => r.kind === 'meeting')).toHaveLength(1);
    const followUp = (await receiver.waitFor((record) => record.kind === 'followup')).payload;
    expect(followUp).toMatchObject({
      meetingId,
      To: 'dana.whitfield@marston-brewery.example',
      WhoId: danaId,
      WhatId: marstonId,
      Subject: 'Following up on our meeting: Marston Brewery',
    });
    expect(String(followUp.Body)).toContain('AquaCore 500 brochure (p. 2)');

    await page.getByTestId('wrap-up-close').click();
    await expect(meetings.list).toBeVisible();
    await expect(meetings.cards).toHaveCount(0);
  });

  test('keeps the pen ink with the meeting: shown in the wrap-up, saved for later, there again when reopened', async ({
    home,
    page,
  }) => {
    const presenting = new PresentingPage(page);
    const meetings = new MeetingsPage(page);
    await home.open();
    await presenting.openPitches();
    await presenting.newPitch('Ink on the brochure');
    await presenting.addPages(brochure, [2, 3]);
    await presenting.save();
    await presenting.present();
    await presenting.expectSlide(brochure, 2);
    await presenting.drawStroke({ x: 0.3, y: 0.4 }, { x: 0.6, y: 0.55 });
    // Finishing with the pen still on (its controls are on screen).
    await page.getByTestId('presenter-finish').click();

    // The wrap-up shows the page with its ink, kept with the draft in the core.
    await expect(presenting.wrapUp).toBeVisible();
    const meetingId = (await presenting.wrapUp.getAttribute('data-meeting-id')) ?? '';
    await expect(presenting.wrapUpInk).toHaveAttribute('data-ink-saved', 'saved');
    await expect(presenting.wrapUpInk.getByRole('heading')).toHaveText('Ink on 1 page');
    await expect(presenting.inkPreviews).toHaveCount(1);
    await expect(presenting.inkPreviews.first()).toHaveAttribute('data-page', '2');
    await expect(presenting.inkPreviews.first().getByTestId('ink-preview-ink')).toHaveAttribute('data-strokes', '1');
    const kept = await callApi<{
      pages: { itemId: string; page: number | null; strokes: { points: { x: number; y: number }[] }[] }[];
    }>(page, 'getMeetingInk', { meetingId });
    expect(kept.pages.map((p) => [p.itemId, p.page, p.strokes.length])).toEqual([[brochure, 2, 1]]);
    const [start] = kept.pages[0]!.strokes[0]!.points;
    expect(start!.x).toBeCloseTo(0.3, 1);
    expect(start!.y).toBeCloseTo(0.4, 1);
    await page.getByTestId('save-later').click();
    await expect(presenting.wrapUp).toHaveCount(0);
    await page.getByTestId('builder-back').click();
    await page.getByTestId('pitches-back').click();

    // Reopened from the meetings to log: the page and its ink are there, and open large, read-only.
    await meetings.open();
    await meetings.complete(meetingId);
    await expect(presenting.wrapUpInk).toHaveAttribute('data-pages', '1');
    const preview = presenting.inkPreviews.first();
    await expect(preview).toHaveAttribute('data-item-id', brochure);
    await expect(preview.getByTestId('ink-preview-ink')).toHaveAttribute('data-strokes', '1');
    await expect(preview.locator('[data-rendered]')).toHaveAttribute('data-rendered', 'true');
    await preview.getByRole('button', { name: /Open the ink on/ }).click();
    await expect(presenting.inkViewer).toHaveAttribute('data-page', '2');
    await expect(presenting.inkViewer.getByTestId('ink-viewer-ink')).toHaveAttribute('data-strokes', '1');
    await expect(presenting.inkViewer.locator('[data-rendered]')).toHaveAttribute('data-rendered', 'true');
    await page.keyboard.press('Escape');
    await expect(presenting.inkViewer).toHaveCount(0);
    await expect(presenting.wrapUp).toBeVisible();
  });

  test('says when the ink could not be kept, and keeps it with the next save', async ({ home, page }) => {
    const presenting = new PresentingPage(page);
    await home.open();
    await presenting.openPitches();
    await presenting.newPitch('Ink while the core is away');
    await presenting.addPages(brochure, [1]);
    await presenting.save();
    await presenting.present();
    await presenting.expectSlide(brochure, 1);
    await presenting.drawStroke({ x: 0.2, y: 0.2 }, { x: 0.4, y: 0.3 });
    await page.route('**/api/saveMeetingInk', (route) => route.abort());
    await page.keyboard.press('Escape');

    await expect(presenting.wrapUpInk).toHaveAttribute('data-ink-saved', 'error');
    await expect(page.getByTestId('wrap-up-ink-status')).toContainText('Ink not saved yet');
    await expect(page.getByTestId('wrap-up-status')).toContainText('Not saved');
    await expect(presenting.inkPreviews.first().getByTestId('ink-preview-ink')).toHaveAttribute('data-strokes', '1');
    const meetingId = (await presenting.wrapUp.getAttribute('data-meeting-id')) ?? '';
    expect((await callApi<{ pages: unknown[] }>(page, 'getMeetingInk', { meetingId })).pages).toHaveLength(0);
    // Kept in the window meanwhile, for a window that closes before the core has it.
    expect(await page.evaluate((id) => localStorage.getItem(`pitchcase.wrap-up-ink.${id}`), meetingId)).toContain(
      '"strokes"',
    );

    await page.unroute('**/api/saveMeetingInk');
    await page.getByTestId('save-later').click();
    await expect(presenting.wrapUp).toHaveCount(0);
    const kept = await callApi<{ pages: { page: number | null; strokes: unknown[] }[] }>(page, 'getMeetingInk', {
      meetingId,
    });
    expect(kept.pages.map((p) => [p.page, p.strokes.length])).toEqual([[1, 1]]);
    expect(await page.evaluate((id) => localStorage.getItem(`pitchcase.wrap-up-ink.${id}`), meetingId)).toBeNull();
  });

  test('keeps the last words typed in a wrap-up whose window closed before they reached the core', async ({
    app,
    home,
    page,
  }) => {
    const presenting = new PresentingPage(page);
    await home.open();
    await presenting.openPitches();
    await presenting.newPitch('Battery died');
    await presenting.addPages(brochure, [1]);
    await presenting.save();
    await presenting.present();
    await presenting.expectSlide(brochure, 1);
    await page.keyboard.press('Escape');
    await expect(presenting.wrapUp).toHaveAttribute('data-saved', 'later');
    const meetingId = (await presenting.wrapUp.getAttribute('data-meeting-id')) ?? '';

    // From here on no save reaches the core (the window is about to die); the rep types on.
    const refused: string[] = [];
    await page.route('**/api/saveMeeting', async (route) => {
      refused.push(route.request().postData() ?? '');
      await route.abort();
    });
    const meetings = new MeetingsPage(page);
    await meetings.field('Notes').fill('Wants a trial on line 3');
    await expect
      .poll(() => page.evaluate((id) => localStorage.getItem(`pitchcase.wrap-up.${id}`) ?? '', meetingId))
      .toContain('Wants a trial on line 3');
    await page.close({ runBeforeUnload: false });

    // The next start hands it to the core as a draft.
    const next = await page.context().newPage();
    await next.goto(app.url);
    const reopened = new MeetingsPage(next);
    await reopened.open();
    await reopened.complete(meetingId);
    await expect(reopened.field('Notes')).toHaveValue('Wants a trial on line 3');
    await expect
      .poll(() => next.evaluate((id) => localStorage.getItem(`pitchcase.wrap-up.${id}`), meetingId))
      .toBeNull();
  });
});

test.describe('Presenting a video by touch', () => {
  test.use({ hasTouch: true });

  test('a video step fills the stage and starts when the tap that advanced brings it up', async ({ home, page }) => {
    const presenting = new PresentingPage(page);
    await home.open();
    const pitch = await callApi<{ id: string }>(page, 'savePitch', {
      name: 'Tour after the brochure',
      steps: [
        { itemId: brochure, page: 1, note: '' },
        { itemId: 'flowsense-tour', page: null, note: 'Let the tour run' },
      ],
    });
    await page.evaluate((id) => (location.hash = `#/present/${encodeURIComponent(id)}`), pitch.id);
    await presenting.expectSlide(brochure, 1);
    // A tap on the right third turns to the next step: the video.
    const size = page.viewportSize()!;
    await page.touchscreen.tap(size.width - 40, size.height / 2);
    await expect(presenting.presenter).toHaveAttribute('data-item-id', 'flowsense-tour');
    const video = presenting.presenter.getByTestId('slide-video');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => !v.paused && v.currentTime > 0)).toBe(true);
    await expect(presenting.presenter.getByTestId('slide-video-play')).toHaveCount(0);
    // Letterboxed across the whole stage, not its native 640×360 in the middle.
    const box = await video.boundingBox();
    expect(box && [Math.round(box.width), Math.round(box.height)]).toEqual([size.width, size.height]);

    // The presenter view takes over where the stage was, still playing.
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(1);
    await page.keyboard.press('v');
    const inView = page.getByTestId('presenter-view').getByTestId('slide-video').first();
    await expect.poll(() => inView.evaluate((v: HTMLVideoElement) => !v.paused && v.currentTime >= 1)).toBe(true);
  });
});

test.describe('From the viewer, outside a meeting', () => {
  let receiver: WebhookReceiver;

  test.beforeEach(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
  });

  test.afterEach(async () => {
    await receiver.stop();
  });

  test('adds the page on screen to a new pitch and to a kept one, and shares it as a queued follow-up', async ({
    home,
    viewer,
    page,
  }) => {
    await home.open();
    await callApi(page, 'updateDeliverySettings', {
      meeting: { type: 'webhook', url: receiver.url },
      event: { type: 'webhook', url: receiver.url },
    });
    const kept = await callApi<{ id: string }>(page, 'savePitch', {
      name: 'Marston visit',
      steps: [{ itemId: deck, page: 1, note: '' }],
    });
    await page.evaluate((id) => (location.hash = `#/item/${id}/page/3`), brochure);
    await viewer.expectRenderedPage(3);

    // To a new pitch.
    await page.getByRole('button', { name: 'Add to pitch' }).click();
    const addSheet = page.getByRole('dialog', { name: 'Add to a pitch' });
    await addSheet.getByRole('radio', { name: 'New pitch' }).check();
    await addSheet.getByRole('textbox', { name: 'Name of the new pitch' }).fill('Brewery pitch');
    await addSheet.getByRole('button', { name: 'Create pitch and add' }).click();
    await expect(addSheet.getByTestId('add-to-pitch-status')).toHaveText(
      /Added AquaCore 500 brochure, page 3 to “Brewery pitch” as step 1\./,
    );
    await addSheet.getByRole('button', { name: 'Done' }).click();
    await expect(addSheet).toHaveCount(0);
    await expect(viewer.pdf).toBeVisible();

    // To the pitch kept on the device, from another page.
    await viewer.swipe('next');
    await viewer.expectRenderedPage(4);
    await page.getByRole('button', { name: 'Add to pitch' }).click();
    await addSheet.getByRole('radio', { name: /Marston visit/ }).check();
    await addSheet.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(addSheet.getByTestId('add-to-pitch-status')).toHaveText(/to “Marston visit” as step 2\./);
    await page.keyboard.press('Escape');
    await expect(addSheet).toHaveCount(0);
    const marston = await callApi<{ steps: { itemId: string; page: number | null }[] }>(page, 'getPitch', {
      id: kept.id,
    });
    expect(marston.steps.map((s) => [s.itemId, s.page])).toEqual([
      [deck, 1],
      [brochure, 4],
    ]);

    // Shared: queued, then delivered with the next upload as a follow-up naming item and page.
    await page.getByRole('button', { name: 'Share' }).click();
    const shareSheet = page.getByRole('dialog', { name: 'Share by e-mail' });
    await shareSheet.getByRole('textbox', { name: 'Recipient’s e-mail' }).fill('dana@marston.example');
    await shareSheet.getByRole('textbox', { name: 'Note (optional)' }).fill('The sizes we talked about');
    await shareSheet.getByRole('button', { name: 'Queue e-mail' }).click();
    await expect(shareSheet.getByTestId('share-status')).toHaveText(/Queued for dana@marston\.example\./);
    await callApi(page, 'deliverNow', {});
    const sent = await receiver.waitFor((r) => r.kind === 'followup');
    expect(sent.payload).toMatchObject({
      meetingId: null,
      itemId: brochure,
      page: 4,
      To: 'dana@marston.example',
      Subject: 'AquaCore 500 brochure, page 4',
    });
    expect(String(sent.payload.Body)).toContain('The sizes we talked about');
  });

  test('offline, a share is queued and the sheet says it waits for a network', async ({ home, page }) => {
    await home.open();
    await page.evaluate((id) => (location.hash = `#/item/${id}`), 'flowsense-tour');
    await expect(page.getByTestId('video-viewer')).toBeVisible();
    // The browser host reaches the core over loopback HTTP, which Playwright's offline mode would
    // cut too (the desktop app's IPC never is): the browser is told it is offline instead.
    await page.evaluate(() => {
      Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => false });
      window.dispatchEvent(new Event('offline'));
    });
    await page.getByRole('button', { name: 'Share' }).click();
    const sheet = page.getByRole('dialog', { name: 'Share by e-mail' });
    await sheet.getByRole('textbox', { name: 'Recipient’s e-mail' }).fill('dana@marston.example');
    await sheet.getByRole('button', { name: 'Queue e-mail' }).click();
    await expect(sheet.getByTestId('share-status')).toHaveText(/This device is offline/);
    const status = await callApi<{ pending: number }>(page, 'getDeliveryStatus', {});
    expect(status.pending).toBeGreaterThanOrEqual(1);
  });
});
