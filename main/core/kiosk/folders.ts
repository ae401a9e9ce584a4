/**
 * Where booth staff can put a lead export on a locked-down kiosk, which has no file dialog and
 * whose profile folder nobody can reach: the removable drives and mounted volumes of the machine
 * (a USB stick, mostly), or a folder they type. A file is written whole or not at all, under a
 * name that never replaces an earlier export.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, constants, lstat, open, readdir, realpath, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { ExportVolume } from '#shared/kiosk';
import { PitchcaseError } from '#shared/result';
import { fsyncDir } from '../storage/durable.ts';

/** Where this platform mounts removable media, and how to tell a mount point from a folder. */
export interface VolumeSource {
  platform: NodeJS.Platform;
  /** Linux: /media and /run/media; macOS: /Volumes. Tests point them at a temporary folder. */
  roots?: readonly string[];
  /** A folder is a mounted volume when it is on another device than its parent (tests say yes). */
  isMount?(dir: string): Promise<boolean>;
  /** Windows: the logical disks as Win32_LogicalDisk lists them (tests give a fixed answer). */
  windowsDisks?(): Promise<WindowsDisk[]>;
}

export interface WindowsDisk {
  DeviceID: string;
  DriveType: number;
  VolumeName?: string | null;
}

/** Win32_LogicalDisk.DriveType: 2 is a removable disk (USB stick, SD card). */
const REMOVABLE = 2;

/** The removable drives of a Win32_LogicalDisk listing (PowerShell's JSON: one object or an array). */
export function removableWindowsDrives(json: string): WindowsDisk[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json) as unknown;
  } catch {
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.filter(
    (d): d is WindowsDisk =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as WindowsDisk).DeviceID === 'string' &&
      /^[A-Z]:$/i.test((d as WindowsDisk).DeviceID) &&
      (d as WindowsDisk).DriveType === REMOVABLE,
  );
}

/** Asks Windows for its logical disks; none when PowerShell is not there or too slow. */
function queryWindowsDisks(): Promise<WindowsDisk[]> {
  return new Promise((resolve) => {
    execFile(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        'Get-CimInstance Win32_LogicalDisk | Select-Object DeviceID,DriveType,VolumeName | ConvertTo-Json -Compress',
      ],
      { timeout: 5_000, windowsHide: true },
      (error, stdout) => resolve(error ? [] : removableWindowsDrives(stdout)),
    );
  });
}

async function onOtherDevice(dir: string): Promise<boolean> {
  try {
    const [self, parent] = await Promise.all([stat(dir), stat(path.dirname(dir))]);
    return self.dev !== parent.dev;
  } catch {
    return false;
  }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => path.join(dir, e.name))
      .sort((a, b) => a.localeCompare(b));
  } catch {
    return [];
  }
}

/** Mount points among `candidates`. */
async function mounted(candidates: readonly string[], isMount: (dir: string) => Promise<boolean>): Promise<string[]> {
  const flags = await Promise.all(candidates.map((c) => isMount(c)));
  return candidates.filter((_, i) => flags[i]);
}

/**
 * The mounted volumes of this machine a file can go to, as paths and labels. Linux: /media/X
 * (usbmount, Debian) or /media/USER/X (udisks, Ubuntu) and /run/media/USER/X (Fedora); macOS:
 * /Volumes/X but the start-up disk; Windows: drive letters of removable drives.
 */
export async function volumePaths(
  source: VolumeSource,
): Promise<{ path: string; label: string; removable: boolean }[]> {
  const isMount = source.isMount ?? onOtherDevice;
  if (source.platform === 'win32') {
    const disks = await (source.windowsDisks ?? queryWindowsDisks)();
    return disks.map((d) => ({
      path: `${d.DeviceID.toUpperCase()}\\`,
      label: d.VolumeName ? `${d.DeviceID.toUpperCase()} ${d.VolumeName}` : d.DeviceID.toUpperCase(),
      removable: true,
    }));
  }
  if (source.platform === 'darwin') {
    const [root = '/Volumes'] = source.roots ?? ['/Volumes'];
    const found: { path: string; label: string; removable: boolean }[] = [];
    for (const dir of await subfoldersOrLinks(root)) {
      // The start-up disk appears here as a link to /.
      if ((await realpath(dir).catch(() => '/')) === '/') continue;
      found.push({ path: dir, label: path.basename(dir), removable: true });
    }
    return found;
  }
  const [media = '/media', runMedia = '/run/media'] = source.roots ?? ['/media', '/run/media'];
  const direct = await subfolders(media);
  const mountedDirect = await mounted(direct, isMount);
  // A folder of /media that is not itself a mount is a user's folder of mounts (udisks).
  const perUser = (
    await Promise.all(direct.filter((d) => !mountedDirect.includes(d)).map((d) => subfolders(d)))
  ).flat();
  const runUsers = await subfolders(runMedia);
  const underRun = (await Promise.all(runUsers.map((d) => subfolders(d)))).flat();
  const all = [...mountedDirect, ...(await mounted(perUser, isMount)), ...(await mounted(underRun, isMount))];
  return all.map((dir) => ({ path: dir, label: path.basename(dir), removable: true }));
}

