/**
 * What a screen reads from the core, declared once per domain (`library/queries.ts`,
 * `presenting/queries.ts` …) and loaded by `useQuery`: how to load it, how long the rep may
 * wait, and which events mean it changed.
 */
import type { PitchcaseClient } from '#shared/client';
import type { EventName, PitchcaseEvents } from '#shared/contract';

export interface Query<T> {
  /** Identity of the data: the hook loads again when it changes (JSON-compared). */
  key: readonly unknown[];
  /** Says what is loading, for the message when the deadline passes ("Opening the pitch"). */
  what: string;
  /** A rep never faces a spinner that hangs: past this, the screen shows an error with a retry. */
  deadlineMs: number;
  load(client: PitchcaseClient): Promise<T>;
  /** Events after which the data is read again, in place (the old data stays on screen). */
  refetchOn?: readonly EventName[];
  /** Events whose payload is the new data itself, so no round trip is needed. */
  replaceOn?: { [E in EventName]?: (payload: PitchcaseEvents[E]) => T };
}
