import { z } from 'zod';
import { folderRules } from '#shared/connectors/folder';
import { outboxCsv } from '../csv.ts';
import { batchFileName, probeFolder, writeBatchFile } from '../folder.ts';
import type { Connector } from './connector.ts';

/**
 * A folder (a network share, a synced OneDrive or SharePoint folder): each batch becomes one CSV
 * file, named by its kind, first date and batch key, so a batch written again replaces its file.
 */
export interface FolderEndpoint {
  type: 'folder';
  /** Absolute, on this computer. */
  path: string;
}

const storedFolder = z.object({ type: z.literal('folder'), path: z.string() });
export type StoredFolder = z.infer<typeof storedFolder>;

function gigabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

export const folderConnector: Connector<'folder', StoredFolder, FolderEndpoint> = {
  type: 'folder',
  rules: folderRules,
  stored: storedFolder,
  store: (change) => ({ type: 'folder', path: change.path.trim() }),
  view: (entry) => ({ type: 'folder', path: entry.path }),
  open: (entry) => ({ type: 'folder', path: entry.path }),

  async send(endpoint, batch) {
    const csv = outboxCsv(
      batch.kind,
      batch.rows.map((r, i) => ({
        idempotencyKey: r.idempotencyKey,
        payload: batch.payloads[i],
        source: r.source ?? null,
      })),
    );
    await writeBatchFile(
      endpoint.path,
      batchFileName(
        batch.kind,
        batch.rows.map((r) => r.createdAt),
        batch.key,
      ),
      csv,
    );
  },

  // A test file written, fsynced and removed (a batch's file is written and replaced the same
  // way), and the disk asked for free space.
  async test(_kind, endpoint) {
    try {
      const { freeBytes } = await probeFolder(endpoint.path);
      const room = freeBytes === null ? '' : ` (${gigabytes(freeBytes)} free)`;
      return {
        ok: true,
        status: null,
        message: `Pitchcase can write to ${endpoint.path}${room}: each batch becomes a CSV file there`,
      };
    } catch (error) {
      return { ok: false, status: null, message: (error as Error).message };
    }
  },
};
