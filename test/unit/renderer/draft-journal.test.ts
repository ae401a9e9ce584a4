import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeetingInput } from '#shared/presenting';
import { PitchcaseError } from '#shared/result';
import { journalClear, journalReplay, journalWrite } from '../../../renderer/presenting/draft-journal.ts';

/** localStorage as the renderer sees it, in memory. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}

const meeting = (id: string, notes: string): MeetingInput => ({
  id,
  startedAt: '2026-11-23T09:00:00.000Z',
  endedAt: '2026-11-23T09:30:00.000Z',
  status: 'logged',
  notes,
  shown: [],
});

let storage: Storage;
beforeEach(() => {
  storage = memoryStorage();
  vi.stubGlobal('window', { localStorage: storage });
});
afterEach(() => vi.unstubAllGlobals());

describe('the wrap-up journal', () => {
  it('keeps what was typed as a draft, whatever status the form had', () => {
    journalWrite(meeting('m1', 'first words'));
    expect(JSON.parse(storage.getItem('pitchcase.wrap-up.m1')!)).toMatchObject({
      meeting: { id: 'm1', notes: 'first words', status: 'later' },
    });
  });

  it('is cleared by a save of its latest write, not by a save that an edit overtook', () => {
    const saved = journalWrite(meeting('m1', 'a'));
    journalWrite(meeting('m1', 'ab'));
    journalClear('m1', saved);
    expect(storage.getItem('pitchcase.wrap-up.m1')).toContain('"ab"');
    const latest = journalWrite(meeting('m1', 'abc'));
    journalClear('m1', latest);
    expect(storage.getItem('pitchcase.wrap-up.m1')).toBeNull();
    // Logged or deleted: cleared whatever came before.
    journalWrite(meeting('m2', 'x'));
    journalClear('m2');
    expect(storage.length).toBe(0);
  });

  it('replays every kept wrap-up to the core, drops what the core refuses, keeps what could not be sent', async () => {
    journalWrite(meeting('saved', 'one'));
    journalWrite(meeting('logged-elsewhere', 'two'));
    journalWrite(meeting('offline', 'three'));
    storage.setItem('pitchcase.wrap-up.garbage', '{not json');
    storage.setItem('unrelated', 'kept');
    const save = vi.fn(async (m: MeetingInput) => {
      if (m.id === 'logged-elsewhere') throw new PitchcaseError('refused', 'This meeting was already logged to CRM');
      if (m.id === 'offline') throw new TypeError('Failed to fetch');
      return m;
    });
    expect(await journalReplay(save)).toBe(1);
    expect(save.mock.calls.map(([m]) => [m.id, m.status, m.notes])).toEqual([
      ['saved', 'later', 'one'],
      ['logged-elsewhere', 'later', 'two'],
      ['offline', 'later', 'three'],
    ]);
    expect([...Array(storage.length).keys()].map((i) => storage.key(i)).sort()).toEqual([
      'pitchcase.wrap-up.offline',
      'unrelated',
    ]);
  });

  it('never throws where storage is unavailable', async () => {
    vi.stubGlobal('window', {
      get localStorage(): Storage {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    expect(() => journalWrite(meeting('m', 'x'))).not.toThrow();
    expect(() => journalClear('m')).not.toThrow();
    expect(await journalReplay(async () => {})).toBe(0);
  });
});
