import { MANIFEST_FORMAT } from '#shared/manifest';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Caller, Routes, StudioConfig, StudioContext } from './context.ts';
import { BlobStore } from './blobs.ts';
import { openDatabase, type StudioDb } from './database/connection.ts';
import { startCheckpoints } from './database/checkpoints.ts';
import { hostingRoutes } from './hosting/routes.ts';
import { createRequestHandler, prepareUi } from './http/transport.ts';
import { allows, type RouteId } from './access.ts';
import { libraryBlockSize, type ChannelView, type StudioBoot, type StudioItem } from '#shared/studio';
import { defaultZipLimits } from './library/microsite-zip.ts';
import { createChannel, libraryRoutes } from './library/routes.ts';
import { issueSetupToken } from './people/accounts.ts';
import { defaultScryptCost } from './people/passwords.ts';
import { peopleRoutes } from './people/routes.ts';
import { ssoRoutes } from './people/sso.ts';
import { clearAbandonedUploads, resumableRoutes } from './library/resumable.ts';
import { channelContentRoutes } from './library/channel-content.ts';
import { practicePromptRoutes } from './library/practice-prompts.ts';
import { thumbnailRoutes } from './library/thumbnails.ts';
import { pageDiffRoutes } from './releases/page-diff.ts';
import { releaseRoutes } from './releases/routes.ts';
import { closePublishJobs, openPublishJobs } from './releases/publish-jobs.ts';
import { fleetRoutes } from './fleet/index.ts';
import { practiceRoutes } from './practice/index.ts';
import { startForwarding, type ForwardingOptions } from './forwarding/queue.ts';
import { startFolding } from './fleet/folding.ts';
import { forwardingRoutes } from './forwarding/routes.ts';
import { pointsRoutes } from './points/routes.ts';
import { quizRoutes } from './quizzes/routes.ts';
import { closePreviews, openPreviews } from './preview/previews.ts';
import { previewRoutes } from './preview/routes.ts';
import {
  startTranscriptionQueue,
  stopTranscriptionQueue,
  transcriptionRoutes,
} from './rehearse/transcription/index.ts';

export { createUser } from './people/accounts.ts';
export { awardPoints, type PointsAward } from './points/points.ts';
export { roles, type Role } from './roles.ts';

export const defaultConfig: StudioConfig = {
  maxUploadBytes: 2 * 1024 ** 3,
  zipLimits: defaultZipLimits,
  signInFailuresAllowed: 9,
  signInWindowMs: 15 * 60_000,
  sessionMs: 12 * 3_600_000,
  scryptCost: defaultScryptCost,
  releaseExpires: '30d',
  releaseFormat: MANIFEST_FORMAT,
};

/** Every capability's routes, merged; each one's access is in access.ts. */
export const studioRoutes: Routes = {
  ...peopleRoutes,
  ...ssoRoutes,
  ...libraryRoutes,
  ...channelContentRoutes,
  ...practicePromptRoutes,
  ...thumbnailRoutes,
  ...resumableRoutes,
  ...releaseRoutes,
  ...pageDiffRoutes,
  ...hostingRoutes,
  ...fleetRoutes,
  ...practiceRoutes,
  ...forwardingRoutes,
  ...previewRoutes,
  ...quizRoutes,
  ...pointsRoutes,
  ...transcriptionRoutes,
};

/**
 * What the UI's page carries for a signed-in person: the answers to the first screen's calls
 * (session, channels, the library's first block), made by the same routes under the same access
 * rules, so the library renders as soon as its code runs.
 */
async function bootOf(ctx: StudioContext, caller: Caller, request: IncomingMessage): Promise<StudioBoot | null> {
  if (!caller.user) return null;
  const call = async <T>(id: RouteId, args: unknown): Promise<T> => {
    const route = studioRoutes[id]!;
    return (await route.run(ctx, caller, route.args.parse(args), request)) as T;
  };
  const session = await call<StudioBoot['session']>('session.get', {});
  const channels = await call<ChannelView[]>('channels.list', {});
  const first = channels.find((c) => c.id === 'default') ?? channels[0];
  const library =
    first && allows('items.list', caller.user.role)
      ? {
          channel: first.id,
          offset: 0,
          limit: libraryBlockSize,
          page: await call<{ total: number; items: StudioItem[] }>('items.list', {
            channel: first.id,
            offset: '0',
            limit: String(libraryBlockSize),
          }),
        }
      : null;
  return { session, channels, library };
}

