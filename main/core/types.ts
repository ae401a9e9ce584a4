import type { Durability } from './storage/blobs.ts';
import type { EventName, PitchcaseApi, PitchcaseEvents, ShellEventName } from '#shared/contract';
import type { ProfileKind, Shell } from '#shared/library';
import type { Result } from '#shared/result';
import type { AppUpdateStatus } from '#shared/sync';
import type { KeyProvider } from './crypto/index.ts';
import type { CallOrigin } from './entry.ts';
import type { ContentResponse } from './content/response.ts';

export interface Clock {
  now(): Date;
}

export interface Log {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A release folder shipped inside the app, installed on first run (the demo library). */
export interface EmbeddedRelease {
  dir: string;
  publicKeyPem: string;
}

/**
 * The app's own updates, behind a small adapter: electron-updater in Electron (main/electron),
 * a fake in tests, none in the browser host (the core then reports 'unsupported').
 */
export interface AppUpdater {
  status(): AppUpdateStatus;
  /** Checks for, and downloads in the background, a newer version. */
  check(): Promise<void>;
  /** Quits and installs a downloaded update; does nothing unless one is ready. */
  restartToUpdate(): void;
  onStatus(listener: (status: AppUpdateStatus) => void): () => void;
}

export interface CoreOptions {
  /** Everything of one profile lives here: pitchcase.db, blobs/, settings. */
  profileDir: string;
  shell: Shell;
  profileKind?: ProfileKind;
  /** Base URL of the separate origin that serves microsites, without a trailing slash. */
  siteBaseUrl: string;
  /**
   * The built script that underlines glossary terms in microsite pages; defaults to the one in
   * build/renderer. When the file is missing, pages are served without it.
   */
  siteGlossaryScript?: string;
  embeddedRelease?: EmbeddedRelease | null;
  /** How content files reach the disk (fsync); tests stand in a slow or failing disk. */
  durability?: Durability;
  /** Bytes per chunk of a practice recording's upload (the protocol's 1 MiB unless a test wants many chunks). */
  practiceChunkBytes?: number;
  appVersion?: string;
  updater?: AppUpdater | null;
  /** Where staff exports (lead CSV) are written; defaults to <profile>/exports. */
  exportDir?: string;
  /** Key for sealing leads: the OS keystore in Electron; a key file in the profile otherwise. */
  keys?: KeyProvider;
  /**
   * Check the content channel on start and on a schedule (the apps do; tests and one-shot CLI
   * commands do not).
   */
  backgroundSync?: boolean;
  /** Tuning of content downloads (tests shorten the delays). */
  sync?: { concurrency?: number; attempts?: number; retryBaseMs?: number; idleTimeoutMs?: number };
  /**
   * Tuning of outbox uploads (tests shorten the delays). `fetchImpl` replaces the global fetch,
   * e.g. with Electron's net.fetch, or in a test that needs to act between an answer and its
   * acknowledgement.
   */
  delivery?: {
    batchSize?: number;
    timeoutMs?: number;
    retryBaseMs?: number;
    maxBackoffMs?: number;
    fetchImpl?: typeof fetch;
  };
  clock?: Clock;
  log?: Log;
}

export interface CoreEvents {
  on<E extends EventName>(event: E, listener: (payload: PitchcaseEvents[E]) => void): () => void;
  /** Every event, for shells that forward them all (IPC, server-sent events). */
  onAny(listener: <E extends EventName>(event: E, payload: PitchcaseEvents[E]) => void): () => void;
  /** A shell's own event, sent around the same bus so every subscriber hears it. */
  announce<E extends ShellEventName>(event: E, payload: PitchcaseEvents[E]): void;
}

export interface ContentService {
  /** A blob of the current library by hash, with its MIME type; honours a Range header. */
  blob(sha256: string, range?: string | null): ContentResponse;
  /** A microsite file by item id and path inside the site, as listed in the manifest. */
  site(itemId: string, path: string, range?: string | null): ContentResponse;
}

export interface Core {
  api: PitchcaseApi;
  events: CoreEvents;
  content: ContentService;
  /**
   * The single entry point for shells: validates the method name and argument against the
   * contract, applies the access table (main/shared/access.ts) to this caller, and returns a
   * serialisable Result, never throws. `core.api` is the same methods unchecked, for code that
   * runs in-process with the owner's rights (the CLI, tests).
   */
  handle(method: unknown, arg: unknown, origin?: CallOrigin): Promise<Result<unknown>>;
  /**
   * Whether a shell may pass this event on to this caller now (the access table of events): a
   * shell forwarding `events.onAny` to a page asks this for each event and each page, so a
   * locked kiosk's page never hears what its calls would be refused.
   */
  hears(event: EventName, origin?: CallOrigin): boolean;
  /**
   * Resolves once the files of the last content switch are on disk (a sync switches first and
   * fsyncs behind it). A one-shot process awaits it before it exits; an app that quits sooner
   * has them verified again at its next start.
   */
  settled(): Promise<void>;
  close(): void;
}
