/**
 * A visitor at the booth attacks the running kiosk host over HTTP: every staff-only method of the
 * access table, the PIN pad, the PIN itself, and delivery errors. One file, run in order, because
 * the kiosk's lock state and PIN failure count are shared by these tests.
 */
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { KioskConfig, KioskUnlock } from '#shared/kiosk';
import { apiAccess, eventAccess } from '#shared/access';
import type { ApiMethod, EventName } from '#shared/contract';
import { recordingWebhook } from '../support/webhook.ts';
import { batteryHosts, callApi, STAFF_PIN, type ApiAnswer, type BatteryHost } from './battery.ts';

const kiosk = batteryHosts().find((host) => host.kind === 'kiosk')!;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

const staffOnly = (Object.keys(apiAccess) as ApiMethod[]).filter(
  (method) => apiAccess[method] !== 'open' && apiAccess[method] !== 'audience-readable',
);

/** A valid argument where `{}` is not one: a refusal must come from the access table, not the schema. */
const at = '2026-01-01T10:00:00.000Z';
const validArgs: Partial<Record<ApiMethod, unknown>> = {
  setKioskPin: { pin: '1111', currentPin: STAFF_PIN },
  listRehearsalTakes: { promptId: 'prompt-1' },
  saveRehearsalTake: { promptId: 'prompt-1', mime: 'audio/webm', durationMs: 1000, audioBase64: 'GkXfow==' },
  getRehearsalTakeAudio: { id: 'take-1' },
  markBestTake: { id: 'take-1', best: true },
  deleteRehearsalTake: { id: 'take-1' },
  sendTakeForReview: { id: 'take-1', consent: { version: 1, shareAsExample: false } },
  cancelTakeReview: { id: 'take-1' },
  listPracticeExamples: { promptId: 'prompt-1' },
  getPracticeExampleAudio: { recordingId: 'recording-1' },
  takeQuiz: { id: 'quiz-1' },
  submitQuiz: { quizId: 'quiz-1', answers: [{ questionId: 'q1', picked: [0] }] },
  setProfileKind: { kind: 'standard' },
  testDeliveryConnection: { kind: 'lead' },
  getPitch: { id: 'pitch-1' },
  savePitch: { name: 'Stolen', steps: [] },
  duplicatePitch: { id: 'pitch-1' },
  deletePitch: { id: 'pitch-1' },
  recordActivity: { events: [{ id: 'visitor-event-1', type: 'item.opened', at, itemId: 'brochure' }] },
  saveMeeting: { id: 'meeting-visitor-1', startedAt: at, endedAt: at, status: 'later' },
  listMeetings: { status: 'later' },
  getMeeting: { id: 'meeting-visitor-1' },
  deleteMeeting: { id: 'meeting-visitor-1' },
  saveMeetingInk: { meetingId: 'meeting-visitor-1', pages: [{ itemId: 'brochure', page: 1, strokes: [] }] },
  getMeetingInk: { meetingId: 'meeting-visitor-1' },
  queueFollowUp: { id: 'followup-visitor-1', meetingId: 'meeting-visitor-1', subject: 'Hi', body: 'Hello' },
  addToPitch: { name: 'Stolen', itemId: 'brochure', page: null },
  shareItem: { id: 'share-visitor-1', itemId: 'brochure', page: null, to: 'me@visitor.example' },
  searchCrm: { kind: 'account', query: 'a' },
  setFavourite: { itemId: 'brochure', favourite: true },
  recordItemOpened: { itemId: 'brochure' },
  enrolDevice: { studioUrl: 'https://studio.evil.example', code: 'ABCD1234' },
  getRecordsAboutMe: { limit: 10 },
  qualifyLead: { leadId: 'lead-1', rating: 'hot', note: 'I rate myself' },
  exportLeadsToFolder: { folder: os.tmpdir() },
};

function expectRefused(answer: ApiAnswer, what: string, message: RegExp = /Staff only/): void {
  expect(answer.ok, what).toBe(false);
  if (!answer.ok) {
    expect(answer.error.code, `${what}: ${answer.error.message}`).toBe('refused');
    expect(answer.error.message, what).toMatch(message);
  }
}

function valueOf(answer: ApiAnswer, what: string): unknown {
  if (!answer.ok) throw new Error(`${what} failed: ${answer.error.message}`);
  return answer.value;
}

