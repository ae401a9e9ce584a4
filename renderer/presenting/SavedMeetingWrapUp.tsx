/**
 * A meeting saved for later, reopened from the list: loaded from the device with its ink (and the
 * items the ink was drawn on), then wrapped up. A logged meeting shows its ink, read-only.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ItemDetail } from '#shared/library';
import type { MeetingInk, SavedMeeting } from '#shared/presenting';
import { client } from '../api/client';
import { describeError, withDeadline } from '../api/deadline';
import { StateMessage } from '../ui/StateMessage';
import { orderInkPages } from './meeting-ink';
import { MeetingInkPages } from './MeetingInkPages';
import { WrapUp, type WrapUpDraft } from './WrapUp';

type Ready = { meeting: SavedMeeting; ink: MeetingInk; items: ReadonlyMap<string, ItemDetail> };
type Loaded = { status: 'loading' } | { status: 'error'; message: string } | ({ status: 'ready' } & Ready);

async function load(meetingId: string): Promise<Ready> {
  const [meeting, ink] = await Promise.all([client.getMeeting({ id: meetingId }), client.getMeetingInk({ meetingId })]);
  const ids = [...new Set(ink.pages.map((p) => p.itemId))];
  // An item no longer in the library shows its ink on a blank page, not an error.
  const details = await Promise.all(ids.map((id) => client.getItem({ id }).catch(() => null)));
  const items = new Map<string, ItemDetail>();
  for (const detail of details) if (detail) items.set(detail.id, detail);
  return { meeting, ink, items };
}

export function SavedMeetingWrapUp({ meetingId, onClose }: { meetingId: string; onClose(): void }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    withDeadline(load(meetingId), 15_000, 'Opening the meeting').then(
      (ready) => live && setLoaded({ status: 'ready', ...ready }),
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

  const inkPages = useMemo(() => (loaded.status === 'ready' ? orderInkPages(loaded.ink.pages, loaded.meeting.shown) : []), [loaded]);

  if (draft && loaded.status === 'ready' && loaded.meeting.status === 'later') return <WrapUp draft={draft} ink={inkPages} inkItems={loaded.items} onClose={onClose} />;

  return (
    <div className="presenting-screen" role="dialog" aria-modal="true" aria-label="Meeting" data-testid="saved-meeting">
      <div className="presenting-screen__content">
        {loaded.status === 'loading' ? <div className="skeleton skeleton--card" aria-label="Opening the meeting" /> : null}
        {loaded.status === 'ready' ? (
          <StateMessage tone="empty" title="This meeting is already logged" actions={<button type="button" className="button button--primary" onClick={onClose}>Back</button>}>
            It went to CRM and can no longer be changed here.
          </StateMessage>
        ) : null}
        {loaded.status === 'ready' && inkPages.length > 0 ? (
          <section className="wrap-up__ink" data-testid="wrap-up-ink" data-pages={inkPages.length} data-ink-saved="saved">
            <h3>Ink on {inkPages.length === 1 ? '1 page' : `${inkPages.length} pages`}</h3>
            <MeetingInkPages pages={inkPages} items={loaded.items} />
          </section>
        ) : null}
        {loaded.status === 'error' ? (
          <StateMessage
            tone="error"
            title="This meeting could not be opened"
            onRetry={() => setAttempt((n) => n + 1)}
            actions={
              <button type="button" className="button" onClick={onClose}>
                Back
              </button>
            }
          >
            {loaded.message}
          </StateMessage>
        ) : null}
      </div>
    </div>
  );
}
