import { describe, expect, it } from 'vitest';
import type { SyncPlan, SyncStatus } from '../../../main/shared/sync';
import {
  appUpdateLine,
  appUpdateNotice,
  formatBytes,
  formatEta,
  formatMegabytes,
  formatWhen,
  isSyncBusy,
  planCounts,
  planSummary,
  progressDetail,
  progressPercent,
  settingsErrorField,
  syncChip,
} from '../../../renderer/sync/presentation';

const titled = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, title: `${prefix} ${i}` }));

function plan(extra: Partial<SyncPlan> = {}): SyncPlan {
  return {
    channel: 'demo',
    fromVersion: 4,
    toVersion: 5,
    publishedAt: '2026-03-01T10:00:00Z',
    added: titled(12, 'new'),
    updated: titled(3, 'upd'),
    removed: titled(2, 'gone'),
    downloadBytes: 340_000_000,
    downloadFiles: 20,
    totalBytes: 1_200_000_000,
    ...extra,
  };
}

function status(extra: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: 'idle',
    channelUrl: 'https://content.example/pitchcase/',
    plan: null,
    progress: null,
    lastCheckAt: null,
    lastSuccessAt: '2026-03-01T10:00:00Z',
    lastError: null,
    storageBytes: 0,
    newSinceSeen: 0,
    pendingUploads: 0,
    ...extra,
  };
}

describe('formatBytes', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [-5, '0 B'],
    [Number.NaN, '0 B'],
    [999, '999 B'],
    [1000, '1.0 KB'],
    [1530, '1.5 KB'],
    [12_345, '12 KB'],
    [999_499, '999 KB'],
    [999_600, '1.0 MB'],
    [340_000_000, '340 MB'],
    [1_400_000_000, '1.4 GB'],
    [5e15, '5000 TB'],
  ])('%d bytes -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('shows storage in MB whatever the size', () => {
    expect(formatMegabytes(0)).toBe('0.0 MB');
    expect(formatMegabytes(2_700_000)).toBe('2.7 MB');
    expect(formatMegabytes(340_400_000)).toBe('340 MB');
    expect(formatMegabytes(12_345_000_000)).toBe('12,345 MB');
  });
});

describe('formatEta', () => {
  it.each<[number | null, string | null]>([
    [null, null],
    [-1, null],
    [Number.POSITIVE_INFINITY, null],
    [0, 'a few seconds left'],
    [9, 'a few seconds left'],
    [42, '40 s left'],
    [59, '60 s left'],
    [90, 'about 2 min left'],
    [59 * 60, 'about 59 min left'],
    [3600, 'about 1 h left'],
    [3900, 'about 1 h 5 min left'],
  ])('%s s -> %s', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });
});

describe('progress', () => {
  it('counts bytes, rounding down so 100% means done', () => {
    expect(progressPercent({ bytesDone: 42, bytesTotal: 100, filesDone: 0, filesTotal: 9, etaSeconds: null })).toBe(42);
    expect(progressPercent({ bytesDone: 999, bytesTotal: 1000, filesDone: 0, filesTotal: 1, etaSeconds: null })).toBe(
      99,
    );
  });

  it('falls back to files when there are no bytes, and is 0 without progress', () => {
    expect(progressPercent({ bytesDone: 0, bytesTotal: 0, filesDone: 1, filesTotal: 4, etaSeconds: null })).toBe(25);
    expect(progressPercent({ bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: 0, etaSeconds: null })).toBe(100);
    expect(progressPercent(null)).toBe(0);
  });

  it('stays within 0..100 whatever the counters say', () => {
    expect(progressPercent({ bytesDone: 150, bytesTotal: 100, filesDone: 0, filesTotal: 1, etaSeconds: null })).toBe(
      100,
    );
    expect(progressPercent({ bytesDone: -5, bytesTotal: 100, filesDone: 0, filesTotal: 1, etaSeconds: null })).toBe(0);
  });

  it('reads bytes, files and time left', () => {
    expect(
      progressDetail({ bytesDone: 12_300_000, bytesTotal: 340_000_000, filesDone: 3, filesTotal: 20, etaSeconds: 120 }),
    ).toBe('12 MB of 340 MB · 3 of 20 files · about 2 min left');
    expect(progressDetail({ bytesDone: 0, bytesTotal: 5000, filesDone: 0, filesTotal: 1, etaSeconds: null })).toBe(
      '0 B of 5.0 KB · 0 of 1 file',
    );
  });
});

describe('plan summary', () => {
  it('counts what changes, leaving out what does not', () => {
    expect(planCounts(plan())).toBe('12 new, 3 updated, 2 removed');
    expect(planCounts(plan({ updated: [], removed: [] }))).toBe('12 new');
    expect(planCounts(plan({ added: [], updated: [] }))).toBe('2 removed');
    expect(planCounts(plan({ added: [], updated: [], removed: [] }))).toBe('No item changes');
  });

  it('adds the download size', () => {
    expect(planSummary(plan())).toBe('12 new, 3 updated, 2 removed · 340 MB to download');
    expect(planSummary(plan({ added: [], updated: [], downloadBytes: 0 }))).toBe('2 removed · nothing to download');
  });
});

