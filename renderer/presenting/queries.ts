/** What the presenting screens read from the core: pitches, meetings, the usage report. */
import type { PitchcaseClient } from '#shared/client';
import type { CrmSearchRequest, CrmSearchResult } from '#shared/crm';
import type { AudienceState } from '#shared/audience-screen';
import type { ItemDetail } from '#shared/library';
import type { MeetingInk, MeetingSummary, Pitch, PitchSummary, SavedMeeting, UsageReport } from '#shared/presenting';
import { useQuery } from '../data/useQuery';
import type { Query } from '../data/query';
import { buildDeck, type Deck } from './deck';

export interface PitchShelf {
  pitches: PitchSummary[];
  /** Steps that cannot be shown, for each pitch that is not ready. */
  problems: Record<string, number>;
}

async function loadShelf(client: PitchcaseClient): Promise<PitchShelf> {
  const pitches = await client.listPitches({});
  const problems: Record<string, number> = {};
  // Only pitches that are not ready need their steps counted; a count that cannot be read
  // leaves the card saying "needs attention" without a number.
  await Promise.all(
    pitches
      .filter((p) => !p.ready)
      .map(async (p) => {
        const full = await client.getPitch({ id: p.id }).catch(() => null);
        if (full) problems[p.id] = full.steps.filter((s) => s.problem).length;
      }),
  );
  return { pitches, problems };
}

/** Items by id; an item no longer in the library is left out (its step or ink shows as such). */
async function loadItems(client: PitchcaseClient, ids: Iterable<string>): Promise<Map<string, ItemDetail>> {
  const details = await Promise.all([...new Set(ids)].map((id) => client.getItem({ id }).catch(() => null)));
  const items = new Map<string, ItemDetail>();
  for (const detail of details) if (detail) items.set(detail.id, detail);
  return items;
}

export interface PitchDeck {
  pitch: Pitch;
  items: Map<string, ItemDetail>;
  deck: Deck;
}

async function loadDeck(client: PitchcaseClient, id: string): Promise<PitchDeck> {
  const pitch = await client.getPitch({ id });
  const items = await loadItems(
    client,
    pitch.steps.filter((s) => !s.problem).map((s) => s.itemId),
  );
  const counts = new Map([...items.values()].map((item) => [item.id, item.pageCount]));
  const usable = {
    steps: pitch.steps.map((s) => (s.problem || items.has(s.itemId) ? s : { ...s, problem: 'removed' as const })),
  };
  return { pitch, items, deck: buildDeck(usable, counts) };
}

export interface StoredMeeting {
  meeting: SavedMeeting;
  ink: MeetingInk;
  /** The items the ink was drawn on. */
  items: ReadonlyMap<string, ItemDetail>;
}

async function loadMeeting(client: PitchcaseClient, meetingId: string): Promise<StoredMeeting> {
  const [meeting, ink] = await Promise.all([client.getMeeting({ id: meetingId }), client.getMeetingInk({ meetingId })]);
  const items = await loadItems(
    client,
    ink.pages.map((p) => p.itemId),
  );
  return { meeting, ink, items };
}

export const presentingQueries = {
  // Readiness depends on the library: a new release can expire a pitch's item.
  shelf: (): Query<PitchShelf> => ({
    key: ['pitches'],
    what: 'Loading pitches',
    deadlineMs: 15_000,
    load: loadShelf,
    refetchOn: ['library.changed'],
  }),
  pitch: (id: string): Query<Pitch> => ({
    key: ['pitch', id],
    what: 'Opening the pitch',
    deadlineMs: 15_000,
    load: (client) => client.getPitch({ id }),
  }),
  /** A deck does not change under the rep while presenting: no event reloads it. */
  deck: (id: string): Query<PitchDeck> => ({
    key: ['deck', id],
    what: 'Opening the pitch',
    deadlineMs: 20_000,
    load: (client) => loadDeck(client, id),
  }),
  meetingsToLog: (): Query<MeetingSummary[]> => ({
    key: ['meetings', 'later'],
    what: 'Loading meetings',
    deadlineMs: 15_000,
    load: (client) => client.listMeetings({ status: 'later' }),
  }),
  meeting: (id: string): Query<StoredMeeting> => ({
    key: ['meeting', id],
    what: 'Opening the meeting',
    deadlineMs: 15_000,
    load: (client) => loadMeeting(client, id),
  }),
  /** The CRM cache on the device: answers offline, and again when the cache is refilled. */
  crm: (request: CrmSearchRequest): Query<CrmSearchResult> => ({
    key: ['crm', request],
    what: 'Searching CRM',
    deadlineMs: 15_000,
    load: (client) => client.searchCrm(request),
    refetchOn: ['crm.changed'],
  }),
  /** The latest state of a presentation, for an audience screen that opens after it started. */
  audience: (sessionId: string): Query<AudienceState | null> => ({
    key: ['audience', sessionId],
    what: 'Joining the presentation',
    deadlineMs: 15_000,
    load: (client) => client.getAudienceState({ sessionId }),
  }),
  usageReport: (): Query<UsageReport> => ({
    key: ['usage-report'],
    what: 'Loading the report',
    deadlineMs: 15_000,
    load: (client) => client.getUsageReport({}),
  }),
};

export const usePitchShelf = () => useQuery(presentingQueries.shelf());
export const usePitch = (id: string | null) => useQuery(id ? presentingQueries.pitch(id) : null);
export const usePitchDeck = (id: string) => useQuery(presentingQueries.deck(id));
export const useMeetingsToLog = () => useQuery(presentingQueries.meetingsToLog());
export const useStoredMeeting = (id: string) => useQuery(presentingQueries.meeting(id));
export const useUsageReport = () => useQuery(presentingQueries.usageReport());
export const useCrmSearch = (request: CrmSearchRequest | null) =>
  useQuery(request ? presentingQueries.crm(request) : null);
export const useAudienceState = (sessionId: string) => useQuery(presentingQueries.audience(sessionId));
