import { randomUUID } from 'node:crypto';
import { FLEET_PATHS, type EnrolAnswer, type FleetRecord, type IngestAnswer, type RecordSource } from '#shared/fleet';

/**
 * A device as Studio sees it, for tests and the fleet benchmark: enrols with a code, then posts
 * batches with its credential and an Idempotency-Key, and reads its feed. Record makers give the
 * shapes the app's outbox sends.
 */
export interface DeviceAnswer<T> {
  status: number;
  body: T;
}

export class SimulatedDevice {
  enrolment: EnrolAnswer | null = null;
  private seq = 0;

  constructor(
    readonly base: string,
    readonly appVersion = '1.4.0',
    readonly releaseVersion: number | null = 3,
  ) {}

  async enrol(code: string, profileKind: 'standard' | 'kiosk' = 'standard'): Promise<DeviceAnswer<EnrolAnswer>> {
    const response = await fetch(`${this.base}${FLEET_PATHS.enrol}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code,
        device: { name: 'Surface Pro', platform: 'win32', appVersion: this.appVersion, profileKind },
      }),
    });
    const body = (await response.json()) as EnrolAnswer;
    if (response.status === 200) this.enrolment = body;
    return { status: response.status, body };
  }

  get id(): string {
    return this.enrolment!.identity.deviceId;
  }

  private headers(): Record<string, string> {
    return { authorization: `Device ${this.enrolment!.credential}` };
  }

  async send(
    records: readonly unknown[],
    key: string = randomUUID(),
  ): Promise<DeviceAnswer<IngestAnswer & { error?: string }>> {
    const response = await fetch(`${this.base}${FLEET_PATHS.ingest}`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ records }),
    });
    return { status: response.status, body: (await response.json()) as IngestAnswer & { error?: string } };
  }

  async feed(): Promise<DeviceAnswer<{ revoked: boolean; deviceId: string; error?: string }>> {
    const response = await fetch(`${this.base}${FLEET_PATHS.feed}`, { headers: this.headers() });
    return { status: response.status, body: (await response.json()) as { revoked: boolean; deviceId: string } };
  }

  source(): RecordSource {
    const identity = this.enrolment!.identity;
    return {
      deviceId: identity.deviceId,
      rep: identity.rep?.email ?? null,
      booth: identity.booth?.event ?? null,
      team: identity.team,
      region: identity.region,
      appVersion: this.appVersion,
      releaseVersion: this.releaseVersion,
    };
  }

  private record(kind: string, at: string, payload: unknown, key?: string): FleetRecord {
    return { idempotencyKey: key ?? `${kind}:${this.id}:${++this.seq}`, kind, at, source: this.source(), payload };
  }

  event(
    at: string,
    e: { type?: string; itemId: string; page?: number | null; dwellMs?: number | null; meetingId?: string | null },
  ): FleetRecord {
    const id = randomUUID();
    return this.record(
      'event',
      at,
      {
        id,
        type: e.type ?? (e.page ? 'page.viewed' : 'item.opened'),
        at,
        itemId: e.itemId,
        page: e.page ?? null,
        dwellMs: e.dwellMs ?? null,
        pitchId: null,
        meetingId: e.meetingId ?? null,
        releaseVersion: this.releaseVersion,
      },
      `event:${id}`,
    );
  }

  meeting(at: string, m: { id: string; account: string; outcome: string }): FleetRecord {
    return this.record(
      'meeting',
      at,
      {
        meetingId: m.id,
        Subject: `Meeting with ${m.account}: ${m.outcome}`,
        ActivityDate: at.slice(0, 10),
        Status: 'Completed',
        Account: m.account,
        Outcome: m.outcome,
        startedAt: at,
        endedAt: at,
      },
      `meeting:${m.id}`,
    );
  }

  searchMiss(at: string, query: string, surface: 'rep' | 'kiosk' = 'rep'): FleetRecord {
    return this.record('search-miss', at, { query, surface });
  }

  lead(
    at: string,
    l: { id: string; email: string; consentVersion: string | null; viewedItems: string[] },
  ): FleetRecord {
    return this.record(
      'lead',
      at,
      {
        leadId: l.id,
        capturedAt: at,
        consentVersion: l.consentVersion,
        rating: null,
        interests: [],
        viewedItems: l.viewedItems,
        firstName: 'Vera',
        lastName: 'Visitor',
        email: l.email,
      },
      `lead:${l.id}`,
    );
  }

  status(at: string, s: { releaseVersion: number | null; ready: boolean }): FleetRecord {
    return this.record('device-status', at, {
      releaseVersion: s.releaseVersion,
      lastSyncAt: at,
      storageBytes: 1_000_000,
      freeBytes: 50_000_000,
      pending: { event: 0 },
      appVersion: this.appVersion,
      profileKind: 'standard',
      pitches: [{ id: 'p1', title: 'Harbour pitch', ready: s.ready }],
    });
  }
}
