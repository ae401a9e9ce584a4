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

export interface FleetTables {
  fleet_codes: FleetCodeTable;
  fleet_devices: FleetDeviceTable;
  fleet_device_status: FleetDeviceStatusTable;
  fleet_batches: FleetBatchTable;
  fleet_records: FleetRecordTable;
  fleet_manager_teams: FleetManagerTeamTable;
}
