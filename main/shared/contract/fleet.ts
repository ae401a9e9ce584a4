/**
 * The device's side of the fleet: enrolment with a Studio by code, what the device reports about
 * itself, what is recorded about the rep (and where it goes), and what Studio last said (feed).
 */
import { z } from 'zod';
import type { FleetFeed, FleetIdentity, FleetKind, RecordSource } from '../fleet.ts';
import { noArg, type ArgSchemas, type NoArg } from './schema.ts';

/** Why the device no longer sends to Studio, in the words the rep reads. */
export const REVOKED_MESSAGE = 'This device was disconnected by your company';

export interface FleetStatus {
  /** The id every record carries: Studio's once enrolled, else this device's own local id. */
  deviceId: string;
  enrolled: boolean;
  /** Studio refused this device (403 revoked): nothing more is sent; local data is kept. */
  revoked: { at: string; message: string } | null;
  identity: FleetIdentity | null;
  studioUrl: string | null;
  enrolledAt: string | null;
  /**
   * The device was disconnected from Studio on the device itself (not enrolled now): when, from
   * which Studio, and whether Studio has been told yet (it is, at the next contact).
   */
  disconnected: { at: string; studioUrl: string; studioTold: boolean } | null;
  /** The first-run "Connect to your company" screen was skipped (settings still offer it). */
  connectSkipped: boolean;
  /** Records waiting for Studio, and those it refused (they are not sent again). */
  pending: number;
  refused: number;
  lastUploadAt: string | null;
  lastError: { at: string; message: string } | null;
  /** What Studio last said to this device, kept for offline reading, with when it was fetched. */
  feed: { feed: FleetFeed; fetchedAt: string } | null;
}

/** One kind of record the device makes, as the privacy screen explains it. */
export interface RecordKindInfo {
  kind: FleetKind;
  label: string;
  /** What a record of this kind holds, in a sentence. */
  holds: string;
  /** Where records of this kind go from this device now (Studio, a webhook, a folder …). */
  destinations: string[];
}

/** One record the device made, as the rep may inspect it. */
export interface RecordedItem {
  kind: string;
  at: string;
  /** A one-line human summary of the payload (no lead's personal data). */
  summary: string;
  source: RecordSource | null;
  /** 'sent', 'waiting', or Studio's reason for refusing it. */
  studio: { state: 'sent' | 'waiting' | 'refused' | 'not-sent'; reason: string | null };
  sentElsewhere: boolean;
}

export interface RecordsAboutMe {
  /** Who the records say you are. */
  source: RecordSource;
  kinds: RecordKindInfo[];
  recent: RecordedItem[];
}

export interface FleetApi {
  /** Enrolment, identity, uploads to Studio and its last feed. On a kiosk, staff only. */
  getFleetStatus(arg: NoArg): Promise<FleetStatus>;
  /**
   * Enrols this device with Studio by a code (rep or booth): stores the channel, pinned keys,
   * sealed credential and identity, and makes Studio a destination. A refused code changes nothing.
   */
  enrolDevice(arg: { studioUrl: string; code: string; deviceName?: string }): Promise<FleetStatus>;
  /** The rep chose "Not now" on the first-run connect screen. */
  skipFleetConnect(arg: NoArg): Promise<FleetStatus>;
  /**
   * "Disconnect from Studio": stops sending to Studio, forgets the device credential and identity,
   * keeps every local record and the installed release, and tells Studio (now, or at the next
   * contact when offline). The rep's choice; on a kiosk, staff behind the PIN.
   */
  disconnectFromStudio(arg: NoArg): Promise<FleetStatus>;
  /** Uploads to Studio now and fetches its feed (also runs after every sync). */
  syncFleetNow(arg: NoArg): Promise<FleetStatus>;
  /** What Pitchcase records about the rep, the last records and where they go. */
  getRecordsAboutMe(arg: { limit?: number }): Promise<RecordsAboutMe>;
}

export const fleetArgs = {
  getFleetStatus: noArg,
  enrolDevice: z
    .object({
      studioUrl: z.string().min(1).max(2048),
      code: z.string().trim().min(4).max(64),
      deviceName: z.string().max(200).optional(),
    })
    .strict(),
  skipFleetConnect: noArg,
  disconnectFromStudio: noArg,
  syncFleetNow: noArg,
  getRecordsAboutMe: z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(),
} satisfies ArgSchemas<FleetApi>;

export type { FleetKind };
