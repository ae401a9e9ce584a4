/** The app's own updates (electron-updater in the desktop app; unsupported elsewhere). */
import type { AppUpdateStatus } from '../sync.ts';
import { noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface UpdatesApi {
  getAppUpdateStatus(arg: NoArg): Promise<AppUpdateStatus>;
  /** Quits and installs a downloaded app update. */
  restartToUpdate(arg: NoArg): Promise<AppUpdateStatus>;
}

export const updatesArgs = {
  getAppUpdateStatus: noArg,
  restartToUpdate: noArg,
} satisfies ArgSchemas<UpdatesApi>;
