import { sql } from 'kysely';
import { sqliteHandleOf, type StudioDb } from '#studio/database/connection';

/**
 * The keys of records stored and not yet counted into the rollups (of one device, or all):
 * PostgreSQL lists them in fleet_rollup_pending; SQLite numbers them past its folds' mark
 * (`fold_seq`, main/studio/fleet/folding.ts).
 */
export async function unfoldedKeys(db: StudioDb, deviceId?: string): Promise<string[]> {
  let listed = db.selectFrom('fleet_rollup_pending').select('idempotency_key');
  if (deviceId !== undefined) listed = listed.where('device_id', '=', deviceId);
  const keys = (await listed.execute()).map((r) => r.idempotency_key);
  if (sqliteHandleOf(db)) {
    const numbered = await sql<{ key: string }>`select idempotency_key as key from fleet_records
      where fold_seq > (select folded from fleet_fold_mark where id = 1)
      ${deviceId === undefined ? sql`` : sql`and device_id = ${deviceId}`}`.execute(db);
    keys.push(...numbered.rows.map((r) => r.key));
  }
  return keys;
}
