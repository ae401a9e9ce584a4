import { z } from 'zod';
import type { ForwardedRecord } from '#shared/fleet';
import type { ForwardingOverview, ForwardState, ForwardView } from '#shared/studio-fleet';
import type { ConnectionTestResult } from '#shared/sync';
import { route, type Routes, type StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import {
  FORWARDING_KINDS,
  forwardingChange,
  forwardingTestRequest,
  forwardingView,
  readForwarding,
  testForwarding,
  updateForwarding,
  type ForwardingView,
} from './destinations.ts';
import { forwarderOf, makeForwardsDue, type ForwardReport } from './queue.ts';

/** Where a row stands: sent, never sent (held), without a destination, failing, or next in line. */
function stateOf(
  row: { sent_at: string | null; held: string | null; destination: string; last_error: string | null },
  destinations: ForwardingView,
): ForwardState {
  if (row.sent_at) return 'sent';
  if (row.held) return 'held';
  if (!destinations[row.destination as keyof ForwardingView]) return 'waiting';
  return row.last_error ? 'retrying' : 'queued';
}

/**
 * What a device's feed says of its latest leads' forwarding, so the booth's staff list shows
 * whether each reached the CRM. Keys and states only: nothing of the visitor.
 */
export async function forwardedFor(ctx: StudioContext, deviceId: string): Promise<ForwardedRecord[]> {
  const destinations = forwardingView(await readForwarding(ctx));
  const rows = await ctx.db
    .selectFrom('fleet_forwards')
    .select(['idempotency_key', 'destination', 'sent_at', 'held', 'last_error'])
    .where('device_id', '=', deviceId)
    .where('kind', '=', 'lead')
    .orderBy('at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    key: r.idempotency_key,
    state: stateOf(r, destinations),
    at: r.sent_at,
    reason: r.held ?? (r.sent_at ? null : r.last_error),
  }));
}

const stateFilter = z.enum(['sent', 'waiting', 'queued', 'retrying', 'held']);

async function overview(ctx: StudioContext): Promise<ForwardingOverview> {
  const stored = await readForwarding(ctx);
  const destinations = forwardingView(stored);
  const rows = await ctx.db
    .selectFrom('fleet_forwards')
    .select((eb) => [
      'destination',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.count<number | string>('sent_at').as('sent'),
      eb.fn.count<number | string>('held').as('held'),
      eb.fn.count<number | string>('last_error').as('erring'),
    ])
    .groupBy('destination')
    .execute();
  const counts: Record<ForwardState, number> = { sent: 0, waiting: 0, queued: 0, retrying: 0, held: 0 };
  for (const r of rows) {
    const total = Number(r.n);
    const sent = Number(r.sent);
    const held = Number(r.held);
    counts.sent += sent;
    counts.held += held;
    const open = total - sent - held;
    if (!destinations[r.destination as keyof ForwardingView]) counts.waiting += open;
    else {
      // Rows with an error that are not sent are those waiting for a retry.
      const retrying = Math.min(open, Number(r.erring));
      counts.retrying += retrying;
      counts.queued += open - retrying;
    }
  }
  const last = await ctx.db
    .selectFrom('fleet_forwards')
    .select('last_error')
    .where('sent_at', 'is', null)
    .where('last_error', 'is not', null)
    .orderBy('next_attempt_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { destinations, counts, lastError: last?.last_error ?? null };
}

async function list(
  ctx: StudioContext,
  args: { kind?: string | undefined; state?: ForwardState | undefined; limit: number },
): Promise<ForwardView[]> {
  const destinations = forwardingView(await readForwarding(ctx));
  let query = ctx.db
    .selectFrom('fleet_forwards as f')
    .leftJoin('fleet_records as r', (join) =>
      join.onRef('r.device_id', '=', 'f.device_id').onRef('r.idempotency_key', '=', 'f.idempotency_key'),
    )
    .select([
      'f.device_id',
      'f.idempotency_key',
      'f.kind',
      'f.destination',
      'f.at',
      'f.attempts',
      'f.last_error',
      'f.held',
      'f.next_attempt_at',
      'f.sent_at',
      'f.sent_to',
      'r.booth',
      'r.rep',
      'r.team',
      'r.consent_version',
    ]);
  if (args.kind) query = query.where('f.kind', '=', args.kind);
  const configured = FORWARDING_KINDS.filter((k) => destinations[k]);
  switch (args.state) {
    case 'sent':
      query = query.where('f.sent_at', 'is not', null);
      break;
    case 'held':
      query = query.where('f.held', 'is not', null);
      break;
    case 'waiting':
      query = query.where('f.sent_at', 'is', null).where('f.held', 'is', null);
      if (configured.length) query = query.where('f.destination', 'not in', configured);
      break;
    case 'queued':
    case 'retrying':
      query = query
        .where('f.sent_at', 'is', null)
        .where('f.held', 'is', null)
        .where('f.last_error', args.state === 'queued' ? 'is' : 'is not', null)
        .where('f.destination', 'in', configured.length ? configured : ['-']);
      break;
    default:
      break;
  }
  const rows = await query.orderBy('f.at', 'desc').limit(args.limit).execute();
  return rows.map((r) => {
    const state = stateOf(r, destinations);
    return {
      deviceId: r.device_id,
      key: r.idempotency_key,
      kind: r.kind,
      at: r.at,
      booth: r.booth ?? null,
      rep: r.rep ?? null,
      team: r.team ?? null,
      consentVersion: r.consent_version ?? null,
      state,
      attempts: Number(r.attempts),
      lastError: r.held ?? r.last_error,
      nextAttemptAt: state === 'retrying' ? r.next_attempt_at : null,
      sentAt: r.sent_at,
      sentTo: r.sent_to,
    };
  });
}

/** The admin's forwarding: where leads and meetings go, a test of it, what went and what waits. */
export const forwardingRoutes: Routes = {
  'forwarding.get': route({
    method: 'GET',
    path: '/api/forwarding',
    args: z.object({}).strict(),
    run: (ctx) => overview(ctx),
  }),
  'forwarding.update': route({
    method: 'PUT',
    path: '/api/forwarding',
    args: forwardingChange,
    async run(ctx, caller, args) {
      const destinations = await updateForwarding(ctx, caller, args);
      // What waited for a destination may go now.
      void forwarderOf(ctx)?.runNow();
      return destinations;
    },
  }),
  'forwarding.test': route({
    method: 'POST',
    path: '/api/forwarding/test',
    args: forwardingTestRequest,
    run: (ctx, _caller, args): Promise<ConnectionTestResult> => testForwarding(ctx, args),
  }),
  'forwarding.retry': route({
    method: 'POST',
    path: '/api/forwarding/retry',
    args: z.object({}).strict(),
    async run(ctx): Promise<ForwardReport> {
      const forwarder = forwarderOf(ctx);
      if (!forwarder) throw new StudioError('bad-request', 'Forwarding does not run in this Studio process.');
      await makeForwardsDue(ctx);
      return forwarder.runNow();
    },
  }),
  'forwarding.records': route({
    method: 'GET',
    path: '/api/forwarding/records',
    args: z
      .object({
        kind: z.enum(['lead', 'meeting', 'followup']).optional(),
        state: stateFilter.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    run: (ctx, _caller, args) => list(ctx, args),
  }),
};
