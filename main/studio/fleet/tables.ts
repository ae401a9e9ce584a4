/**
 * The fleet's tables (enrolment, devices, ingested records), in the same portable style as the
 * rest of Studio's schema: text ids and ISO timestamps, integers for booleans, JSON as text.
 */
export interface FleetCodeTable {
  id: string;
  /** sha256 of the code: the code itself is shown once, when it is made. */
  code_hash: string;
  kind: string;
  rep_name: string | null;
  rep_email: string | null;
  booth_event: string | null;
  team: string | null;
  region: string | null;
  channel: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  device_id: string | null;
}

export interface FleetDeviceTable {
  id: string;
  kind: string;
  rep_name: string | null;
  rep_email: string | null;
  booth_event: string | null;
  team: string | null;
  region: string | null;
  channel: string;
  name: string;
  platform: string;
  app_version: string;
  profile_kind: string;
  /** sha256 of the device's secret; the secret itself lives sealed on the device only. */
  credential_hash: string;
  enrolled_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  last_seen_at: string | null;
  /** The device disconnected itself (its credential is refused from then on, as if revoked). */
  disconnected_at?: string | null;
}

export interface FleetDeviceStatusTable {
  device_id: string;
  at: string;
  release_version: number | null;
  last_sync_at: string | null;
  storage_bytes: number | string | bigint;
  free_bytes: number | string | bigint | null;
  pending_total: number;
  app_version: string;
  profile_kind: string;
  pitches_total: number;
  pitches_ready: number;
}

export interface FleetBatchTable {
  device_id: string;
  idempotency_key: string;
  /** The answer given the first time, given again to a repeat. */
  answer: string;
  received_at: string;
}

/**
 * One row per record a device sent, stored once per (device, record key). The columns the
 * dashboards group by are pulled out of the payload at ingest; the payload is kept as JSON,
 * sealed with Studio's lead key for leads.
 */
export interface FleetRecordTable {
  device_id: string;
  idempotency_key: string;
  kind: string;
  at: string;
  day: string;
  received_at: string;
  rep: string | null;
  booth: string | null;
  team: string | null;
  region: string | null;
  app_version: string;
  release_version: number | null;
  /** An event's type; for a lead, the update it carries (null for a new visitor's lead). */
  event_type: string | null;
  item_id: string | null;
  page: number | null;
  dwell_ms: number | null;
  /** A logarithmic bucket of dwell_ms (about 5% wide), so medians come from a small histogram. */
  dwell_bucket: number | null;
  meeting_id: string | null;
  account: string | null;
  outcome: string | null;
  query_folded: string | null;
  consent_version: string | null;
  /** A lead's items looked at before leaving details (item ids as JSON): not personal, so not sealed. */
  viewed_items: string | null;
  retain_until: string | null;
  payload: string;
  sealed: number;
}

export interface FleetManagerTeamTable {
  user_id: string;
  team: string;
}

/** Histogram columns h00..h43 of the rollups (rollups.ts): views per dwell bucket. */
type DwellHistogram = Record<`h${number}`, number>;

/** Content use per (day, team, item): the sums behind the content views (rollups.ts). '' = none. */
export interface FleetUsageDailyTable extends DwellHistogram {
  day: string;
  team: string;
  item_id: string;
  opens: number;
  views: number;
  dwell_ms: number | string | bigint;
  /** Distinct (device, meeting) that showed the item that day. */
  meetings: number;
  last_opened_at: string | null;
}

/** fleet_usage_daily summed over days (no day column), for views over all time. */
export type FleetUsageTotalTable = Omit<FleetUsageDailyTable, 'day'>;

/** Page views per (item, page, day, team), for page drop-off. */
export interface FleetPageDailyTable extends DwellHistogram {
  item_id: string;
  page: number;
  day: string;
  team: string;
  views: number;
  dwell_ms: number | string | bigint;
}

/** The (device, meeting, item, day) sets that make "meetings shown in" countable incrementally. */
export interface FleetMeetingItemTable {
  device_id: string;
  meeting_id: string;
  item_id: string;
  day: string;
  team: string;
}
export interface FleetMeetingDayTable {
  device_id: string;
  meeting_id: string;
  day: string;
  team: string;
}

/** Distinct (device, meeting) with page views per (day, team): meetings by team or by day. */
export interface FleetTeamDailyTable {
  day: string;
  team: string;
  meetings: number;
}

/** Records stored but not yet folded into the rollups, with what the rollups count of them (folding.ts). */
export type FleetRollupPendingTable = Pick<
  FleetRecordTable,
  | 'device_id'
  | 'idempotency_key'
  | 'at'
  | 'day'
  | 'team'
  | 'event_type'
  | 'item_id'
  | 'page'
  | 'dwell_ms'
  | 'dwell_bucket'
  | 'meeting_id'
>;

export interface FleetTables {
  fleet_rollup_pending: FleetRollupPendingTable;
  fleet_usage_daily: FleetUsageDailyTable;
  fleet_usage_total: FleetUsageTotalTable;
  fleet_page_daily: FleetPageDailyTable;
  fleet_meeting_items: FleetMeetingItemTable;
  fleet_meeting_days: FleetMeetingDayTable;
  fleet_team_daily: FleetTeamDailyTable;
  fleet_codes: FleetCodeTable;
  fleet_devices: FleetDeviceTable;
  fleet_device_status: FleetDeviceStatusTable;
  fleet_batches: FleetBatchTable;
  fleet_records: FleetRecordTable;
  fleet_manager_teams: FleetManagerTeamTable;
}
