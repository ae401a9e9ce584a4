import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEVICE_AUTH_SCHEME,
  deviceStatusPayload,
  enrolRequest,
  fleetRecord,
  FLEET_PATHS,
  ingestBatch,
  searchMissPayload,
  type EnrolAnswer,
  type EnrolRequest,
  type FleetFeed,
  type FleetIdentity,
  type FleetRecord,
  type IngestAnswer,
} from '#shared/fleet';

/**
 * Studio's fleet endpoints as main/shared/fleet.ts defines them, on 127.0.0.1, for the device's
 * tests: single-use expiring codes, enrolment, ingest with the device credential (exactly once
 * per Idempotency-Key, each record validated on its own and refused with a reason), the feed,
 * and revocation (403 `revoked` on every call). Faults a test may ask for: fail the next
 * ingest requests with a status, or store a batch and lose the answer.
 */
export interface CodeFor {
  rep?: { name: string; email: string };
  booth?: { event: string };
  team?: string | null;
  region?: string | null;
  /** Milliseconds from now; default one hour. */
  expiresInMs?: number;
}

interface Device {
  identity: FleetIdentity;
  secret: string;
  revoked: boolean;
  request: EnrolRequest['device'];
}

export interface FakeStudio {
  url: string;
  /** A fresh single-use code for a rep or a booth. */
  code(forWhom: CodeFor): string;
  devices: Map<string, Device>;
  /** Every stored record, by its idempotency key (each once). */
  records: Map<string, FleetRecord>;
  /** Every ingest request as it came (headers that matter and the raw records). */
  ingests: { idempotencyKey: string | null; authorization: string | null; records: unknown[] }[];
  feedRequests: number;
  revoke(deviceId: string): void;
  /** Fail the next `count` ingest requests with `status` (nothing stored). */
  failNext(count: number, status?: number): void;
  /** Store the next ingest batch, then drop the connection without answering. */
  loseNextAnswer(): void;
  /** An extra rule of Studio's: a reason refuses the record. */
  refuseWhen?: (record: FleetRecord) => string | null;
  channel: { url: string; publicKeys: string[] };
  close(): Promise<void>;
}

