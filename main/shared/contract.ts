/**
 * The one contract between the UI and the core, assembled from one slice per capability
 * (./contract/*.ts: an interface and, beside it, the zod schema of every argument). The preload,
 * the IPC registration and the browser host all loop over `apiMethods`/`eventNames`; nobody
 * hand-writes a channel. Every method takes one serialisable argument and returns a Promise.
 *
 * Adding a method: declare it and its schema in its capability's slice, and implement it in
 * that capability's handlers in the core. The method list, the argument schemas and the access
 * table (./access.ts, which then fails to compile until the method has an entry) follow.
 */
import type { AudienceScreenStatus, AudienceState } from './audience-screen.ts';
import type { CrmCacheStatus } from './crm.ts';
import type { EnrolLink } from './enrol-link.ts';
import type { AppUpdateStatus, DeliveryStatus, SyncStatus } from './sync.ts';
import { audienceArgs, type AudienceApi } from './contract/audience.ts';
import { crmArgs, type CrmApi } from './contract/crm.ts';
import { deliveryArgs, type DeliveryApi } from './contract/delivery.ts';
import { fleetArgs, type FleetApi } from './contract/fleet.ts';
import { kioskArgs, type KioskApi } from './contract/kiosk.ts';
import { libraryArgs, type LibraryApi } from './contract/library.ts';
import { presentingArgs, type PresentingApi } from './contract/presenting.ts';
import { quizzesArgs, type QuizzesApi } from './contract/quizzes.ts';
import { rehearseArgs, type RehearseApi } from './contract/rehearse.ts';
import { searchArgs, type SearchApi } from './contract/search.ts';
import type { ArgSchemas } from './contract/schema.ts';
import { syncArgs, type SyncApi } from './contract/sync.ts';
import { updatesArgs, type UpdatesApi } from './contract/updates.ts';

export type { NoArg } from './contract/schema.ts';
export type {
  AudienceApi,
  CrmApi,
  DeliveryApi,
  FleetApi,
  KioskApi,
  LibraryApi,
  PresentingApi,
  QuizzesApi,
  RehearseApi,
  SearchApi,
  SyncApi,
  UpdatesApi,
};

/** Every capability's methods: what the renderer's client and the core's handlers implement. */
export type PitchcaseApi = LibraryApi &
  SearchApi &
  SyncApi &
  UpdatesApi &
  KioskApi &
  DeliveryApi &
  PresentingApi &
  CrmApi &
  AudienceApi &
  FleetApi &
  RehearseApi &
  QuizzesApi;

export type ApiMethod = keyof PitchcaseApi;
export type ApiArg<M extends ApiMethod> = Parameters<PitchcaseApi[M]>[0];
export type ApiReturn<M extends ApiMethod> = Awaited<ReturnType<PitchcaseApi[M]>>;

export interface PitchcaseEvents {
  /** A new release became current; screens reload what they show. */
  'library.changed': { version: number };
  /** Content sync state changed (checking, progress, available, applied, failed). */
  'sync.status': SyncStatus;
  /** An app update has been downloaded and installs on restart. */
  'update.ready': { version: string };
  /** App update state changed. */
  'update.status': AppUpdateStatus;
  /** The profile kind changed: the app must start again to apply it. */
  'app.restartRequired': { reason: string };
  /** The CRM cache was filled (from Salesforce or a file): pickers update "cached <when>". */
  'crm.changed': CrmCacheStatus;
  /** What the audience screen of a presentation shows now (rep -> audience, never back). */
  'presenter.audience': AudienceState;
  /** The desktop app opened or closed an audience window on a second display. */
  'presenter.screens': AudienceScreenStatus;
  /** An outbox upload run ended (sent, refused or offline): the sync-health panel refreshes. */
  'delivery.status': DeliveryStatus;
  /**
   * Enrolment, uploads to Studio or its feed changed (a revoked device says so at once). Only
   * flags: every window hears events, a kiosk visitor's too; screens ask getFleetStatus.
   */
  'fleet.changed': { enrolled: boolean; revoked: boolean };
  /**
   * The desktop app was opened with an enrolment link (`pitchcase-enrol://connect?…`) while running: the
   * rep's window shows the connect screen filled in with it; nothing connects until the rep does.
   */
  'fleet.enrolLink': EnrolLink;
  /** A take's way to review moved (queued, a chunk acknowledged, sent, feedback arrived): re-read the takes. */
  'rehearse.changed': Record<string, never>;
}

export type EventName = keyof PitchcaseEvents;

/**
 * Events a shell announces through the core's bus (it alone knows them): the desktop app's
 * audience window, and an enrolment link the system opened the app with. They reach every
 * window and the browser host's stream like any other, by the access table.
 */
export type ShellEventName = Extract<EventName, 'presenter.screens' | 'fleet.enrolLink'>;

/** True only when A and B are the same union; used to pin runtime lists to the interfaces. */
export type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Every method's argument schema, validated where untrusted data enters the core (IPC from a
 * renderer, HTTP from a browser). A capability's slice that misses a method fails its own
 * `satisfies`; this one fails when a capability is left out.
 */
export const apiArgSchemas = {
  ...libraryArgs,
  ...searchArgs,
  ...syncArgs,
  ...updatesArgs,
  ...kioskArgs,
  ...deliveryArgs,
  ...presentingArgs,
  ...crmArgs,
  ...audienceArgs,
  ...fleetArgs,
  ...rehearseArgs,
  ...quizzesArgs,
} satisfies ArgSchemas<PitchcaseApi>;

/** The runtime list of methods, derived from the schemas (so it cannot miss one). */
export const apiMethods = Object.freeze(Object.keys(apiArgSchemas)) as readonly (keyof typeof apiArgSchemas)[];
export const eventNames = [
  'library.changed',
  'sync.status',
  'update.ready',
  'update.status',
  'app.restartRequired',
  'crm.changed',
  'presenter.audience',
  'presenter.screens',
  'delivery.status',
  'fleet.changed',
  'fleet.enrolLink',
  'rehearse.changed',
] as const satisfies readonly EventName[];

// Compile-time guards: adding a method to the interface without listing it (or the reverse)
// fails `tsc`, long before an IPC channel silently goes missing.
const methodsComplete: SameKeys<(typeof apiMethods)[number], ApiMethod> = true;
const eventsComplete: SameKeys<(typeof eventNames)[number], EventName> = true;
void methodsComplete;
void eventsComplete;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (apiMethods as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}

/** The IPC channel names, derived, so main and preload cannot disagree. */
export const ipcChannels = {
  invoke: 'pitchcase:invoke',
  event: 'pitchcase:event',
} as const;
