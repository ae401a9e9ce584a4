/** A meeting saved for later, reopened from the list: loaded from the device, then wrapped up. */
import { useEffect, useMemo, useState } from 'react';
import type { SavedMeeting } from '#shared/presenting';
import { client } from '../api/client';
import { describeError, withDeadline } from '../api/deadline';
import { StateMessage } from '../ui/StateMessage';
import { WrapUp, type WrapUpDraft } from './WrapUp';

type Loaded = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; meeting: SavedMeeting };

export function SavedMeetingWrapUp({ meetingId, onClose }: { meetingId: string; onClose(): void }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    withDeadline(client.getMeeting({ id: meetingId }), 15_000, 'Opening the meeting').then(
      (meeting) => live && setLoaded({ status: 'ready', meeting }),
      (error: unknown) => live && setLoaded({ status: 'error', message: describeError(error).message }),
    );
    return () => {
      live = false;
    };
  }, [meetingId, attempt]);

  const draft = useMemo<WrapUpDraft | null>(() => {
    if (loaded.status !== 'ready') return null;
    const m = loaded.meeting;
    return {
      meetingId: m.id,
      pitchId: m.pitchId,
      pitchName: m.pitchName ?? 'Pitch no longer on this device',
      startedAt: m.startedAt,
      endedAt: m.endedAt,
      lines: m.shown,
      fields: { account: m.account, accountId: m.accountId, contact: m.contact, contactId: m.contactId, opportunity: m.opportunity, opportunityId: m.opportunityId, outcome: m.outcome, notes: m.notes },
    };
  }, [loaded]);

  if (draft && loaded.status === 'ready' && loaded.meeting.status === 'later') return <WrapUp draft={draft} onClose={onClose} />;

  return (
    <div className="presenting-screen" role="dialog" aria-modal="true" aria-label="Meeting" data-testid="saved-meeting">
      <div className="presenting-screen__content">
        {loaded.status === 'loading' ? <div className="skeleton skeleton--card" aria-label="Opening the meeting" /> : null}
        {loaded.status === 'ready' ? (
          <StateMessage tone="empty" title="This meeting is already logged" actions={<button type="button" className="button button--primary" onClick={onClose}>Back</button>}>
            It went to CRM and can no longer be changed here.
          </StateMessage>
        ) : null}
        {loaded.status === 'error' ? (
          <StateMessage
            tone="error"
            title="This meeting could not be opened"
            actions={
              <>
                <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
                  Try again
                </button>
                <button type="button" className="button" onClick={onClose}>
                  Back
                </button>
              </>
            }
          >
            {loaded.message}
          </StateMessage>
        ) : null}
      </div>
    </div>
  );
}