export interface StudioOptions {
  dataDir: string;
  /** postgres://… for PostgreSQL; default a SQLite file in dataDir. */
  database?: string | undefined;
  port?: number;
  host?: string;
  /** The address people open when Studio sits behind a proxy (https://studio.example.com): CSRF origin check, Secure cookies, printed links. */
  publicUrl?: string | undefined;
  /** The built UI (build/studio); null serves a note instead. */
  uiDir?: string | null;
  /** The built app (build/renderer) that previews of the draft run; absent: no previews. */
  rendererDir?: string | null;
  config?: Partial<StudioConfig>;
  now?: () => Date;
  log?: (line: string) => void;
  /** Forwarding of leads and meetings to the CRM (tests shorten its retries). */
  forwarding?: ForwardingOptions;
  /** How long after an upload its records are folded into the dashboards' rollups (ms; tests shorten it). */
  foldAfterMs?: number;
}

export interface RunningStudio {
  /** Where it listens (the proxy's upstream when --public-url is given). */
  url: string;
  /** The one-time link to create the first admin; null once someone exists. */
  setupUrl: string | null;
  context: StudioContext;
  close(): Promise<void>;
}

/** Opens the data folder and database (migrating them) without listening: for the CLI's user commands. */
export async function openStudio(
  options: Pick<StudioOptions, 'dataDir' | 'database' | 'config' | 'now' | 'log'>,
): Promise<{ context: StudioContext; db: StudioDb; close(): Promise<void> }> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const blobs = new BlobStore(dataDir);
  await blobs.init();
  const { db, rollupsRefilled } = await openDatabase({ dataDir, url: options.database });
  // A rollups file lost, from elsewhere, or left half-written by a crash (fleet/rollups-file.ts).
  if (rollupsRefilled)
    (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(
      `Fleet dashboards: their rollups were counted again from the records, because ${rollupsRefilled}.`,
    );
  const queues = new Map<string, Promise<unknown>>();
  const context: StudioContext = {
    db,
    blobs,
    dataDir,
    config: { ...defaultConfig, ...options.config },
    now: options.now ?? (() => new Date()),
    ...(options.log ? { log: options.log } : {}),
    serialise(key, task) {
      const previous = queues.get(key) ?? Promise.resolve();
      const next = previous.then(task, task);
      queues.set(
        key,
        next.catch(() => {}),
      );
      return next;
    },
  };
  await createChannel(context, 'default', 'Default channel', null);
  await clearAbandonedUploads(context);
  return { context, db, close: () => db.destroy() };
}

/** `pitchcase studio`: the server, its API, the UI and the hosted channels. */
export async function startStudio(options: StudioOptions): Promise<RunningStudio> {
  const opened = await openStudio(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  opened.context.log = log;
  const uiDir =
    options.uiDir === undefined
      ? null
      : options.uiDir && existsSync(path.join(options.uiDir, 'index.html'))
        ? path.resolve(options.uiDir)
        : null;
  const host = options.host ?? '127.0.0.1';
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : null;
  await openPreviews(opened.context, { rendererDir: options.rendererDir ?? null, listenHost: host });
  await openPublishJobs(opened.context);
  // Rehearsal recordings are transcribed in the background, never inside a request.
  await startTranscriptionQueue(opened.db, { now: opened.context.now, log });
  const handler = createRequestHandler(opened.context, studioRoutes, {
    uiDir,
    log,
    publicOrigin,
    boot: (caller, request) => bootOf(opened.context, caller, request),
  });
  void prepareUi(uiDir).catch(() => {});
  const server: Server = createServer((request, response) => void handler(request, response));
  // Longer than a load balancer's idle timeout (60 s on the common ones): otherwise Studio closes
  // a kept-alive connection the balancer is just reusing, and someone gets a 502.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4400, host, () => resolve());
    });
  } catch (error) {
    await stopTranscriptionQueue(opened.db);
    await opened.close();
    throw error;
  }
  const forwarder = startForwarding(opened.context, { log, ...options.forwarding });
  void forwarder.runNow();
  // Uploads are counted into the dashboards' rollups seconds after they arrive (folding.ts).
  const folding = startFolding(
    opened.context,
    options.foldAfterMs === undefined ? {} : { afterMs: options.foldAfterMs },
  );
  // On SQLite, the write-ahead log is copied into the database off Studio's thread.
  const checkpoints = startCheckpoints(opened.db, { log });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const token = await issueSetupToken(opened.context);
  return {
    url,
    setupUrl: token ? `${publicOrigin ?? url}/setup#${token}` : null,
    context: opened.context,
    async close() {
      await stopTranscriptionQueue(opened.db);
      await closePreviews(opened.context);
      // A publish under way finishes (and is recorded) before the database closes.
      await closePublishJobs(opened.context);
      await forwarder.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // What is still listed stays listed: the next start folds it.
      await folding.stop();
      await checkpoints?.stop();
      await opened.close();
    },
  };
}
