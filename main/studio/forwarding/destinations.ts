import { z } from 'zod';
import {
  applyDeliveryChange,
  connectorOf,
  deliveryView,
  memoryTokenCache,
  secretBox,
  testDestination,
  type Endpoint,
  type OpenContext,
  type SecretBox,
  type StoredDeliverySettings,
  type StoredEndpoint,
} from '#core/outbox/index';
import { endpointProblems, endpointSettingsSchema, rulesOf } from '#shared/connectors/index';
import { PitchcaseError } from '#shared/result';
import type { ConnectionTestResult, EndpointSettings, EndpointView } from '#shared/sync';
import { recordAudit } from '../audit.ts';
import type { Caller, StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { studioKeys } from '../fleet/lead-key.ts';

/**
 * Where Studio forwards leads and meetings: the same connectors, settings and rules as a device's
 * "Where records go", stored in Studio's settings table with every secret sealed under a key
 * derived from Studio's lead key, read back with secrets only as "set", opened only for a request.
 */
export const FORWARDING_KINDS = ['lead', 'meeting'] as const;
export type ForwardingKind = (typeof FORWARDING_KINDS)[number];

const SETTINGS_KEY = 'forwarding.destinations';

export interface ForwardingView {
  lead: EndpointView | null;
  meeting: EndpointView | null;
}

const endpoint = endpointSettingsSchema;

/** A change from the admin's screen: kinds left out stay, null removes a destination. */
export const forwardingChange = z
  .object({ lead: endpoint.nullable().optional(), meeting: endpoint.nullable().optional() })
  .strict()
  .superRefine((change, ctx) => {
    for (const kind of FORWARDING_KINDS) {
      const target = change[kind];
      if (!target) continue;
      for (const problem of endpointProblems(kind, target))
        ctx.addIssue({ code: 'custom', path: [kind, problem.field], message: problem.message });
    }
  });

export const forwardingTestRequest = z
  .object({ kind: z.enum(FORWARDING_KINDS), endpoint: endpoint.optional() })
  .strict()
  .superRefine((arg, ctx) => {
    if (!arg.endpoint) return;
    for (const problem of endpointProblems(arg.kind, arg.endpoint))
      ctx.addIssue({ code: 'custom', path: ['endpoint', problem.field], message: problem.message });
  });

/** What a Studio process keeps for its connectors: the box, Salesforce tokens, memos. */
interface Keeper {
  box: SecretBox;
  tokens: ReturnType<typeof memoryTokenCache>;
  memos: Map<string, unknown>;
  /** The entries as last read, for a connector that asks which of its kind are still stored. */
  last: StoredDeliverySettings;
}
const keepers = new Map<string, Keeper>();
function keeperOf(ctx: StudioContext): Keeper {
  let keeper = keepers.get(ctx.dataDir);
  if (!keeper)
    keepers.set(
      ctx.dataDir,
      (keeper = { box: secretBox(studioKeys(ctx.dataDir)), tokens: memoryTokenCache(), memos: new Map(), last: {} }),
    );
  return keeper;
}

const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

export function openContext(ctx: StudioContext, timeoutMs: number, fetchImpl: typeof fetch = fetch): OpenContext {
  const keeper = keeperOf(ctx);
  return {
    tokens: keeper.tokens,
    box: keeper.box,
    clock: { now: () => ctx.now() },
    log: quietLog,
    transport: { fetchImpl, timeoutMs },
    storedOfType: () => Object.values(keeper.last).filter((e) => e !== null && e !== undefined),
    memo: <T>(key: string, make: () => T): T => {
      if (!keeper.memos.has(key)) keeper.memos.set(key, make());
      return keeper.memos.get(key) as T;
    },
  };
}

/** The stored entries; one that does not have its connector's stored shape is not trusted, and is left out. */
export async function readForwarding(ctx: StudioContext): Promise<StoredDeliverySettings> {
  const row = await ctx.db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
  const raw = row ? (JSON.parse(row.value) as Record<string, unknown>) : {};
  const stored: StoredDeliverySettings = {};
  for (const kind of FORWARDING_KINDS) {
    const entry = raw[kind] as { type?: unknown } | null | undefined;
    if (!entry || typeof entry.type !== 'string' || !rulesOf(entry.type as EndpointSettings['type'])) continue;
    const checked = connectorOf(entry.type as EndpointSettings['type']).stored.safeParse(entry);
    if (checked.success) stored[kind] = checked.data as StoredEndpoint;
  }
  keeperOf(ctx).last = stored;
  return stored;
}

export function forwardingView(stored: StoredDeliverySettings): ForwardingView {
  const view = deliveryView(stored);
  return { lead: view.lead, meeting: view.meeting };
}

/** Where records of a kind go now, as the card names it; null when nothing is set up. */
export function destinationTitle(stored: StoredDeliverySettings, kind: ForwardingKind): string | null {
  const view = forwardingView(stored)[kind];
  return view ? rulesOf(view.type).summary(view as never).title : null;
}

/** Each kind's endpoint with its secrets opened, for the worker's requests only. */
export function openEndpoints(
  ctx: StudioContext,
  stored: StoredDeliverySettings,
  timeoutMs: number,
  fetchImpl?: typeof fetch,
): Partial<Record<ForwardingKind, Endpoint | Error>> {
  const out: Partial<Record<ForwardingKind, Endpoint | Error>> = {};
  for (const kind of FORWARDING_KINDS) {
    const entry = stored[kind];
    if (!entry) continue;
    try {
      out[kind] = connectorOf(entry.type).open(entry, openContext(ctx, timeoutMs, fetchImpl));
    } catch (error) {
      out[kind] = new Error(
        `The credentials for ${kind}s cannot be opened by this Studio (${(error as Error).message}): set them again under Forwarding`,
      );
    }
  }
  return out;
}

export async function updateForwarding(
  ctx: StudioContext,
  caller: Caller,
  change: z.infer<typeof forwardingChange>,
): Promise<ForwardingView> {
  const keeper = keeperOf(ctx);
  const next = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    const current = row ? (JSON.parse(row.value) as StoredDeliverySettings) : {};
    let applied: StoredDeliverySettings;
    try {
      applied = applyDeliveryChange(current, change, keeper.box);
    } catch (error) {
      if (error instanceof PitchcaseError) throw new StudioError('bad-request', error.message);
      throw error;
    }
    const kept = { lead: applied.lead ?? null, meeting: applied.meeting ?? null };
    await trx.deleteFrom('settings').where('key', '=', SETTINGS_KEY).execute();
    await trx
      .insertInto('settings')
      .values({ key: SETTINGS_KEY, value: JSON.stringify(kept) })
      .execute();
    await recordAudit(trx, {
      at: ctx.now(),
      userId: caller.user!.id,
      action: 'forwarding-changed',
      subject: 'forwarding',
      // Which destinations, never their secrets.
      detail: {
        lead: kept.lead?.type ?? null,
        meeting: kept.meeting?.type ?? null,
      },
    });
    return kept;
  });
  keeper.last = next;
  for (const type of new Set(Object.values(next).map((e) => e?.type)))
    if (type) connectorOf(type).afterChange?.(openContext(ctx, 15_000));
  return forwardingView(next);
}

/** "Test connection" of a stored destination, or of one being edited (stored secrets kept only for the same host). */
export async function testForwarding(
  ctx: StudioContext,
  request: z.infer<typeof forwardingTestRequest>,
  fetchImpl?: typeof fetch,
): Promise<ConnectionTestResult> {
  const stored = await readForwarding(ctx);
  try {
    return await testDestination({
      current: stored[request.kind] ?? null,
      kind: request.kind,
      candidate: request.endpoint,
      box: keeperOf(ctx).box,
      context: () => openContext(ctx, 15_000, fetchImpl),
    });
  } catch (error) {
    if (error instanceof PitchcaseError) throw new StudioError('bad-request', error.message);
    throw error;
  }
}