/** The kiosk's PIN pad. */
async function unlock(pin: string): Promise<KioskUnlock> {
  return valueOf(await callApi(kiosk, 'unlockKiosk', { pin }), 'unlockKiosk') as KioskUnlock;
}

/** Staff, who know the PIN, open the staff screen. */
async function staffUnlock(): Promise<void> {
  expect(await unlock(STAFF_PIN)).toMatchObject({ unlocked: true });
}

/** Staff read something behind the PIN and lock the screen again. */
async function staffRead(method: ApiMethod): Promise<ApiAnswer> {
  await staffUnlock();
  const answer = await callApi(kiosk, method);
  valueOf(await callApi(kiosk, 'lockKiosk'), 'lockKiosk');
  return answer;
}

/** Collects the host's server-sent events, as any page on the kiosk can. */
async function listen(
  host: BatteryHost,
): Promise<{ frames: string[]; until(test: (frame: string) => boolean): Promise<void>; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(new URL('/api/events', host.url), { signal: controller.signal });
  const frames: string[] = [];
  const waiters: { test: (frame: string) => boolean; resolve(): void }[] = [];
  const decoder = new TextDecoder();
  void (async () => {
    try {
      // A frame may arrive split over chunks: only whole frames (up to a blank line) are read.
      let pending = '';
      for await (const chunk of response.body!) {
        const parts = (pending + decoder.decode(chunk as Uint8Array, { stream: true })).split('\n\n');
        pending = parts.pop() ?? '';
        for (const frame of parts) {
          if (!frame.startsWith('data: ')) continue;
          frames.push(frame);
          for (const waiter of waiters.filter((w) => w.test(frame))) waiter.resolve();
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    frames,
    until: (test) => new Promise((resolve) => (frames.some(test) ? resolve() : waiters.push({ test, resolve }))),
    close: () => controller.abort(),
  };
}

describe('the locked kiosk (a visitor at the booth)', () => {
  // Guards the access table's enforcement at the host: without it a visitor calls any of these.
  it('refuses every staff-only method of the access table', async () => {
    expect(staffOnly.length).toBeGreaterThan(0);
    const notRefused: string[] = [];
    for (const method of staffOnly) {
      const answer = await callApi(kiosk, method, validArgs[method] ?? {});
      // A bad-request means the schema answered first: add a valid argument to validArgs.
      // Rehearsing and quizzes are the rep's own: refused on a kiosk even behind the PIN, with their own reason.
      const reason = apiAccess[method] === 'rep' ? /not a kiosk/ : /Staff only/;
      if (answer.ok || answer.error.code !== 'refused' || !reason.test(answer.error.message))
        notRefused.push(`${method}: ${JSON.stringify(answer).slice(0, 200)}`);
    }
    expect(notRefused).toEqual([]);
  });

  // Guards that a refusal happens before the handler: a refused update must not half-apply.
  it('changes nothing when it refuses an update', async () => {
    const before = valueOf(await callApi(kiosk, 'getChannelSettings'), 'getChannelSettings');
    const kioskBefore = valueOf(await callApi(kiosk, 'getKioskSettings'), 'getKioskSettings');
    expectRefused(
      await callApi(kiosk, 'updateChannelSettings', { channelUrl: 'http://evil.example/channel', autoApply: true }),
      'updateChannelSettings',
    );
    expectRefused(await callApi(kiosk, 'updateKioskSettings', { idleSeconds: 3600 }), 'updateKioskSettings');
    // A visitor cannot enrol the booth with a Studio of their own (its channel and uploads would follow).
    expectRefused(
      await callApi(kiosk, 'enrolDevice', { studioUrl: 'http://127.0.0.1:9/', code: 'ABCD1234' }),
      'enrolDevice',
    );
    // Nor cut the booth off from its company's Studio.
    const fleetBefore = valueOf(await staffRead('getFleetStatus'), 'getFleetStatus');
    expectRefused(await callApi(kiosk, 'disconnectFromStudio'), 'disconnectFromStudio');
    expect(valueOf(await staffRead('getFleetStatus'), 'getFleetStatus')).toEqual(fleetBefore);
    expect(valueOf(await callApi(kiosk, 'getChannelSettings'), 'getChannelSettings')).toEqual(before);
    expect(valueOf(await callApi(kiosk, 'getKioskSettings'), 'getKioskSettings')).toEqual(kioskBefore);
  });
});

describe('delivery errors (a visitor at the booth)', () => {
  // Guards the scrubbing of an endpoint's refusal and the staff-only delivery status: the
  // endpoint below repeats the visitor's e-mail, phone and name in its error.
  it('show no personal data to a visitor, and the delivery status is refused while locked', async () => {
    const email = 'ana.booth-5183@example.org';
    const hook = await recordingWebhook({
      answer: (request) => ({
        status: 409,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          message: `Duplicate lead: ${String(request.records[0]?.payload.email)} (Ana Visitor, +44 20 7946 0958)`,
        }),
      }),
    });
    cleanups.push(hook.close);
    // Staff, with the PIN, point lead delivery at that endpoint and lock the kiosk again.
    await staffUnlock();
    valueOf(
      await callApi(kiosk, 'updateDeliverySettings', { lead: { type: 'webhook', url: hook.url } }),
      'updateDeliverySettings',
    );
    valueOf(await callApi(kiosk, 'lockKiosk'), 'lockKiosk');

    const events = await listen(kiosk);
    cleanups.push(async () => events.close());
    const config = valueOf(await callApi(kiosk, 'getKioskConfig'), 'getKioskConfig') as KioskConfig;
    const { sessionId } = valueOf(await callApi(kiosk, 'startVisitorSession'), 'startVisitorSession') as {
      sessionId: string;
    };
    const fields = { firstName: 'Ana', lastName: 'Visitor', email, company: 'Expo', phone: '+44 20 7946 0958' };
    valueOf(
      await callApi(kiosk, 'captureLead', {
        sessionId,
        fields,
        consent: { given: true, version: config.leadForm.consent.version },
      }),
      'captureLead',
    );
    // The capture sends at once and the endpoint refuses. The visitor's page no longer hears
    // it (the access table of events); staff, unlocked, read the refusal, then lock again.
    await expect.poll(() => hook.requests.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(hook.requests.at(-1)?.records[0]?.payload.email).toBe(email);
    const heardLocked = [...events.frames];
    await staffUnlock();
    await expect
      .poll(async () => JSON.stringify(valueOf(await callApi(kiosk, 'getDeliveryStatus'), 'getDeliveryStatus')), {
        timeout: 30_000,
      })
      .toContain('HTTP 409');
    valueOf(await callApi(kiosk, 'lockKiosk'), 'lockKiosk');
    expect(heardLocked.filter((frame) => frame.includes('"delivery.status"'))).toEqual([]);

    expectRefused(await callApi(kiosk, 'getDeliveryStatus'), 'getDeliveryStatus');
    // Everything a visitor can read without an argument, and every event the page heard.
    const shown: string[] = [...events.frames];
    for (const method of Object.keys(apiAccess) as ApiMethod[]) {
      if (apiAccess[method] === 'open' || apiAccess[method] === 'audience-readable')
        shown.push(`${method}: ${JSON.stringify(await callApi(kiosk, method))}`);
    }
    for (const text of shown) {
      expect(text).not.toContain(email);
      expect(text).not.toContain('7946');
      expect(text).not.toContain('Ana Visitor');
    }
  });
});

describe('the event stream (a visitor at the booth)', () => {
  // Guards the access table of events: before it, every page heard delivery.status, which
  // getDeliveryStatus refuses a locked kiosk. Staff unlocking makes the same page hear it.
  it("carries nothing staff-only to a locked kiosk's page, and does once staff unlock", async () => {
    const events = await listen(kiosk);
    cleanups.push(async () => events.close());
    const config = valueOf(await callApi(kiosk, 'getKioskConfig'), 'getKioskConfig') as KioskConfig;
    const { sessionId } = valueOf(await callApi(kiosk, 'startVisitorSession'), 'startVisitorSession') as {
      sessionId: string;
    };
    // Queuing a lead announces the outbox's new state at once, as the capture commits.
    valueOf(
      await callApi(kiosk, 'captureLead', {
        sessionId,
        fields: { firstName: 'Eve', lastName: 'Stream', email: 'eve.stream@example.org', company: 'Expo' },
        consent: { given: true, version: config.leadForm.consent.version },
      }),
      'captureLead',
    );
    // A marker any page may hear, sent after the capture: every frame before it has arrived.
    const marker = `marker-${Date.now()}`;
    valueOf(
      await callApi(kiosk, 'showToAudience', {
        sessionId: marker,
        seq: 1,
        status: 'ended',
        slide: null,
        black: false,
        aspect: 1.5,
        ink: [],
      }),
      'showToAudience',
    );
    await events.until((frame) => frame.includes(marker));
    const heard = events.frames.map(
      (frame) => (JSON.parse(frame.slice('data: '.length)) as { event: EventName }).event,
    );
    expect(heard).toContain('presenter.audience');
    const staffOnlyHeard = heard.filter((event) => !['open', 'audience-readable'].includes(eventAccess[event]));
    expect(staffOnlyHeard).toEqual([]);

    await staffUnlock();
    valueOf(await callApi(kiosk, 'deliverNow'), 'deliverNow');
    await events.until((frame) => frame.includes('"delivery.status"'));
    valueOf(await callApi(kiosk, 'lockKiosk'), 'lockKiosk');
  });
});

describe('the staff PIN (a visitor at the booth)', () => {
  // Guards that only staff set the PIN: a visitor who could set it would unlock with their own.
  it("cannot be set or changed from the kiosk's own API", async () => {
    const visitorPin = '4242';
    expectRefused(await callApi(kiosk, 'setKioskPin', { pin: visitorPin }), 'setKioskPin without the current PIN');
    expectRefused(
      await callApi(kiosk, 'setKioskPin', { pin: visitorPin, currentPin: '0000' }),
      'setKioskPin with a guess',
    );
    expectRefused(
      await callApi(kiosk, 'setProfileKind', { kind: 'kiosk', pin: visitorPin }),
      'setProfileKind with a PIN',
    );
    // Nothing changed: the visitor's PIN does not open the staff screen, the staff's still does.
    expect(await unlock(visitorPin)).toMatchObject({ unlocked: false, reason: 'wrong-pin' });
    await staffUnlock();
    valueOf(await callApi(kiosk, 'lockKiosk'), 'lockKiosk');
  });
});

/** Waits as long as the kiosk itself says the lock lasts, as a patient attacker would. */
function waitOut(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 200));
}

describe('PIN guessing (a visitor at the booth)', () => {
  // Guards the one rate-limited verifier: without the lock-out, or with a count per door, or
  // with the right PIN let through during a lock, the PIN falls to a quick brute force. Last in
  // this file: it leaves the kiosk locked out for a minute.
  it(
    'locks out rapid wrong PINs whichever door they come through, refuses even the right PIN meanwhile, and locks out longer each time',
    { timeout: 90_000 },
    async () => {
      // Staff unlock (this clears the count), which opens the second door: changing the PIN.
      await staffUnlock();
      // Two wrong guesses through the change-PIN form: free tries, no lock yet.
      for (const guess of ['0000', '1234'])
        expectRefused(
          await callApi(kiosk, 'setKioskPin', { pin: '5555', currentPin: guess }),
          `setKioskPin ${guess}`,
          /^Wrong PIN: (?!.*locked)/,
        );
      valueOf(await callApi(kiosk, 'lockKiosk'), 'lockKiosk');
      // The third, through the pad, counts with the other two and starts the lock.
      expect(await unlock('1111')).toEqual({ unlocked: false, reason: 'wrong-pin', retryInSeconds: 30 });
      // Rapid guesses meanwhile are all refused, the right PIN included, and none unlocks.
      for (const guess of ['2222', '3333', STAFF_PIN])
        expect(await unlock(guess), `${guess} during the lock`).toMatchObject({ unlocked: false, reason: 'locked' });
      const locked = await unlock(STAFF_PIN);
      expect(locked).toMatchObject({ unlocked: false, reason: 'locked' });
      expectRefused(await callApi(kiosk, 'getDeliveryStatus'), 'getDeliveryStatus during the lock');

      // Once the lock has passed, the next wrong guess locks for twice as long.
      await waitOut(locked.unlocked ? 0 : locked.retryInSeconds);
      expect(await unlock('4444')).toEqual({ unlocked: false, reason: 'wrong-pin', retryInSeconds: 60 });
      const longer = await unlock(STAFF_PIN);
      expect(longer).toMatchObject({ unlocked: false, reason: 'locked' });
      expect(longer.unlocked ? 0 : longer.retryInSeconds).toBeGreaterThan(30);
      expectRefused(await callApi(kiosk, 'getDeliveryStatus'), 'getDeliveryStatus during the longer lock');
    },
  );
});
