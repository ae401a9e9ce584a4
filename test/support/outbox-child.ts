/**
 * A device recording leads, meetings and activity and uploading them through the outbox, as a
 * process the outbox crash test SIGKILLs. argv: PROFILE_DIR ENDPOINT_URL SEED STOP_AT.
 *
 * Prints "integrity <result>" (the database as this restart finds it), "ready", then
 * "created <idempotency key>" once each record is committed. STOP_AT = n > 0: on the n-th 2xx
 * answer the child prints "answered <batch key>" and freezes before the outbox can mark the
 * batch sent, so the parent's SIGKILL lands exactly in that window. STOP_AT = 0: records and
 * uploads until killed. STOP_AT = -1 ("drain"): records nothing, uploads everything, prints
 * "drained <status json>" and exits.
 */
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '#core/index';
import { seededRandom } from './random.ts';

const [profileDir, endpointUrl, seedArg, stopAtArg] = process.argv.slice(2) as [string, string, string, string];
const stopAt = Number(stopAtArg);
const rand = seededRandom(Number(seedArg));
const say = (line: string) => process.stdout.write(`${line}\n`);

const dbFile = path.join(profileDir, 'pitchcase.db');
if (existsSync(dbFile)) {
  const raw = new Database(dbFile);
  say(`integrity ${String(raw.pragma('integrity_check', { simple: true }))}`);
  raw.close();
} else {
  say('integrity ok');
}

let answered = 0;
const freeze = new Int32Array(new SharedArrayBuffer(4));
const fetchImpl: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.ok && ++answered === stopAt) {
    // The endpoint has stored the batch and said so; the outbox has not yet marked it sent.
    say(`answered ${new Headers(init?.headers).get('Idempotency-Key') ?? ''}`);
    Atomics.wait(freeze, 0, 0);
  }
  return response;
};

const core = await createCore({
  profileDir,
  shell: 'browser',
  profileKind: 'kiosk',
  siteBaseUrl: 'http://127.0.0.1',
  delivery: { batchSize: 4, retryBaseMs: 1, maxBackoffMs: 1, timeoutMs: 10_000, fetchImpl },
});
const webhook = { type: 'webhook' as const, url: endpointUrl };
await core.api.updateDeliverySettings({ lead: webhook, meeting: webhook, event: webhook });
const consentVersion = (await core.api.getKioskConfig({})).leadForm.consent.version;
say('ready');

if (stopAt === -1) {
  for (let round = 0; round < 50 && (await core.api.getDeliveryStatus({})).pending > 0; round++)
    await core.api.deliverNow({});
  const status = await core.api.getDeliveryStatus({});
  const leads = await core.api.getLeadStats({});
  core.close();
  say(`drained ${JSON.stringify({ pending: status.pending, leadsUndelivered: leads.undelivered })}`);
  process.exit(0);
}

async function createOne(): Promise<string> {
  const pick = rand();
  const at = new Date().toISOString();
  if (pick < 0.35) {
    const { sessionId } = await core.api.startVisitorSession({});
    const result = await core.api.captureLead({
      sessionId,
      fields: {
        firstName: 'Crash',
        lastName: 'Visitor',
        email: `${randomUUID()}@outbox-crash.example`,
        company: 'Booth',
      },
      consent: { given: true, version: consentVersion },
    });
    if (!('leadId' in result)) throw new Error(`lead refused: ${JSON.stringify(result)}`);
    return `lead:${result.leadId}`;
  }
  if (pick < 0.55) {
    const id = randomUUID();
    await core.api.saveMeeting({
      id,
      startedAt: at,
      endedAt: at,
      status: 'logged',
      account: 'Crash Co',
      outcome: 'presented',
    });
    return `meeting:${id}`;
  }
  const id = randomUUID();
  const { recorded } = await core.api.recordActivity({
    events: [
      {
        id,
        type: 'page.viewed',
        at,
        itemId: 'brochure',
        page: 1 + Math.floor(rand() * 9),
        dwellMs: 2000 + Math.floor(rand() * 9000),
      },
    ],
  });
  if (recorded !== 1) throw new Error('activity event not recorded');
  return `event:${id}`;
}

for (;;) {
  const count = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < count; i++) say(`created ${await createOne()}`);
  await core.api.deliverNow({});
}
