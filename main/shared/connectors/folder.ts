import { z } from 'zod';
import { folderPathProblem } from './addresses.ts';
import type { ConnectorRules } from './rules.ts';

/** The last part of a folder path, whichever OS wrote it. */
function folderName(path: string): string {
  return (
    path
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() || path
  );
}

/** A folder of CSV files: nothing secret, the folder's own permissions decide who reads it. */
export const folderRules: ConnectorRules<'folder'> = {
  type: 'folder',
  label: 'Folder (CSV files)',
  takes: () => true,
  // The path's form (absolute, no NUL, length) is checked by `problems`; whether the folder
  // exists and takes files, by the core on this computer.
  settings: z.object({ type: z.literal('folder'), path: z.string().max(4096) }).strict(),
  secrets: [],
  origins: () => [],
  storedSecrets: () => ({}),
  problems(_kind, endpoint, add) {
    add('path', folderPathProblem(endpoint.path));
  },
  summary: (view) => ({ title: `Folder · ${folderName(view.path)}`, detail: `CSV files in ${view.path}` }),
  line: (view) => `folder ${view.path} (one CSV file per batch)`,
};
