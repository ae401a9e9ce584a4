/**
 * A wrap-up the rep is typing is saved to the core when typing pauses and when they leave; a
 * window closed in that pause (the app quit, the tablet's battery) would lose the last words.
 * So every change is also written at once, synchronously, to this window's localStorage, and
 * cleared when the core has it. At the next start whatever is still here is handed to the core
 * as a draft ("save for later"): the core refuses it for a meeting already logged, and then the
 * entry is dropped. The pen's ink of a meeting just presented is kept here the same way (once,
 * under its own key) until the core has it.
 */
import type { MeetingInput } from '#shared/presenting';
import type { InkPageView } from './meeting-ink';

const PREFIX = 'pitchcase.wrap-up.';
const INK_PREFIX = 'pitchcase.wrap-up-ink.';

interface Entry {
  meeting: MeetingInput;
  /** Which write this is: a save of an older write must not clear a newer one. */
  seq: number;
}

let seq = 0;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Keeps the meeting as typed (always as a draft); returns the write's number for clear(). */
export function journalWrite(meeting: MeetingInput): number {
  seq += 1;
  try {
    storage()?.setItem(
      PREFIX + meeting.id,
      JSON.stringify({ meeting: { ...meeting, status: 'later' }, seq } satisfies Entry),
    );
  } catch {
    // Storage full or unavailable: the core's saves still run, as before.
  }
  return seq;
}

/** The core has the meeting as of write `upTo` (or it was logged or deleted: no `upTo`). */
export function journalClear(meetingId: string, upTo?: number): void {
  const store = storage();
  if (!store) return;
  if (upTo !== undefined) {
    const entry = read(store, PREFIX + meetingId);
    if (entry && entry.seq > upTo) return;
  }
  store.removeItem(PREFIX + meetingId);
}

/** Keeps the meeting's ink until the core has it (see inkJournalClear). */
export function inkJournalWrite(meetingId: string, pages: readonly InkPageView[]): void {
  try {
    storage()?.setItem(INK_PREFIX + meetingId, JSON.stringify({ meetingId, pages }));
  } catch {
    // Storage full or unavailable: the wrap-up's own save still runs and says if it fails.
  }
}

/** The core has the meeting's ink (or the draft was deleted). */
export function inkJournalClear(meetingId: string): void {
  storage()?.removeItem(INK_PREFIX + meetingId);
}

function readInk(store: Storage, key: string): { meetingId: string; pages: InkPageView[] } | null {
  try {
    const entry = JSON.parse(store.getItem(key) ?? 'null') as { meetingId?: unknown; pages?: unknown } | null;
    return entry && typeof entry.meetingId === 'string' && Array.isArray(entry.pages)
      ? { meetingId: entry.meetingId, pages: entry.pages as InkPageView[] }
      : null;
  } catch {
    return null;
  }
}

function read(store: Storage, key: string): Entry | null {
  try {
    const entry = JSON.parse(store.getItem(key) ?? 'null') as Entry | null;
    return entry && typeof entry === 'object' && entry.meeting && typeof entry.meeting.id === 'string' ? entry : null;
  } catch {
    return null;
  }
}

function keysOf(store: Storage, prefix: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

/** Refused for good (logged, malformed, gone): retrying at the next start would not help. */
function refusedForGood(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'refused' || code === 'bad-request' || code === 'not-found';
}

/**
 * Hands every kept wrap-up to the core as a draft, then every kept ink to its meeting. An entry
 * the core refuses (already logged, malformed) is dropped; one that fails for another reason (the
 * core not reachable) is kept for the next start. Resolves with how many meetings were recovered.
 */
export async function journalReplay(
  save: (meeting: MeetingInput) => Promise<unknown>,
  saveInk?: (meetingId: string, pages: InkPageView[]) => Promise<unknown>,
): Promise<number> {
  const store = storage();
  if (!store) return 0;
  const keys = keysOf(store, PREFIX);
  let recovered = 0;
  for (const key of keys) {
    const entry = read(store, key);
    if (!entry) {
      store.removeItem(key);
      continue;
    }
    try {
      await save(entry.meeting);
      recovered += 1;
      store.removeItem(key);
    } catch (error) {
      if (refusedForGood(error)) store.removeItem(key);
    }
  }
  if (!saveInk) return recovered;
  for (const key of keysOf(store, INK_PREFIX)) {
    const entry = readInk(store, key);
    if (!entry) {
      store.removeItem(key);
      continue;
    }
    try {
      await saveInk(entry.meetingId, entry.pages);
      store.removeItem(key);
    } catch (error) {
      if (refusedForGood(error)) store.removeItem(key);
    }
  }
  return recovered;
}
