import { z } from 'zod';
import { DEVICE_AUTH_SCHEME, FLEET_PATHS, type FleetRecord, type IngestAnswer } from '#shared/fleet';
import { studioRules } from '#shared/connectors/studio';
import { endpointMessage, exchange, networkReason, redirectProblem } from '../http.ts';
import type { Transport } from './connector.ts';

/**
 * Studio as an outbox destination: a batch of FleetRecords POSTed to the ingest endpoint with
 * the device credential and the batch's Idempotency-Key. Studio answers 200 with the records it
 * refused one by one (those are never sent again; the rest are stored), 403 `revoked` when the
 * company disconnected the device (nothing more is sent), 401 for a credential it does not know.
 * Enrolment sets it up (main/core/fleet); the rules it shares with the screens are in
 * main/shared/connectors/studio.ts.
 */
export interface StudioEndpoint {
  type: typeof studioRules.type;
  /** Absolute URL of the ingest endpoint Studio gave at enrolment. */
  ingestUrl: string;
  /** `<deviceId>.<secret>`, opened from its seal only for the request. */
  credential: string;
}

/** Studio disconnected this device: it says so and stops sending. */
export class DeviceRevokedError extends Error {
  constructor() {
    super('Studio refused this device: it was disconnected (revoked)');
    this.name = 'DeviceRevokedError';
  }
}

/** The header that carries the device credential on every fleet call. */
export function deviceAuthorization(credential: string): string {
  return `${DEVICE_AUTH_SCHEME} ${credential}`;
}

/** True when a 403's body says `{ "error": "revoked" }`. */
export function saysRevoked(status: number, body: string): boolean {
  if (status !== 403) return false;
  try {
    return (JSON.parse(body) as { error?: unknown }).error === 'revoked';
  } catch {
    return false;
  }
}

const ingestAnswer: z.ZodType<IngestAnswer> = z.object({
  accepted: z.number().int().nonnegative(),
  duplicate: z.boolean(),
  refused: z.array(
    z.object({ index: z.number().int().nonnegative(), idempotencyKey: z.string().nullable(), reason: z.string() }),
  ),
});

export const studioConnector = {
  type: studioRules.type,
  /** Studio takes up to 5000 records a batch; smaller batches keep a retry cheap on a weak link. */
  maxBatch: 200,

  /** Sends one batch; resolves with Studio's answer (refusals included), throws when nothing was stored. */
  async send(
    endpoint: StudioEndpoint,
    batch: { key: string; records: readonly FleetRecord[] },
    transport: Transport,
  ): Promise<IngestAnswer> {
    const host = new URL(endpoint.ingestUrl).host;
    let answer;
    try {
      answer = await exchange(
        transport.fetchImpl,
        endpoint.ingestUrl,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': batch.key,
            Authorization: deviceAuthorization(endpoint.credential),
          },
          body: JSON.stringify({ records: batch.records }),
        },
        transport.timeoutMs,
        `Studio (${host})`,
      );
    } catch (error) {
      throw new Error(`Could not reach Studio at ${host}: ${networkReason(error)}`, { cause: error });
    }
    if (saysRevoked(answer.status, answer.body)) throw new DeviceRevokedError();
    const redirect = redirectProblem(endpoint.ingestUrl, answer, `Studio (${host})`);
    if (redirect) throw new Error(redirect);
    if (answer.status === 401)
      throw new Error(`Studio (${host}) does not know this device's credential (HTTP 401): enrol the device again`);
    if (answer.status < 200 || answer.status > 299) {
      const said = endpointMessage(answer.body);
      throw new Error(`Studio (${host}) answered HTTP ${answer.status}${said ? `: ${said}` : ''}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body) as unknown;
    } catch {
      throw new Error(`Studio (${host}) answered the upload with something that is not JSON`);
    }
    const checked = ingestAnswer.safeParse(parsed);
    if (!checked.success) throw new Error(`Studio (${host}) answered the upload in a shape this version does not know`);
    return checked.data;
  },
};

/** The ingest and feed URLs of a Studio base URL, as the contract names the paths. */
export function studioUrls(studioUrl: string): { enrol: string; ingest: string; feed: string } {
  const base = studioUrl.trim().replace(/\/+$/, '');
  return { enrol: base + FLEET_PATHS.enrol, ingest: base + FLEET_PATHS.ingest, feed: base + FLEET_PATHS.feed };
}
