/**
 * The relay between a rep's presenter and its audience screens. It keeps the latest state of
 * the last few presentations in memory (an audience window that opens late starts from it) and
 * announces each newer state; an older or repeated one (a late request) is dropped, so an
 * audience never steps back. Nothing is stored: a presentation's screen state dies with the app.
 */
import type { AudienceState } from '#shared/audience-screen';

/** A rep presents one pitch at a time; a few more cover a quick restart. */
const KEPT_SESSIONS = 4;

export interface AudienceRelay {
  /** Takes a state from the presenter; false when it was older than the one already shown. */
  show(state: AudienceState): boolean;
  latest(sessionId: string): AudienceState | null;
}

export function createAudienceRelay(announce: (state: AudienceState) => void): AudienceRelay {
  // Insertion order is recency: a session is re-inserted on every state.
  const sessions = new Map<string, AudienceState>();
  return {
    show(state) {
      const previous = sessions.get(state.sessionId);
      if (previous && state.seq <= previous.seq) return false;
      sessions.delete(state.sessionId);
      sessions.set(state.sessionId, state);
      while (sessions.size > KEPT_SESSIONS) sessions.delete(sessions.keys().next().value!);
      announce(state);
      return true;
    },
    latest(sessionId) {
      return sessions.get(sessionId) ?? null;
    },
  };
}
export { audienceHandlers } from './handlers.ts';
