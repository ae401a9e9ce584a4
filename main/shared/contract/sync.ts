/** The content channel: where releases come from, checking, applying, and the "new" badge. */
import { z } from 'zod';
import type { ChannelSettings, SyncStatus } from '../sync.ts';
import { noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface SyncApi {
  getChannelSettings(arg: NoArg): Promise<ChannelSettings>;
  /** Changes some settings; a bad URL or key is refused and nothing changes. */
  updateChannelSettings(arg: Partial<ChannelSettings>): Promise<ChannelSettings>;
  /** Looks for a newer release now ("Check now", network back). Resolves once checked. */
  checkForContent(arg: NoArg): Promise<SyncStatus>;
  /** Downloads (if needed) and applies the release the last check found. */
  applyContent(arg: NoArg): Promise<SyncStatus>;
  getSyncStatus(arg: NoArg): Promise<SyncStatus>;
  /** The rep has seen what is new: clears the "new" badge. */
  markLibrarySeen(arg: NoArg): Promise<SyncStatus>;
}

export const syncArgs = {
  getChannelSettings: noArg,
  updateChannelSettings: z
    .object({
      channelUrl: z.string().max(2048).nullable().optional(),
      publicKeys: z.array(z.string().max(4096)).max(8).optional(),
      autoApply: z.boolean().optional(),
      checkIntervalMinutes: z
        .number()
        .int()
        .min(5)
        .max(7 * 24 * 60)
        .optional(),
    })
    .strict(),
  checkForContent: noArg,
  applyContent: noArg,
  getSyncStatus: noArg,
  markLibrarySeen: noArg,
} satisfies ArgSchemas<SyncApi>;
