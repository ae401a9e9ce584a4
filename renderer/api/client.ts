/**
 * The one client object of the renderer. In Electron the preload exposes `window.pitchcase`
 * (a Transport over IPC); in any other Chromium the browser host speaks the same contract over
 * HTTP on the page's own origin. This is the only file that looks at window globals for the API.
 */
import { createClient, type PitchcaseClient, type Transport } from '#shared/client';
import { createHttpTransport } from './http-transport';

declare global {
  interface Window {
    /** Set by the Electron preload through contextBridge; absent in the browser host. */
    readonly pitchcase?: Transport;
  }
}

function isTransport(value: unknown): value is Transport {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof Transport, unknown>>;
  return typeof candidate.invoke === 'function' && typeof candidate.subscribe === 'function';
}

function pickTransport(): Transport {
  const bridge: unknown = window.pitchcase;
  if (isTransport(bridge)) return bridge;
  return createHttpTransport({
    baseUrl: window.location.origin,
    fetch: window.fetch.bind(window),
    EventSource: window.EventSource,
  });
}

export const client: PitchcaseClient = createClient(pickTransport());

export type { PitchcaseClient };
