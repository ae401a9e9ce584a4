/**
 * One visitor's anonymous session against the core. The kiosk home shows at once while the
 * session starts in the background; views, the lead and the end wait for its id, views are
 * recorded in order, and a lead asking for "what I looked at" is sent only after every view
 * it should include has been recorded.
 */
import type { CaptureLeadResult, LeadSubmission } from '#shared/kiosk';
import type { PitchcaseClient } from '#shared/client';

type SessionApi = Pick<
  PitchcaseClient,
  'startVisitorSession' | 'recordVisitorView' | 'endVisitorSession' | 'captureLead'
>;

export interface VisitorSession {
  /** Records that the visitor opened an item (best effort: a failure never blocks the visitor). */
  recordView(itemId: string): void;
  /** Sends the lead; rejects if the core could not be reached or failed. */
  captureLead(build: (sessionId: string) => LeadSubmission): Promise<CaptureLeadResult>;
  /** Ends the session once; later calls do nothing. */
  end(reason: 'idle' | 'done'): Promise<void>;
}

export function openVisitorSession(api: SessionApi): VisitorSession {
  let started: Promise<string> | null = null;
  let views: Promise<void> = Promise.resolve();
  let ended = false;

  const sessionId = (): Promise<string> => {
    started ??= api.startVisitorSession({}).then(
      (result) => result.sessionId,
      (error: unknown) => {
        // Let the next caller try again instead of failing forever.
        started = null;
        throw error;
      },
    );
    return started;
  };
  // Start right away, so the id is usually there before the visitor does anything.
  sessionId().catch(() => {});

  const record = async (itemId: string) => {
    try {
      await api.recordVisitorView({ sessionId: await sessionId(), itemId });
    } catch {
      // One retry; the view is anonymous statistics and must not hold up the visitor.
      try {
        await api.recordVisitorView({ sessionId: await sessionId(), itemId });
      } catch {
        /* given up */
      }
    }
  };

  return {
    recordView(itemId) {
      if (ended) return;
      views = views.then(() => record(itemId));
    },
    async captureLead(build) {
      const id = await sessionId();
      await views;
      return api.captureLead(build(id));
    },
    async end(reason) {
      if (ended) return;
      ended = true;
      await views;
      const pending = started;
      if (!pending) return;
      try {
        await api.endVisitorSession({ sessionId: await pending, reason });
      } catch {
        /* the session stays open in the record; nothing the visitor sees depends on it */
      }
    },
  };
}
