import { randomUUID } from 'node:crypto';
import type { StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';

/**
 * How long a taken lock holds without being renewed. A running publish renews it far more often
 * (publish-jobs.ts); a Studio that died mid-publish frees the channel after this.
 */
export const publishLockMs = 2 * 60_000;

const lockKey = (channel: string) => `publish-lock:${channel}`;

export interface PublishLock {
  /** Pushes the expiry on; false when the lock was lost (expired and taken by someone else). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * One publish per channel across every Studio process sharing the database (several behind a
 * load balancer): a row in `settings`, taken in a transaction, whose primary key makes a
 * second taker fail. `holder` names who holds it (a publish job's id), so a restarted Studio can
 * free the lock of a job it found interrupted.
 */
export async function takePublishLock(
  ctx: StudioContext,
  channel: string,
  holder: string = randomUUID(),
): Promise<PublishLock> {
  const key = lockKey(channel);
  const valueAt = (ms: number) => `${new Date(ms + publishLockMs).toISOString()}|${holder}`;
  let value = valueAt(ctx.now().getTime());
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
  return {
    async renew() {
      const next = valueAt(ctx.now().getTime());
      const result = await ctx.db
        .updateTable('settings')
        .set({ value: next })
        .where('key', '=', key)
        .where('value', '=', value)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      value = next;
      return true;
    },
    async release() {
      await ctx.db.deleteFrom('settings').where('key', '=', key).where('value', '=', value).execute();
    },
  };
}

/** Frees a lock its holder can no longer release (its Studio stopped mid-publish). */
export async function freePublishLock(ctx: StudioContext, channel: string, holder: string): Promise<void> {
  await ctx.db
    .deleteFrom('settings')
    .where('key', '=', lockKey(channel))
    .where('value', 'like', `%|${holder}`)
    .execute();
}
