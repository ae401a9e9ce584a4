import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { previewDevices, type PreviewDevice, type PreviewView } from '#shared/studio';
import { startHost, type Host } from '#host/server';
import { generateSigningKeys } from '#publish/keys';
import type { StudioContext } from '../context.ts';
import { StudioError } from '../errors.ts';
import { readCookie, sameToken } from '../people/sessions.ts';
import { publishSnapshot } from '../releases/publish.ts';
import type { Snapshot } from '../releases/snapshot.ts';

/**
 * "Preview as tablet" and "Preview as kiosk": the draft, built into a release that never reaches
 * the channel (signed with a key made for this preview and thrown away), installed by a core on a
 * throw-away profile (standard or kiosk) and served by a browser host on loopback: the real
 * renderer, exactly as a device would show that release.
 *
 * The host itself trusts whoever reaches its port, so nobody reaches it directly: a gateway of
 * Studio's own stands in front and checks the preview's secret on every request (first from the
 * link Studio hands out, then from an HttpOnly cookie), strips Studio's session cookie, and lets
 * only Studio's page frame it. A preview lives until it is closed, unused for idleMs, or Studio
 * stops; its folders go with it.
 */
export interface PreviewSettings {
  /** Built renderer the host serves (build/renderer); null: previews are unavailable. */
  rendererDir: string | null;
  /** The interface Studio listens on: the gateway listens there too, so the browser reaches it. */
  listenHost: string;
  /** Closed after this long without a request. */
  idleMs: number;
  /** At most this many at once per Studio process; each is a core with its own database. */
  max: number;
}

interface Preview {
  id: string;
  device: PreviewDevice;
  userId: string;
  secret: string;
  items: number;
  dir: string;
  host: Host;
  gateway: Server;
  gatewayPort: number;
  /** In front of the microsites' own origin: every request's path starts with `siteSecret`. */
  siteGateway: Server;
  siteSecret: string;
  lastUsed: number;
  idleTimer: NodeJS.Timeout;
}

interface PreviewRoom {
  settings: PreviewSettings;
  running: Map<string, Preview>;
}

const rooms = new WeakMap<StudioContext, PreviewRoom>();

export const defaultPreviewSettings: PreviewSettings = {
  rendererDir: null,
  listenHost: '127.0.0.1',
  idleMs: 30 * 60_000,
  max: 6,
};

const previewsDir = (ctx: StudioContext) => path.join(ctx.dataDir, 'tmp', 'previews');

function roomOf(ctx: StudioContext): PreviewRoom {
  let room = rooms.get(ctx);
  if (!room) {
    room = { settings: defaultPreviewSettings, running: new Map() };
    rooms.set(ctx, room);
  }
  return room;
}

/** Called once when Studio starts: settles where previews listen, and drops any a crash left behind. */
export async function openPreviews(ctx: StudioContext, settings: Partial<PreviewSettings>): Promise<void> {
  roomOf(ctx).settings = { ...defaultPreviewSettings, ...settings };
  await rm(previewsDir(ctx), { recursive: true, force: true });
}

export function cookieNameOf(id: string): string {
  return `pitchcase_preview_${id}`;
}

/** The app's pages say "frame me nowhere"; a preview may be framed by Studio's own page only. */
function frameableBy(csp: string, studioOrigin: string): string {
  return csp.replace(/frame-ancestors [^;]*/, `frame-ancestors ${studioOrigin}`);
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(`${text}\n`);
}

function gatewayHandler(preview: () => Preview, studioOrigin: string) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const p = preview();
    const url = new URL(request.url ?? '/', 'http://preview');
    const key = url.searchParams.get('preview-key');
    if (key !== null) {
      if (!sameToken(key, p.secret)) return refuse(response, 403, 'This preview link is not valid.');
      // The secret moves from the address into a cookie, so it is in no history or Referer.
      response.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${cookieNameOf(p.id)}=${p.secret}; Path=/; HttpOnly; SameSite=Strict`,
        'Cache-Control': 'no-store',
      });
      response.end();
      return;
    }
    if (!sameToken(readCookie(request, cookieNameOf(p.id)), p.secret))
      return refuse(response, 403, 'This preview is open to the person who started it in Studio.');
    p.lastUsed = Date.now();
    const headers = { ...request.headers, host: `127.0.0.1:${new URL(p.host.url).port}` };
    // Studio's session is none of the previewed app's business.
    delete headers.cookie;
    const upstream = forward(
      { host: '127.0.0.1', port: new URL(p.host.url).port, method: request.method, path: request.url, headers },
      (answer) => {
        const out = { ...answer.headers };
        const csp = out['content-security-policy'];
        if (typeof csp === 'string') out['content-security-policy'] = frameableBy(csp, studioOrigin);
        response.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => (response.headersSent ? response.destroy() : refuse(response, 502, 'Preview stopped.')));
    request.pipe(upstream);
  };
}

/**
 * The microsites of a preview: another origin, so another gateway. A microsite runs in a
 * sandbox (an opaque origin) that sends no cookie with its own requests, so this secret rides
 * in the path instead (the core puts it before every microsite address, and a page's relative
 * links keep it); it opens this preview's microsites and nothing else.
 */
function siteGatewayHandler(preview: () => Preview) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const p = preview();
    const raw = request.url ?? '/';
    const [, secret = '', ...rest] = raw.split('/');
    if (!sameToken(secret, p.siteSecret)) return refuse(response, 403, 'This preview link is not valid.');
    p.lastUsed = Date.now();
    const sitePort = new URL(p.host.siteUrl).port;
    const headers = { ...request.headers, host: `127.0.0.1:${sitePort}` };
    delete headers.cookie;
    const upstream = forward(
      { host: '127.0.0.1', port: sitePort, method: request.method, path: `/${rest.join('/')}`, headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => (response.headersSent ? response.destroy() : refuse(response, 502, 'Preview stopped.')));
    request.pipe(upstream);
  };
}

async function close(ctx: StudioContext, preview: Preview): Promise<void> {
  const room = roomOf(ctx);
  if (room.running.get(preview.id) !== preview) return;
  room.running.delete(preview.id);
  clearTimeout(preview.idleTimer);
  for (const gateway of [preview.gateway, preview.siteGateway]) {
    gateway.closeAllConnections();
    await new Promise<void>((resolve) => gateway.close(() => resolve()));
  }
  await preview.host.close();
  await rm(preview.dir, { recursive: true, force: true });
}

function view(preview: Preview, callerHostname: string, idleMs: number): PreviewView {
  const size = previewDevices[preview.device];
  const host = callerHostname.includes(':') ? `[${callerHostname}]` : callerHostname;
  return {
    id: preview.id,
    device: preview.device,
    width: size.width,
    height: size.height,
    url: `http://${host}:${preview.gatewayPort}/?preview-key=${preview.secret}`,
    items: preview.items,
    expiresAt: new Date(preview.lastUsed + idleMs).toISOString(),
  };
}

