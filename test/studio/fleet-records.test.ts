import { describe, expect, it } from 'vitest';
import type { EnrolAnswer } from '#shared/fleet';
import { checkRecord, checkRecordBySchema } from '#studio/fleet/records';
import type { AuthenticatedDevice } from '#studio/fleet/device-auth';
import { SimulatedDevice } from './fleet-device.ts';
import { recordsFor, rng } from '../bench/fleet/simulation.ts';

/**
 * Ingest checks records with zod's compiled fast path; the schemas as written are the schemas of
 * record. The two must agree record for record: on what is accepted, on the row stored (payload
 * text included) and on every refusal's reason.
 */
const receivedAt = '2026-11-02T10:00:00.000Z';

function deviceOf(id: string, booth: boolean): { simulated: SimulatedDevice; auth: AuthenticatedDevice } {
  const simulated = new SimulatedDevice('http://unused', '1.4.0', 3);
  const identity = {
    deviceId: id,
    rep: booth ? null : { name: 'Ana Ortiz', email: 'ana@acme.example' },
    booth: booth ? { event: 'Expo' } : null,
    team: booth ? null : 'North',
    region: 'EMEA',
  };
  simulated.enrolment = { identity, credential: `${id}.x` } as unknown as EnrolAnswer;
  const auth = {
    id,
    rep: booth ? null : 'ana@acme.example',
    booth: booth ? 'Expo' : null,
    team: identity.team,
    region: 'EMEA',
    revoked: false,
  };
  return { simulated, auth };
}

/** A valid record of each kind and the many ways a device (or an attacker) can get one wrong. */
function handMade(simulated: SimulatedDevice): unknown[] {
  const at = '2026-11-01T09:30:00.000Z';
  const event = simulated.event(at, { itemId: 'item-1', page: 3, dwellMs: 4200, meetingId: 'm-1' }) as unknown as {
    payload: Record<string, unknown>;
    source: Record<string, unknown>;
  } & Record<string, unknown>;
  const withPayload = (changes: Record<string, unknown>) => ({ ...event, payload: { ...event.payload, ...changes } });
  const withSource = (changes: Record<string, unknown>) => ({ ...event, source: { ...event.source, ...changes } });
  const quiz = {
    attemptId: 'a-1',
    quizId: 'q-1',
    quizTitle: 'Our water words',
    kind: 'term',
    revision: 'r1',
    asked: 2,
    correct: 1,
    percent: 50,
    passed: false,
    onlyChanged: false,
    answers: [{ questionId: 'q', version: 'v', picked: [1], right: true }],
  };
  const record = (kind: string, payload: unknown) => ({ ...event, idempotencyKey: `${kind}:x`, kind, payload });
  return [
    event,
    simulated.event(at, { itemId: 'item-2' }),
    simulated.status(at, { releaseVersion: 3, ready: true }),
    simulated.meeting(at, { id: 'm-1', account: 'Harbour Ltd', outcome: 'won' }),
    simulated.searchMiss(at, '  Water   PUMPS '),
    simulated.searchMiss(at, '   '),
    simulated.lead(at, { id: 'l-1', email: 'v@example.org', consentVersion: 'v3', viewedItems: ['item-1'] }),
    record('lead', { leadId: 'l-2', consentVersion: null, retentionDays: 30, update: 'qualified' }),
    record('lead', { leadId: 'l-3', consentVersion: null, retentionDays: 0 }),
    record('followup', { followUpId: 'f-1', meetingId: 'm-1', note: 'call back' }),
    record('followup', { followUpId: '' }),
    record('quiz-attempt', quiz),
    record('quiz-attempt', { ...quiz, correct: 3 }),
    record('quiz-attempt', { ...quiz, answers: [{ ...quiz.answers[0], extra: 1 }] }),
    record('meeting', { meetingId: 'm-2', Account: '', Outcome: null }),
    record('device-status', { releaseVersion: 1 }),
    withPayload({ itemId: '' }),
    withPayload({ page: 0 }),
    withPayload({ page: 1.5 }),
    withPayload({ page: '3' }),
    withPayload({ dwellMs: -1 }),
    withPayload({ dwellMs: 24 * 3_600_000 + 1 }),
    withPayload({ dwellMs: null, page: null, meetingId: null }),
    withPayload({ type: 'Page.Viewed' }),
    withPayload({ type: 'future.kind-of-event' }),
    withPayload({ id: '' }),
    withPayload({ itemId: 'x'.repeat(129) }),
    withPayload({ nested: { deep: [1, { a: null }] }, 'odd key': true }),
    { ...event, kind: 'nonsense' },
    { ...event, kind: 'x'.repeat(33) },
    { ...event, at: 'last tuesday' },
    { ...event, at: '2026-02-30T10:00:00Z' },
    { ...event, at: '2028-02-29T10:00:00Z' },
    { ...event, at: '2026-11-01T09:30:00+01:00' },
    { ...event, at: '2026-11-01T09:30Z' },
    { ...event, at: '2026-11-01T24:00:00Z' },
    { ...event, idempotencyKey: '' },
    { ...event, idempotencyKey: 42 },
    { ...event, extra: true },
    { ...event, payload: null },
    { ...event, payload: [] },
    { ...event, payload: undefined },
    withSource({ deviceId: 'someone-else' }),
    withSource({ releaseVersion: 1.5 }),
    withSource({ releaseVersion: null, team: null }),
    withSource({ rep: undefined }),
    withSource({ extra: 1 }),
    { ...event, source: null },
    null,
    'a record',
    42,
    [event],
  ];
}

