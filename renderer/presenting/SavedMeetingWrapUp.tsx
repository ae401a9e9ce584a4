/**
 * A meeting saved for later, reopened from the list: loaded from the device with its ink (and the
 * items the ink was drawn on), then wrapped up. A logged meeting shows its ink, read-only.
 */
import { useMemo } from 'react';
import { StateMessage } from '../ui/StateMessage';
import { orderInkPages } from './meeting-ink';
import { MeetingInkPages } from './MeetingInkPages';
import { useStoredMeeting } from './queries';
import { WrapUp, type WrapUpDraft } from './WrapUp';

export function SavedMeetingWrapUp({ meetingId, onClose }: { meetingId: string; onClose(): void }) {
  const state = useStoredMeeting(meetingId);
  const loaded = state.data ?? null;

  const draft = useMemo<WrapUpDraft | null>(() => {
    if (!loaded) return null;
    const m = loaded.meeting;
    return {
      meetingId: m.id,
      pitchId: m.pitchId,
      pitchName: m.pitchName ?? 'Pitch no longer on this device',
      startedAt: m.startedAt,
      endedAt: m.endedAt,
      lines: m.shown,
      fields: {
        account: m.account,
        accountId: m.accountId,
        contact: m.contact,
        contactId: m.contactId,
        opportunity: m.opportunity,
        opportunityId: m.opportunityId,
        outcome: m.outcome,
        notes: m.notes,
      },
    };
  }, [loaded]);

  const inkPages = useMemo(() => (loaded ? orderInkPages(loaded.ink.pages, loaded.meeting.shown) : []), [loaded]);

  if (draft && loaded && loaded.meeting.status === 'later')
    return <WrapUp draft={draft} ink={inkPages} inkItems={loaded.items} onClose={onClose} />;

  return (
    <div className="presenting-screen" role="dialog" aria-modal="true" aria-label="Meeting" data-testid="saved-meeting">
      <div className="presenting-screen__content">
        {state.status === 'loading' ? (
          <div className="skeleton skeleton--card" aria-label="Opening the meeting" />
        ) : null}
        {loaded ? (
          <StateMessage
            tone="empty"
            title="This meeting is already logged"
            actions={
              <button type="button" className="button button--primary" onClick={onClose}>
                Back
              </button>
            }
          >
            It went to CRM and can no longer be changed here.
          </StateMessage>
        ) : null}
        {loaded && inkPages.length > 0 ? (
          <section
            className="wrap-up__ink"
            data-testid="wrap-up-ink"
            data-pages={inkPages.length}
            data-ink-saved="saved"
          >
            <h3>Ink on {inkPages.length === 1 ? '1 page' : `${inkPages.length} pages`}</h3>
            <MeetingInkPages pages={inkPages} items={loaded.items} />
          </section>
        ) : null}
        {state.status === 'error' ? (
          <StateMessage
            tone="error"
            title="This meeting could not be opened"
            onRetry={state.retry}
            actions={
              <button type="button" className="button" onClick={onClose}>
                Back
              </button>
            }
          >
            {state.error.message}
          </StateMessage>
        ) : null}
      </div>
    </div>
  );
}