/**
 * Builds the draft into a preview release and serves it. Someone previewing the same device again
 * gets a fresh preview and the old one is closed (the draft may have changed meanwhile).
 */
export async function startPreview(
  ctx: StudioContext,
  options: { channel: string; device: PreviewDevice; userId: string; draft: Snapshot; studioOrigin: string },
): Promise<PreviewView> {
  const room = roomOf(ctx);
  const { settings } = room;
  if (!settings.rendererDir)
    throw new StudioError('conflict', 'Previews need the built app (npm run build:renderer) beside Studio.');
  for (const old of [...room.running.values()])
    if (old.userId === options.userId && old.device === options.device) await close(ctx, old);
  if (room.running.size >= settings.max)
    throw new StudioError('conflict', `${settings.max} previews are open; close one first.`);
  if (options.draft.items.length === 0) throw new StudioError('conflict', 'The draft has no items to preview yet.');

  const id = randomBytes(9).toString('hex');
  const dir = path.join(previewsDir(ctx), id);
  const releaseDir = path.join(dir, 'release');
  await mkdir(path.join(dir, 'profile'), { recursive: true, mode: 0o700 });
  let host: Host | null = null;
  const gateways: Server[] = [];
  try {
    const keys = generateSigningKeys();
    const siteGateway = createServer();
    gateways.push(siteGateway);
    const sitePort = await new Promise<number>((resolve, reject) => {
      siteGateway.once('error', reject);
      siteGateway.listen(0, settings.listenHost, () => resolve((siteGateway.address() as AddressInfo).port));
    });
    const siteSecret = randomBytes(32).toString('base64url');
    const hostname = new URL(options.studioOrigin).hostname;
    await publishSnapshot(ctx, options.channel, options.draft, {
      outDir: releaseDir,
      privateKeyPem: keys.privatePem,
      expires: '1d',
    });
    host = await startHost({
      core: {
        profileDir: path.join(dir, 'profile'),
        profileKind: options.device === 'kiosk' ? 'kiosk' : 'standard',
        embeddedRelease: { dir: releaseDir, publicKeyPem: keys.publicPem },
      },
      rendererDir: settings.rendererDir,
      siteBaseUrl: `http://${hostname}:${sitePort}/${siteSecret}`,
    });
    const gateway = createServer();
    gateways.push(gateway);
    const gatewayPort = await new Promise<number>((resolve, reject) => {
      gateway.once('error', reject);
      gateway.listen(0, settings.listenHost, () => resolve((gateway.address() as AddressInfo).port));
    });
    const preview: Preview = {
      id,
      device: options.device,
      userId: options.userId,
      secret: randomBytes(32).toString('base64url'),
      items: options.draft.items.length,
      dir,
      host,
      gateway,
      gatewayPort,
      siteGateway,
      siteSecret,
      lastUsed: Date.now(),
      idleTimer: setInterval(
        () => {
          if (Date.now() - preview.lastUsed > settings.idleMs) void close(ctx, preview);
        },
        Math.min(60_000, settings.idleMs),
      ),
    };
    preview.idleTimer.unref();
    gateway.on(
      'request',
      gatewayHandler(() => preview, options.studioOrigin),
    );
    siteGateway.on(
      'request',
      siteGatewayHandler(() => preview),
    );
    room.running.set(id, preview);
    return view(preview, new URL(options.studioOrigin).hostname, settings.idleMs);
  } catch (error) {
    for (const server of gateways) server.close();
    await host?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Closes a preview; only the person who started it (or an admin) may. */
export async function stopPreview(ctx: StudioContext, id: string, user: { id: string; role: string }): Promise<void> {
  const preview = roomOf(ctx).running.get(id);
  if (!preview) throw new StudioError('not-found', 'No such preview (it may have closed after being unused).');
  if (preview.userId !== user.id && user.role !== 'admin')
    throw new StudioError('forbidden', 'Someone else started this preview.');
  await close(ctx, preview);
}

export function runningPreviews(ctx: StudioContext): number {
  return roomOf(ctx).running.size;
}

/** Studio is stopping: every preview closes and its folders go. */
export async function closePreviews(ctx: StudioContext): Promise<void> {
  await Promise.all([...roomOf(ctx).running.values()].map((p) => close(ctx, p)));
}