describe('the compiled record check', () => {
  it.each([
    ['a rep', false],
    ['a booth', true],
  ])('agrees with the schemas as written on every record of %s', (_who, booth) => {
    const { simulated, auth } = deviceOf(booth ? 'dev_booth' : 'dev_rep', booth);
    const samples = [
      ...handMade(simulated),
      ...recordsFor(simulated, 2000, rng(3), { malformed: 0.2, now: Date.parse(receivedAt) }).records,
    ];
    let accepted = 0;
    const reasons = new Set<string>();
    for (const raw of samples) {
      const compiled = checkRecord(raw, auth, receivedAt);
      expect(compiled).toEqual(checkRecordBySchema(raw, auth, receivedAt));
      if (compiled.ok) accepted += 1;
      else reasons.add(compiled.reason.split(':')[0]!);
    }
    // Both ways are exercised, with refusals from every part of a record.
    expect(accepted).toBeGreaterThan(1500);
    expect([...reasons].sort()).toEqual(
      expect.arrayContaining(['at', 'idempotencyKey', 'kind', 'payload', 'payload.page', 'source.deviceId']),
    );
  });
});

describe('text a database cannot store', () => {
  const { simulated, auth } = deviceOf('dev_text', false);
  const at = '2026-11-01T09:30:00.000Z';
  const reasonOf = (raw: unknown) => {
    const checked = checkRecord(raw, auth, receivedAt);
    expect(checked).toEqual(checkRecordBySchema(raw, auth, receivedAt));
    return checked.ok ? 'accepted' : checked.reason.split(':')[0];
  };

  it('refuses a NUL character or half a character anywhere, and nothing else for it', () => {
    const meeting = (account: string) => simulated.meeting(at, { id: 'm-1', account, outcome: 'won' });
    expect(reasonOf(meeting('Acme \u{1F30A} Tab\there \\ "quoted" été'))).toBe('accepted');
    expect(reasonOf(meeting('Acme\u0000Corp'))).toBe('record');
    expect(reasonOf(meeting('Acme \ud83c'))).toBe('record');
    expect(reasonOf(meeting('\udf0a Acme'))).toBe('record');
    // Written out by JSON.stringify as escapes, not as the characters: fine.
    expect(reasonOf(meeting('a literal \\u0000 and \\ud800'))).toBe('accepted');
    const event = simulated.event(at, { itemId: 'item-1' });
    expect(reasonOf({ ...event, idempotencyKey: 'event:\ud800' })).toBe('record');
    expect(reasonOf({ ...event, source: { ...event.source, appVersion: '1.4\u0000' } })).toBe('record');
    expect(reasonOf({ ...event, payload: { ...(event.payload as object), ['odd\u0000key']: 1 } })).toBe('record');
  });

  it('cuts a long folded search at a whole character', () => {
    // 199 units as sent; folded, "…" becomes "...", and 200 units would end in half a wave.
    const checked = checkRecord(simulated.searchMiss(at, `…${'\u{1F30A}'.repeat(99)}`), auth, receivedAt);
    expect(checked.ok).toBe(true);
    const folded = checked.ok ? checked.row.query_folded! : '';
    expect(folded).toBe(`...${'\u{1F30A}'.repeat(98)}`);
  });

  it('refuses a payload nested too deeply to write out, by itself', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const event = simulated.event(at, { itemId: 'item-1' });
    const raw = { ...event, payload: { ...(event.payload as object), extra: deep } };
    const checked = checkRecord(raw, auth, receivedAt);
    expect(checked).toMatchObject({ ok: false, reason: 'payload: nested too deeply' });
  });
});
