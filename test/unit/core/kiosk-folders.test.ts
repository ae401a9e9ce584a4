import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removableWindowsDrives, volumePaths } from '#core/kiosk/index';
import { exportStem, writeExportFile } from '#core/kiosk/folders';
import { tempDir } from '../../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function tree(dirs: string[]): string {
  const t = tempDir('pitchcase-volumes-');
  cleanups.push(t.cleanup);
  for (const d of dirs) mkdirSync(path.join(t.dir, d), { recursive: true });
  return t.dir;
}

describe('where a kiosk finds removable drives', () => {
  it('on Linux: mounts in /media (Debian), /media/USER (Ubuntu) and /run/media/USER (Fedora)', async () => {
    const root = tree([
      'media/usb0',
      'media/usb1',
      'media/kiosk/KINGSTON',
      'media/kiosk/.hidden',
      'run/media/staff/SD',
    ]);
    const mounts = new Set(['media/usb1', 'media/kiosk/KINGSTON', 'run/media/staff/SD'].map((d) => path.join(root, d)));
    const found = await volumePaths({
      platform: 'linux',
      roots: [path.join(root, 'media'), path.join(root, 'run/media')],
      isMount: async (dir) => mounts.has(dir),
    });
    // usb0 is an empty mount point (nothing plugged in): not offered.
    expect(found).toEqual([
      { path: path.join(root, 'media/usb1'), label: 'usb1', removable: true },
      { path: path.join(root, 'media/kiosk/KINGSTON'), label: 'KINGSTON', removable: true },
      { path: path.join(root, 'run/media/staff/SD'), label: 'SD', removable: true },
    ]);
  });

  it('on macOS: /Volumes without the start-up disk', async () => {
    const root = tree(['Volumes/USB STICK']);
    symlinkSync('/', path.join(root, 'Volumes/Macintosh HD'));
    expect(await volumePaths({ platform: 'darwin', roots: [path.join(root, 'Volumes')] })).toEqual([
      { path: path.join(root, 'Volumes/USB STICK'), label: 'USB STICK', removable: true },
    ]);
  });

  it('on Windows: the drive letters of removable drives only', async () => {
    const listing = JSON.stringify([
      { DeviceID: 'C:', DriveType: 3, VolumeName: 'Windows' },
      { DeviceID: 'E:', DriveType: 2, VolumeName: 'BOOTH' },
      { DeviceID: 'Z:', DriveType: 4, VolumeName: 'share' },
      { DeviceID: 'F:', DriveType: 2, VolumeName: null },
    ]);
    expect(removableWindowsDrives(listing).map((d) => d.DeviceID)).toEqual(['E:', 'F:']);
    // PowerShell gives a lone object, not an array, for one disk; garbage gives none.
    expect(removableWindowsDrives('{"DeviceID":"G:","DriveType":2}')).toHaveLength(1);
    expect(removableWindowsDrives('not json')).toEqual([]);
    expect(await volumePaths({ platform: 'win32', windowsDisks: async () => removableWindowsDrives(listing) })).toEqual(
      [
        { path: 'E:\\', label: 'E: BOOTH', removable: true },
        { path: 'F:\\', label: 'F:', removable: true },
      ],
    );
  });

  it('names export files by local time and event, safe on FAT and NTFS', () => {
    const at = new Date(2026, 4, 12, 9, 5);
    expect(exportStem(at, 'Brau Beviale 2026 / Halle 7: "Stand" 7-412?')).toBe(
      'pitchcase-leads-2026-05-12-0905-Brau-Beviale-2026-Halle-7-Stand-7-412',
    );
    expect(exportStem(at, null)).toBe('pitchcase-leads-2026-05-12-0905');
    expect(exportStem(at, 'Über Messe')).toBe('pitchcase-leads-2026-05-12-0905-Uber-Messe');
  });
});

describe('writing an export file', () => {
  it('refuses a drive without room for the file, naming the folder, and writes nothing', async () => {
    const dir = tree([]);
    await expect(
      writeExportFile(dir, 'pitchcase-leads-x', 'a,b\n'.repeat(1000), { freeBytes: async () => 2048 }),
    ).rejects.toThrow(
      new RegExp(`The drive of ${dir.replace(/[\\/.]/g, '.')} has 2,048 bytes free; the export needs 4,000`),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the whole file under a free name, never over an earlier one', async () => {
    const dir = tree([]);
    const first = await writeExportFile(dir, 'pitchcase-leads-x', 'one\n');
    const second = await writeExportFile(dir, 'pitchcase-leads-x', 'two\n');
    expect([path.basename(first), path.basename(second)]).toEqual(['pitchcase-leads-x.csv', 'pitchcase-leads-x-2.csv']);
    expect(readFileSync(first, 'utf8')).toBe('one\n');
    expect(readFileSync(second, 'utf8')).toBe('two\n');
    // No temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(['pitchcase-leads-x-2.csv', 'pitchcase-leads-x.csv']);
  });
});