describe('sync chip', () => {
  it.each<[string, Partial<SyncStatus>, string, string]>([
    ['up to date', {}, 'Up to date', 'ok'],
    ['no channel', { channelUrl: null, lastSuccessAt: null }, 'Not configured', 'off'],
    ['never checked', { lastSuccessAt: null }, 'Not checked yet', 'off'],
    ['checking', { state: 'checking' }, 'Checking…', 'busy'],
    [
      'downloading',
      {
        state: 'downloading',
        progress: { bytesDone: 42, bytesTotal: 100, filesDone: 1, filesTotal: 3, etaSeconds: 5 },
      },
      'Downloading 42%',
      'busy',
    ],
    ['downloading before progress', { state: 'downloading' }, 'Downloading 0%', 'busy'],
    ['applying', { state: 'applying' }, 'Applying…', 'busy'],
    ['plan', { state: 'available', plan: plan({ removed: [] }) }, 'Update ready: 12 new, 3 updated', 'attention'],
    ['available without plan', { state: 'available' }, 'Update ready', 'attention'],
    [
      'failed',
      { state: 'error', lastError: { at: '2026-03-01T10:00:00Z', message: 'Release refused: bad signature' } },
      'Sync failed',
      'error',
    ],
  ])('%s', (_name, change, label, tone) => {
    expect(syncChip(status(change))).toEqual({ label, tone });
  });

  it('keeps Check now for when nothing is running', () => {
    expect(['idle', 'available', 'error'].map((s) => isSyncBusy(s as SyncStatus['state']))).toEqual([
      false,
      false,
      false,
    ]);
    expect(['checking', 'downloading', 'applying'].map((s) => isSyncBusy(s as SyncStatus['state']))).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('formatWhen', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it.each<[string | null, string]>([
    [null, 'Never'],
    ['2026-03-10T11:59:30Z', 'Just now'],
    ['2026-03-10T11:55:00Z', '5 min ago'],
    ['2026-03-10T09:00:00Z', '3 h ago'],
    ['2026-03-09T08:00:00Z', 'Yesterday'],
    ['not a date', 'not a date'],
  ])('%s -> %s', (iso, text) => {
    expect(formatWhen(iso, now, 'en-US')).toBe(text);
  });

  it('shows a date for anything older, or well in the future (a clock that moved)', () => {
    expect(formatWhen('2026-02-01T12:00:00Z', now, 'en-US')).toBe('Feb 1, 2026');
    expect(formatWhen('2026-03-11T12:00:00Z', now, 'en-US')).toMatch(/Mar 11, 2026/);
    expect(formatWhen('2026-03-10T12:00:30Z', now, 'en-US')).toBe('Just now');
  });
});

describe('app update', () => {
  it('announces a downloaded version only', () => {
    expect(appUpdateNotice({ state: 'ready', version: '1.4.0', percent: 100, message: null })).toBe(
      'Pitchcase 1.4.0 is ready',
    );
    expect(appUpdateNotice({ state: 'ready', version: null, percent: 100, message: null })).toBe(
      'A new version of Pitchcase is ready',
    );
    expect(appUpdateNotice({ state: 'downloading', version: '1.4.0', percent: 30, message: null })).toBeNull();
    expect(appUpdateNotice({ state: 'unsupported', version: null, percent: null, message: 'no' })).toBeNull();
    expect(appUpdateNotice(null)).toBeNull();
  });

  it('says nothing where the app cannot update itself', () => {
    expect(
      appUpdateLine({
        state: 'unsupported',
        version: null,
        percent: null,
        message: 'App updates are installed by the desktop app.',
      }),
    ).toBeNull();
    expect(appUpdateLine({ state: 'downloading', version: '1.4.0', percent: 37.4, message: null })).toBe(
      'Downloading 1.4.0: 37%',
    );
    expect(
      appUpdateLine({ state: 'error', version: null, percent: null, message: 'net::ERR_INTERNET_DISCONNECTED' }),
    ).toBe('App update failed: net::ERR_INTERNET_DISCONNECTED');
  });
});

describe('settings errors', () => {
  it.each<[string, string]>([
    ['A channel URL is https://, http:// or file://, not ftp:', 'channelUrl'],
    ['Not a URL: my key server', 'channelUrl'],
    ['A channel URL must not carry a user name or password', 'channelUrl'],
    ['updateChannelSettings: channelUrl String must contain at most 2048 character(s)', 'channelUrl'],
    ['Not a public key: error:1E08010C:DECODER routines::unsupported', 'publicKeys'],
    ['Pinned keys must be ed25519, got rsa', 'publicKeys'],
    ['updateChannelSettings: publicKeys Array must contain at most 8 element(s)', 'publicKeys'],
    ['updateChannelSettings: checkIntervalMinutes Number must be greater than or equal to 5', 'checkIntervalMinutes'],
    ['The profile is read-only', 'form'],
  ])('%s -> %s', (message, field) => {
    expect(settingsErrorField(message)).toBe(field);
  });
});
