/** Meetings saved for later: when, which pitch, what was shown; complete and log, or delete. */
import { useState } from 'react';
import { useAction } from '../data/useAction';
import { StateMessage } from '../ui/StateMessage';
import { PresentingScreen } from './PresentingScreen';
import { useMeetingsToLog } from './queries';
import { meetingWhen } from './wrap-up';

export interface MeetingListProps {
  onBack(): void;
  onOpen(id: string): void;
}

export function MeetingList({ onBack, onOpen }: MeetingListProps) {
  const state = useMeetingsToLog();
  const [confirming, setConfirming] = useState<string | null>(null);
  const deleteAction = useAction((client, id: string) => client.deleteMeeting({ id }), 'Not deleted: ');
  const problem = deleteAction.error;

  const remove = (id: string) => {
    setConfirming(null);
    void deleteAction.run(id).then(state.refresh);
  };

  return (
    <PresentingScreen
      label="Meetings saved for later"
      testId="meeting-list"
      backTestId="meetings-back"
      title="Meetings to log"
      subtitle="Saved for later on this device. Complete who it was with, then log it to CRM."
      onBack={onBack}
    >
      <div className="presenting-screen__content">
        {problem ? (
          <p className="wrap-up__status" role="alert">
            {problem}
          </p>
        ) : null}
        {state.status === 'loading' ? <div className="skeleton skeleton--card" aria-label="Loading meetings" /> : null}
        {state.status === 'error' ? (
          <StateMessage tone="error" title="The meetings could not be loaded" onRetry={state.retry}>
            {state.error.message}
          </StateMessage>
        ) : null}
        {state.status === 'ready' && state.data.length === 0 ? (
          <StateMessage tone="empty" title="Nothing to log">
            A meeting you wrap up but do not log yet waits here, with what you showed.
          </StateMessage>
        ) : null}
        {state.status === 'ready' && state.data.length > 0 ? (
          <ul className="pitch-cards">
            {state.data.map((meeting) => {
              const who = [meeting.contact, meeting.account].filter(Boolean).join(', ');
              return (
                <li
                  key={meeting.id}
                  className="pitch-card meeting-card"
                  data-testid="meeting-card"
                  data-meeting-id={meeting.id}
                >
                  <button type="button" className="pitch-card__main" onClick={() => onOpen(meeting.id)}>
                    <span className="pitch-card__name">{meetingWhen(meeting.startedAt, meeting.endedAt)}</span>
                    <span className="pitch-card__meta" data-testid="meeting-pitch">
                      {meeting.pitchName ?? 'Pitch no longer on this device'}
                      {who ? ` · ${who}` : ''}
                    </span>
                    <span className="pitch-card__meta meeting-card__shown" data-testid="meeting-shown">
                      {meeting.shownTitles.length > 0
                        ? `Shown: ${meeting.shownTitles.join(', ')} (${meeting.shownPages} ${meeting.shownPages === 1 ? 'entry' : 'entries'})`
                        : 'Nothing shown for two seconds or more'}
                    </span>
                  </button>
                  <div className="pitch-card__actions">
                    <button
                      type="button"
                      className="button button--primary"
                      onClick={() => onOpen(meeting.id)}
                      data-testid="meeting-open"
                    >
                      Complete
                    </button>
                    {confirming === meeting.id ? (
                      <button
                        type="button"
                        className="button button--danger"
                        onClick={() => remove(meeting.id)}
                        data-testid="meeting-delete-confirm"
                      >
                        Confirm delete
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="button"
                        onClick={() => setConfirming(meeting.id)}
                        data-testid="meeting-delete"
                      >
                        Delete
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
    </PresentingScreen>
  );
}