/** /Volumes holds links (the start-up disk) as well as folders. */
async function subfoldersOrLinks(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.'))
      .map((e) => path.join(dir, e.name))
      .sort((a, b) => a.localeCompare(b));
  } catch {
    return [];
  }
}

async function freeBytesOf(dir: string): Promise<number | null> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

async function isWritable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The volumes with their free space and whether this process may write to them. */
export async function exportVolumes(source: VolumeSource): Promise<ExportVolume[]> {
  const found = await volumePaths(source);
  return Promise.all(
    found.map(async (v) => ({ ...v, freeBytes: await freeBytesOf(v.path), writable: await isWritable(v.path) })),
  );
}

/** What went wrong with an export folder, in words staff at a booth can act on. */
export function exportFolderProblem(dir: string, error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return `The folder ${dir} does not exist (is the USB drive still plugged in?)`;
    case 'ENOTDIR':
      return `${dir} is not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `Pitchcase may not write to ${dir} (permission denied)`;
    case 'EROFS':
      return `${dir} is read-only (a USB drive's lock switch, or a drive mounted read-only)`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `The drive of ${dir} is full`;
    case 'EIO':
      return `The drive of ${dir} failed to write (was it pulled out?)`;
    default:
      return `Could not write to ${dir}: ${(error as Error).message}`;
  }
}

const refused = (dir: string, error: unknown) => new PitchcaseError('storage', exportFolderProblem(dir, error));

/** Room kept free beyond the file itself: a drive filled to the last byte misbehaves. */
const MARGIN_BYTES = 64 * 1024;

/** How much room a folder's drive has; tests stand in a full drive. */
export interface ExportDisk {
  freeBytes?(dir: string): Promise<number | null>;
}

/** The folder is an absolute path, a folder, there now, writable, with room for `bytes`. */
export async function checkExportFolder(dir: string, bytes: number, disk: ExportDisk = {}): Promise<void> {
  if (!path.isAbsolute(dir))
    throw new PitchcaseError('bad-request', `${dir} is not a full folder path (like E:\\ or /media/usb)`);
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    throw refused(dir, error);
  }
  if (!info.isDirectory()) throw refused(dir, Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }));
  try {
    await access(dir, constants.W_OK);
  } catch (error) {
    throw refused(dir, error);
  }
  const free = await (disk.freeBytes ?? freeBytesOf)(dir);
  if (free !== null && free < bytes + MARGIN_BYTES)
    throw new PitchcaseError(
      'storage',
      `The drive of ${dir} has ${free.toLocaleString('en')} bytes free; the export needs ${bytes.toLocaleString('en')}`,
    );
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `content` into `dir` as `<stem>.csv`, or `<stem>-2.csv`, `-3`… when that name is taken:
 * an earlier export is never replaced. The bytes go to a hidden temporary file first, fsynced,
 * then renamed: a failure, a pulled drive or a power cut leaves no partial CSV (at most the
 * hidden temporary file, which this removes when it can).
 */
export async function writeExportFile(
  dir: string,
  stem: string,
  content: string,
  disk: ExportDisk = {},
): Promise<string> {
  const bytes = Buffer.byteLength(content, 'utf8');
  await checkExportFolder(dir, bytes, disk);
  const temp = path.join(dir, `.${stem}.${randomUUID().slice(0, 8)}.partial`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let n = 1; n < 10_000; n++) {
      const file = path.join(dir, n === 1 ? `${stem}.csv` : `${stem}-${n}.csv`);
      if (await exists(file)) continue;
      await rename(temp, file);
      // FAT and exFAT drives (most USB sticks) cannot fsync a folder; the file itself is synced.
      await fsyncDir(dir).catch(() => undefined);
      return file;
    }
    throw new Error(`${dir} already holds 10,000 exports named ${stem}`);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (error instanceof PitchcaseError) throw error;
    throw refused(dir, error);
  }
}

/** A file name of a moment and an event: letters, digits and dashes only, valid on every file system. */
export function exportStem(at: Date, eventName: string | null): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`;
  const event = (eventName ?? '')
    .normalize('NFKD')
    .replace(/[^\w -]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `pitchcase-leads-${stamp}${event ? `-${event}` : ''}`;
}
