import { randomUUID } from 'node:crypto';
import type { StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';

/** Longer than any publish; a Studio that died mid-publish frees the channel after it. */
const lockMs = 30 * 60_000;

/**
 * One publish per channel across every Studio process sharing the database (several behind a
 * load balancer): a row in `settings`, taken in a transaction, whose primary key makes a
 * second taker fail. Within one process, publishes of a channel also queue (ctx.serialise).
 */
export async function withPublishLock<T>(ctx: StudioContext, channel: string, task: () => Promise<T>): Promise<T> {
  const key = `publish-lock:${channel}`;
  const value = `${new Date(ctx.now().getTime() + lockMs).toISOString()}|${randomUUID()}`;
  const busy = () =>
    new StudioError('conflict', 'Another publish of this channel is running; try again when it is done.');
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      if (held && held.value.split('|')[0]! > ctx.now().toISOString()) throw busy();
      await trx.deleteFrom('settings').where('key', '=', key).execute();
      await trx.insertInto('settings').values({ key, value }).execute();
    });
  } catch (error) {
    if (error instanceof StudioError) throw error;
    // Two takers at the same instant: the primary key lets one in.
    throw busy();
  }
  try {
    return await task();
  } finally {
    await ctx.db.deleteFrom('settings').where('key', '=', key).where('value', '=', value).execute();
  }
}