export async function fakeStudio(options: { channel: { url: string; publicKeys: string[] } }): Promise<FakeStudio> {
  const codes = new Map<string, CodeFor & { expiresAt: number; used: boolean }>();
  const devices = new Map<string, Device>();
  const records = new Map<string, FleetRecord>();
  const answers = new Map<string, IngestAnswer>();
  const ingests: FakeStudio['ingests'] = [];
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  let loseAnswer = false;
  let base = '';

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });

  /** The device of an `Authorization: Device <id>.<secret>` header; a string says why not. */
  function deviceOf(req: IncomingMessage): { id: string; device: Device } | 401 | 403 {
    const header = req.headers.authorization ?? '';
    const prefix = `${DEVICE_AUTH_SCHEME} `;
    if (!header.startsWith(prefix)) return 401;
    const credential = header.slice(prefix.length);
    const dot = credential.indexOf('.');
    const id = credential.slice(0, dot);
    const device = devices.get(id);
    if (!device || dot < 0 || credential.slice(dot + 1) !== device.secret) return 401;
    if (device.revoked) return 403;
    return { id, device };
  }

  function refusalOf(raw: unknown, deviceId: string, studio: FakeStudio): string | null {
    const parsed = fleetRecord.safeParse(raw);
    if (!parsed.success) return `malformed record: ${parsed.error.issues[0]?.message ?? 'unknown'}`;
    const record = parsed.data;
    if (record.source.deviceId !== deviceId) return 'source.deviceId is not the device of the credential';
    if (Number.isNaN(Date.parse(record.at))) return 'at is not a date';
    if (record.kind === 'search-miss' && !searchMissPayload.safeParse(record.payload).success)
      return 'search-miss payload malformed';
    if (record.kind === 'device-status' && !deviceStatusPayload.safeParse(record.payload).success)
      return 'device-status payload malformed';
    if (!['event', 'meeting', 'followup', 'lead', 'search-miss', 'device-status'].includes(record.kind))
      return `unknown kind ${record.kind}`;
    return studio.refuseWhen?.(record) ?? null;
  }

  const studio: FakeStudio = {
    url: '',
    code(forWhom) {
      const code = randomBytes(5).toString('hex').toUpperCase();
      codes.set(code, { ...forWhom, expiresAt: Date.now() + (forWhom.expiresInMs ?? 3_600_000), used: false });
      return code;
    },
    devices,
    records,
    ingests,
    feedRequests: 0,
    revoke(deviceId) {
      const device = devices.get(deviceId);
      if (!device) throw new Error(`no device ${deviceId}`);
      device.revoked = true;
    },
    failNext(count, status = 503) {
      failures = { count, status };
    },
    loseNextAnswer() {
      loseAnswer = true;
    },
    channel: options.channel,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = await readBody(req);
      if (req.method === 'POST' && path === FLEET_PATHS.enrol) {
        let parsed;
        try {
          parsed = enrolRequest.safeParse(JSON.parse(body));
        } catch {
          return json(res, 400, { error: 'not JSON' });
        }
        if (!parsed.success) return json(res, 400, { error: 'malformed enrolment request' });
        const code = codes.get(parsed.data.code);
        if (!code) return json(res, 404, { error: 'unknown code' });
        if (code.used) return json(res, 410, { error: 'this code was already used' });
        if (code.expiresAt < Date.now()) return json(res, 410, { error: 'this code has expired' });
        code.used = true;
        const deviceId = `dev-${randomUUID().slice(0, 8)}`;
        const secret = randomBytes(24).toString('hex');
        const identity: FleetIdentity = {
          deviceId,
          rep: code.rep ?? null,
          booth: code.booth ?? null,
          team: code.team ?? null,
          region: code.region ?? null,
        };
        devices.set(deviceId, { identity, secret, revoked: false, request: parsed.data.device });
        const answer: EnrolAnswer = {
          identity,
          credential: `${deviceId}.${secret}`,
          channel: studio.channel,
          ingestUrl: base + FLEET_PATHS.ingest,
          feedUrl: base + FLEET_PATHS.feed,
        };
        return json(res, 200, answer);
      }
      if (path === FLEET_PATHS.ingest && req.method === 'POST') {
        const who = deviceOf(req);
        const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
        let raw: unknown[];
        try {
          raw = ingestBatch.parse(JSON.parse(body)).records;
        } catch {
          raw = [];
        }
        ingests.push({ idempotencyKey: key, authorization: req.headers.authorization ?? null, records: raw });
        if (who === 401) return json(res, 401, { error: 'unknown device' });
        if (who === 403) return json(res, 403, { error: 'revoked' });
        if (!key) return json(res, 400, { error: 'Idempotency-Key is required' });
        if (failures.count > 0) {
          failures.count -= 1;
          return json(res, failures.status, { error: 'Studio is busy' });
        }
        const scoped = `${who.id}:${key}`;
        const seen = answers.get(scoped);
        if (seen) return json(res, 200, { ...seen, duplicate: true });
        const answer: IngestAnswer = { accepted: 0, duplicate: false, refused: [] };
        raw.forEach((record, index) => {
          const reason = refusalOf(record, who.id, studio);
          const recordKey =
            typeof (record as { idempotencyKey?: unknown })?.idempotencyKey === 'string'
              ? (record as { idempotencyKey: string }).idempotencyKey
              : null;
          if (reason) return answer.refused.push({ index, idempotencyKey: recordKey, reason });
          if (!records.has(recordKey!)) records.set(recordKey!, record as FleetRecord);
          answer.accepted += 1;
        });
        answers.set(scoped, answer);
        if (loseAnswer) {
          loseAnswer = false;
          return req.socket.destroy();
        }
        return json(res, 200, answer);
      }
      if (path === FLEET_PATHS.feed && req.method === 'GET') {
        studio.feedRequests += 1;
        const who = deviceOf(req);
        if (who === 401) return json(res, 401, { error: 'unknown device' });
        if (who === 403) return json(res, 403, { error: 'revoked' });
        const feed: FleetFeed = { deviceId: who.id, revoked: false, generatedAt: new Date().toISOString() };
        return json(res, 200, feed);
      }
      return json(res, 404, { error: 'not found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  studio.url = base;
  return studio;
}
