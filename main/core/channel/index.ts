/** The content channel's public entry: syncing releases, and what the CLI needs to check one. */
export { collectUnreferenced, fetchVerifiedRelease, installRelease } from './install.ts';
export { recoverUnsettled } from './settle.ts';
export { parsePublicKey } from './signature.ts';
export { directorySource } from './source.ts';
export { createSync, sourceFor, validateChannelUrl, type Sync } from './sync.ts';
export { syncHandlers } from './handlers.ts';
export { installEmbedded, recoverAtStart } from './embedded.ts';
export type { InstallContext } from './install.ts';
