import { randomUUID } from 'node:crypto';
import { open, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../storage/durable.ts';

/**
 * The folder destination's files: a batch becomes one CSV file, written whole or not at all (a
 * temporary file in the same folder, fsynced, renamed over the final name, the folder fsynced),
 * so an importer watching the folder never reads half a file, and a batch written again replaces
 * its file instead of adding a second one.
 */

/** The file of a batch: its kind, the date its first record was created, and its batch key. */
export function batchFileName(kind: string, createdAt: readonly string[], batchKey: string): string {
  const first = [...createdAt].sort()[0] ?? '';
  const date = /^\d{4}-\d{2}-\d{2}/.test(first) ? first.slice(0, 10) : 'undated';
  return `pitchcase-${kind}-${date}-${batchKey.slice(0, 16)}.csv`;
}

/** What went wrong with a folder, in words a rep or IT can act on. */
export function folderProblem(dir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `The folder ${dir} does not exist: create it, or connect the network share or let OneDrive/SharePoint sync it`;
    case 'ENOTDIR':
      return `${dir} is not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `Pitchcase may not write to the folder ${dir} (permission denied)`;
    case 'EROFS':
      return `The folder ${dir} is read-only`;
    case 'ENOSPC':
      return `The disk of the folder ${dir} is full`;
    case 'EDQUOT':
      return `The disk quota of the folder ${dir} is used up`;
    case 'EBUSY':
      return `A file in the folder ${dir} is in use by another program (a sync client or an importer): it will be tried again`;
    default:
      return `Could not write to the folder ${dir}: ${(error as Error).message}`;
  }
}

/** A folder problem, with the system error it came from as its cause. */
function folderError(dir: string, error: unknown): Error {
  return new Error(folderProblem(dir, error), { cause: error });
}

/** The folder must be a full path of this computer and a folder that is there now. */
async function checkFolder(dir: string): Promise<void> {
  if (!path.isAbsolute(dir)) throw new Error(`The folder ${dir} is not a full path on this computer`);
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    throw folderError(dir, error);
  }
  if (!info.isDirectory()) throw folderError(dir, Object.assign(new Error('not a directory'), { code: 'ENOTDIR' }));
}

/** Writes `content` to a new file in `dir` and fsyncs it; the file is gone again on failure. */
async function writeNew(file: string, content: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Puts `content` in `dir/name` atomically, replacing a file of that name. The temporary file
 * starts with a dot and ends in .tmp, so an importer taking *.csv never sees it.
 */
export async function writeBatchFile(dir: string, name: string, content: string): Promise<void> {
  await checkFolder(dir);
  const temp = path.join(dir, `.${name}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await writeNew(temp, content);
    await rename(temp, path.join(dir, name));
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw folderError(dir, error);
  }
  try {
    await fsyncDir(dir);
  } catch (error) {
    throw folderError(dir, error);
  }
}

/** Below this, "Test connection" says the disk is full: a day of activity files would not fit. */
const MIN_FREE_BYTES = 1024 * 1024;

/**
 * "Test connection" of a folder: it is there, a file can be created, written, fsynced and removed
 * in it, and its disk has room. Returns the free bytes when the system says (null otherwise).
 */
export async function probeFolder(dir: string): Promise<{ freeBytes: number | null }> {
  await checkFolder(dir);
  const probe = path.join(dir, `.pitchcase-test-${randomUUID()}.tmp`);
  try {
    await writeNew(probe, 'Pitchcase checks that it may write here; this file is removed at once.\n');
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    throw folderError(dir, error);
  }
  try {
    await rm(probe);
  } catch (error) {
    // Files can be created but not deleted (a drop folder with "write only" rights): a batch
    // written again could not replace its file.
    throw new Error(
      `Pitchcase wrote the test file ${path.basename(probe)} in ${dir} but may not remove or replace files there (${(error as Error).message})`,
      { cause: error },
    );
  }
  let freeBytes: number | null = null;
  try {
    const fs = await statfs(dir);
    freeBytes = fs.bavail * fs.bsize;
  } catch {
    // Some shares do not say; the write above is what counts.
  }
  if (freeBytes !== null && freeBytes < MIN_FREE_BYTES)
    throw folderError(dir, Object.assign(new Error('no space'), { code: 'ENOSPC' }));
  return { freeBytes };
}
