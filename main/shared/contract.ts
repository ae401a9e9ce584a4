/**
 * The one contract between the UI and the core. The preload, the IPC registration and the
 * browser host all loop over `apiMethods`/`eventNames`; nobody hand-writes a channel.
 * Every method takes one serialisable argument and returns a Promise.
 */
import type { AppInfo, ItemDetail, LibraryView } from './library.ts';
import type { SearchRequest, SearchResponse } from './search.ts';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an explicit "no argument" shape
export type NoArg = {};

export interface PitchcaseApi {
  getAppInfo(arg: NoArg): Promise<AppInfo>;
  getLibrary(arg: NoArg): Promise<LibraryView>;
  getItem(arg: { id: string }): Promise<ItemDetail>;
  /** Items (grouped, with their best pages and snippets) and glossary entries for a query. */
  search(arg: SearchRequest): Promise<SearchResponse>;
  /** The rep's recent searches that found something, newest first. */
  getRecentSearches(arg: { limit?: number }): Promise<string[]>;
}

export type ApiMethod = keyof PitchcaseApi;
export type ApiArg<M extends ApiMethod> = Parameters<PitchcaseApi[M]>[0];
export type ApiReturn<M extends ApiMethod> = Awaited<ReturnType<PitchcaseApi[M]>>;

export interface PitchcaseEvents {
  /** A new release became current; screens reload what they show. */
  'library.changed': { version: number };
  /** Content sync progress (filled in by the channel). */
  'sync.progress': { phase: string; bytesDone: number; bytesTotal: number };
  /** The user has been idle this long (kiosk attract loop, session reset). */
  idle: { idleSeconds: number };
  /** An app update has been downloaded and installs on restart. */
  'update.ready': { version: string };
}

export type EventName = keyof PitchcaseEvents;

/** True only when A and B are the same union; used to pin runtime lists to the interfaces. */
export type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const apiMethods = ['getAppInfo', 'getLibrary', 'getItem', 'search', 'getRecentSearches'] as const satisfies readonly ApiMethod[];
export const eventNames = [
  'library.changed',
  'sync.progress',
  'idle',
  'update.ready',
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
