/**
 * The content capability's public entry: library files and microsites served to the app's
 * viewers (by the custom protocol in Electron, by the browser host over HTTP), and the
 * response helpers the shells use for the app's own files.
 */
import { siteContentSecurityPolicy, sitePermissionsPolicy } from '#shared/csp';
import { sitePath } from '#shared/manifest';
import type { ProfileKind } from '#shared/library';
import {
  blobUses,
  currentRelease,
  currentReleaseId,
  glossary,
  itemDetail,
  siteFile,
  type Visibility,
} from '../library/index.ts';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb } from '../storage/database.ts';
import type { ContentService, Log } from '../types.ts';
import { appOriginBlob } from './app-origin.ts';
import { textResponse } from './serve.ts';
import { createSiteGlossary, isHtml, SITE_GLOSSARY_PATH } from './site-glossary.ts';

export { SITE_GLOSSARY_SCRIPT_FILE } from './site-glossary.ts';

export { mimeForPath, staticResponse, textResponse } from './serve.ts';
export type { ContentResponse } from './response.ts';

export function createContent(ctx: {
  read: ReadDb;
  blobs: BlobStore;
  profileKind: ProfileKind;
  visibility(): Visibility;
  siteBaseUrl: string;
  siteGlossaryScript: string;
  log: Log;
}): ContentService {
  const { read, blobs, profileKind, visibility } = ctx;
  const siteGlossary = createSiteGlossary({ scriptFile: ctx.siteGlossaryScript, warn: ctx.log.warn });
  const isVisibleMicrosite = (itemId: string) => {
    try {
      return itemDetail(read, itemId, visibility(), ctx.siteBaseUrl).siteUrl !== null;
    } catch {
      return false;
    }
  };

  return {
    blob(sha256, range) {
      const release = currentReleaseId(read);
      if (!/^[0-9a-f]{64}$/.test(sha256)) return textResponse(400, 'Refused: not a content hash');
      return appOriginBlob(
        release ? blobUses(read, release.id, sha256, visibility()) : [],
        blobs.pathOf(sha256),
        range,
      );
    },
    site(itemId, filePath, range) {
      const checked = sitePath.safeParse(filePath);
      if (!checked.success || !/^[a-z0-9][a-z0-9._-]{0,127}$/.test(itemId))
        return textResponse(400, 'Refused: bad site path');
      const release = currentRelease(read);
      const headers = {
        'Content-Security-Policy': siteContentSecurityPolicy(),
        'Permissions-Policy': sitePermissionsPolicy(),
        // The sandboxed frame has an opaque origin: its own files are cross-origin to it.
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-cache',
      };
      // Ours, answered before the microsite's own files: a microsite cannot put a file here.
      if (checked.data === SITE_GLOSSARY_PATH) {
        const visible = release !== null && isVisibleMicrosite(itemId);
        const entries = visible ? glossary(read, release.id) : [];
        // The kiosk needs the script for its link lock-down even without a glossary.
        if (!visible || (entries.length === 0 && profileKind !== 'kiosk'))
          return textResponse(404, 'Not part of this microsite');
        const script = siteGlossary.script(entries, { kiosk: profileKind === 'kiosk' });
        return { ...script, headers: { ...headers, ...script.headers } };
      }
      const found = release ? siteFile(read, release.id, itemId, checked.data, visibility()) : null;
      if (!found) return textResponse(404, 'Not part of this microsite');
      const withGlossary = isHtml(found.mime) && (profileKind === 'kiosk' || glossary(read, release!.id).length > 0);
      return siteGlossary.page(blobs.pathOf(found.sha256), found.mime, range, itemId, headers, withGlossary);
    },
  };
}
