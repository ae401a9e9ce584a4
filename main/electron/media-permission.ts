/**
 * Who may use the microphone (and the camera): the rep rehearsing, and nobody else. A pure
 * decision over plain data, so every row of the table is unit-tested without Electron.
 */
import type { ProfileKind } from '#shared/library';
import { APP_ORIGIN } from './decisions.ts';

/** The hash route of the Rehearse screen (renderer/rehearse). */
export const REHEARSE_ROUTE_PREFIX = '#/rehearse';

export interface MediaPermissionRequest {
  /** Electron's permission name; only 'media' is ever considered here. */
  permission: unknown;
  /** What the page asks for: Electron's `details.mediaTypes` (request) or `[details.mediaType]` (check). */
  mediaTypes: unknown;
  profileKind: ProfileKind;
  /** Which window asks: the rep's main window, the audience window, or one we do not know. */
  window: 'main' | 'audience' | 'other';
  /** The frame that asks (its URL on a request, its origin on a check). */
  requestingUrl: unknown;
  /** False for any sub-frame (a microsite's iframe); unknown is treated as false. */
  isMainFrame: unknown;
  /** The window's current page, hash included: the route that is showing. */
  pageUrl: unknown;
}

function isAppUrl(url: unknown): url is string {
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}

function showsRehearse(pageUrl: unknown): boolean {
  if (!isAppUrl(pageUrl)) return false;
  const hash = pageUrl.indexOf('#');
  if (hash === -1) return false;
  const route = pageUrl.slice(hash);
  return route === REHEARSE_ROUTE_PREFIX || route.startsWith(`${REHEARSE_ROUTE_PREFIX}/`);
}

/**
 * Grants 'media' only to the rep's profile, in its main window, from the app's own top frame,
 * while the Rehearse route shows, and only for audio and video (what was asked; an empty or
 * unknown kind is refused). Never on a kiosk, never in the audience window, never for a
 * microsite or any other origin.
 */
export function mediaPermissionDecision(request: MediaPermissionRequest): boolean {
  if (request.permission !== 'media') return false;
  if (request.profileKind !== 'standard' || request.window !== 'main') return false;
  if (request.isMainFrame !== true || !isAppUrl(request.requestingUrl)) return false;
  if (!showsRehearse(request.pageUrl)) return false;
  const types = request.mediaTypes;
  if (!Array.isArray(types) || types.length === 0) return false;
  return types.every((t) => t === 'audio' || t === 'video');
}
