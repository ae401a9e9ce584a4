import { randomUUID } from 'node:crypto';
import {
  activityEvent,
  addToPitchInput,
  followUpInput,
  shareItemInput,
  inkLimits,
  meetingInkInput,
  meetingInput,
  MIN_PAGE_DWELL_MS,
  type AddToPitchInput,
  type FollowUpInput,
  type FollowUpOutput,
  type InkStroke,
  type MeetingInk,
  type MeetingInkInput,
  type MeetingInkTotals,
  type MeetingInput,
  type MeetingSummary,
  type Pitch,
  type PitchStep,
  type PitchStepInput,
  type PitchSummary,
  type SavedMeeting,
  type ShareItemInput,
  type ShownPage,
  type ShownTitle,
  type UsageReport,
} from '#shared/presenting';
import { PitchcaseError } from '#shared/result';
import { findSlide } from '#shared/pages';
import { PITCH_NAME_MAX, PITCH_STEPS_MAX } from '#shared/contract/presenting';
import {
  currentRelease,
  itemDetail,
  itemPages,
  libraryView,
  visibleTitles,
  type Visibility,
} from '../library/index.ts';
import { enqueue } from '../outbox/index.ts';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock } from '../types.ts';
import {
  deleteDraftMeeting,
  deletePitchRow,
  inkRows,
  inkTotals,
  insertActivity,
  meetingRow,
  meetingRows,
  meetingStatus,
  pageViews,
  pitchNames,
  pitchRows,
  replaceInkPage,
  upsertMeeting,
  usageByItem,
  writePitch,
  zeroResultQueries,
  type MeetingRow,
  type PitchRow,
  type StoredStep,
} from './store.ts';

/**
 * Presenting: pitches the rep prepares, what was shown (activity events, written with their
 * outbox rows in one transaction, no personal data of prospects), meetings for CRM, and the
 * usage report for marketing.
 */
export function createPresenting(ctx: {
  db: WriteDb;
  read: ReadDb;
  blobs: BlobStore;
  clock: Clock;
  visibility(): Visibility;
  siteBaseUrl: string;
}) {
  /** Whether a step can be shown now, from this device, and if not, why. */
  function resolveStep(stored: StoredStep): PitchStep {
    const { slide, ...step } = stored;
    const release = currentRelease(ctx.read);
    let detail;
    try {
      detail = itemDetail(ctx.read, step.itemId, ctx.visibility(), ctx.siteBaseUrl);
    } catch {
      const exists =
        release &&
        (ctx.read
          .prepare(`SELECT 1 FROM items WHERE release_id = ? AND id = ?`)
          .get(release.id, step.itemId) as unknown);
      return { ...step, title: null, kind: null, problem: exists ? 'expired' : 'removed' };
    }
    let problem: PitchStep['problem'] = null;
    // A step that named a slide shows that slide wherever the new version of the deck put it.
    const slides = slide && release ? itemPages(ctx.read, ctx.blobs, release.id, step.itemId)?.slides : undefined;
    if (slide && slides) {
      const page = findSlide(slides, slide);
      if (page === null) return { ...step, title: detail.title, kind: detail.kind, problem: 'slide-removed' };
      step.page = page;
    }
    if (step.page !== null && (detail.pageCount === null || step.page > detail.pageCount)) problem = 'page-removed';
    else if (detail.primary && !ctx.blobs.has(detail.primary.sha256, detail.primary.size)) problem = 'missing-file';
    return { ...step, title: detail.title, kind: detail.kind, problem };
  }

  /**
   * The identity of the slide a step's page shows now, when the item is a presentation. A step
   * saved again as it was shown keeps the identity it had: one whose slide was removed must not
   * quietly take whatever slide now sits on its old page number.
   */
  function identify(step: PitchStepInput, index: number, before: (StoredStep | null)[]): StoredStep {
    const release = currentRelease(ctx.read);
    const slides =
      step.page !== null && release ? itemPages(ctx.read, ctx.blobs, release.id, step.itemId)?.slides : undefined;
    const same = (old: StoredStep | null) => {
      if (!slides || !old || old.itemId !== step.itemId || !old.slide) return false;
      const now = findSlide(slides, old.slide);
      return now === null ? old.page === step.page : now === step.page;
    };
    // The step in the same place first, then any other; each old step lends its identity once.
    const at = same(before[index] ?? null) ? index : before.findIndex(same);
    const kept = at >= 0 ? before[at] : undefined;
    if (at >= 0) before[at] = null;
    const found = kept?.slide ?? (step.page !== null ? slides?.[step.page - 1] : undefined);
    return {
      itemId: step.itemId,
      page: step.page,
      note: step.note,
      slide: found ? { id: found.id, fingerprint: found.fingerprint } : null,
    };
  }

  function toPitch(row: PitchRow): Pitch {
    const steps = row.steps.map(resolveStep);
    return {
      id: row.id,
      name: row.name,
      updatedAt: row.updatedAt,
      steps,
      ready: steps.length > 0 && steps.every((s) => s.problem === null),
    };
  }

  /** An activity event and its outbox row; call inside a transaction. False if the id was seen. */
  function writeEvent(row: Parameters<typeof insertActivity>[1]): boolean {
    if (!insertActivity(ctx.db, row)) return false;
    enqueue(ctx.db, { kind: 'event', idempotencyKey: `event:${row.id}`, payload: row, createdAt: row.at });
    return true;
  }

  /** The titles of the items a meeting shows, read by id (never the whole library). */
  function itemTitles(ids: Iterable<string>): Map<string, string> {
    return visibleTitles(ctx.read, ctx.visibility(), ids);
  }

  function parseShown(json: string): ShownPage[] {
    try {
      const value = JSON.parse(json) as unknown;
      return Array.isArray(value) ? (value as ShownPage[]) : [];
    } catch {
      return [];
    }
  }

  function toSavedMeeting(row: MeetingRow): SavedMeeting {
    const titles = itemTitles(parseShown(row.shown).map((s) => s.itemId));
    const shareUrls = new Map<string, string | null>();
    const shareUrl = (itemId: string) => {
      if (!shareUrls.has(itemId)) {
        let url: string | null = null;
        try {
          url = itemDetail(ctx.read, itemId, ctx.visibility(), ctx.siteBaseUrl).shareUrl;
        } catch {
          // No longer in the library: the line keeps its id and has no link.
        }
        shareUrls.set(itemId, url);
      }
      return shareUrls.get(itemId) ?? null;
    };
    const shown: ShownTitle[] = parseShown(row.shown).map((s) => ({
      ...s,
      title: titles.get(s.itemId) ?? s.itemId,
      shareUrl: shareUrl(s.itemId),
    }));
    const { shown: _json, ...rest } = row;
    return { ...rest, pitchName: row.pitchId ? (pitchNames(ctx.read).get(row.pitchId) ?? null) : null, shown };
  }

  function readInk(meetingId: string): MeetingInk {
    return {
      meetingId,
      pages: inkRows(ctx.read, meetingId).map((row) => ({
        itemId: row.itemId,
        page: row.page,
        aspect: row.aspect,
        strokes: JSON.parse(row.strokes) as InkStroke[],
        updatedAt: row.updatedAt,
      })),
    };
  }

  /**
   * Queues a follow-up e-mail to the CRM connector and records "shared follow-up" in the same
   * transaction: both or neither. The same follow-up id queued again changes nothing. A share
   * from the viewer has no meeting; it names the item and page instead.
   */
  function queueFollowUp(
    f: Omit<FollowUpOutput, 'meetingId'> & { meetingId: string | null; itemId: string | null; page: number | null },
  ): { queued: boolean } {
    const now = ctx.clock.now().toISOString();
    let queued = false;
    ctx.db.transaction(() => {
      queued = writeEvent({
        id: `followup-${f.id}`.slice(0, 64),
        type: 'followup.shared',
        at: now,
        itemId: f.itemId,
        page: f.page,
        dwellMs: null,
        pitchId: f.pitchId,
        meetingId: f.meetingId,
        releaseVersion: currentRelease(ctx.read)?.version ?? null,
      });
      if (!queued) return;
      enqueue(ctx.db, {
        kind: 'followup',
        idempotencyKey: `followup:${f.id}`,
        createdAt: now,
        payload: {
          followUpId: f.id,
          meetingId: f.meetingId,
          ...(f.itemId !== null ? { itemId: f.itemId, page: f.page } : {}),
          To: f.to,
          Subject: f.subject,
          Body: f.body,
          ActivityDate: now.slice(0, 10),
          WhoId: f.contactId,
          WhatId: f.opportunityId ?? f.accountId,
        },
      });
    })();
    return { queued };
  }

  function find(id: string): PitchRow {
    const row = pitchRows(ctx.read).find((p) => p.id === id);
    if (!row) throw new PitchcaseError('not-found', `No pitch "${id}"`);
    return row;
  }

  return {
    list(): PitchSummary[] {
      return pitchRows(ctx.read).map((row) => {
        const p = toPitch(row);
        return { id: p.id, name: p.name, stepCount: p.steps.length, updatedAt: p.updatedAt, ready: p.ready };
      });
    },
    get(id: string): Pitch {
      return toPitch(find(id));
    },
    save(input: { id?: string; name: string; steps: PitchStepInput[] }): Pitch {
      const now = ctx.clock.now().toISOString();
      const existing = input.id ? pitchRows(ctx.read).find((p) => p.id === input.id) : undefined;
      if (input.id && !existing) throw new PitchcaseError('not-found', `No pitch "${input.id}"`);
      const before: (StoredStep | null)[] = [...(existing?.steps ?? [])];
      const steps = input.steps.map((step, index) => identify(step, index, before));
      const row: PitchRow = {
        id: input.id ?? randomUUID(),
        name: input.name.trim() || 'Untitled pitch',
        updatedAt: now,
        steps,
      };
      writePitch(ctx.db, row, now);
      return toPitch(row);
    },
    duplicate(id: string): Pitch {
      const source = find(id);
      const now = ctx.clock.now().toISOString();
      const name = `${source.name} (copy)`;
      // A name the contract would refuse on its next save is not stored either (nor cut).
      if (name.length > PITCH_NAME_MAX)
        throw new PitchcaseError(
          'bad-request',
          `duplicatePitch: the copy's name would be longer than ${PITCH_NAME_MAX} characters: shorten "${source.name.slice(0, 40)}…" first`,
        );
      const copy: PitchRow = { ...source, id: randomUUID(), name, updatedAt: now };
      writePitch(ctx.db, copy, now);
      return toPitch(copy);
    },
    delete(id: string): void {
      if (!deletePitchRow(ctx.db, id)) throw new PitchcaseError('not-found', `No pitch "${id}"`);
    },

    /**
     * Records what the rep showed. Page views under two seconds are not views (a page flicked
     * past). Each event and its outbox row commit together; an event id seen before is ignored.
     */
    record(events: readonly unknown[]): { recorded: number; rejected: number } {
      const version = currentRelease(ctx.read)?.version ?? null;
      let recorded = 0;
      let rejected = 0;
      ctx.db.transaction(() => {
        for (const raw of events) {
          // A malformed event is dropped alone, so it cannot block the rest of the meeting's.
          const checked = activityEvent.safeParse(raw);
          if (!checked.success) {
            rejected++;
            continue;
          }
          const e = checked.data;
          if (e.type === 'page.viewed' && (e.dwellMs ?? 0) < MIN_PAGE_DWELL_MS) continue;
          const written = writeEvent({
            id: e.id,
            type: e.type,
            at: new Date(e.at).toISOString(),
            itemId: e.itemId ?? null,
            page: e.page ?? null,
            dwellMs: e.dwellMs ?? null,
            pitchId: e.pitchId ?? null,
            meetingId: e.meetingId ?? null,
            releaseVersion: version,
          });
          if (written) recorded++;
        }
      })();
      return { recorded, rejected };
    },

    /**
     * Saves a meeting; once logged it goes to CRM as a Task-shaped record (once), on the contact
     * (WhoId) and the opportunity, else the account (WhatId), picked from the CRM cache.
     */
    saveMeeting(input: MeetingInput) {
      const m = meetingInput.parse(input);
      const now = ctx.clock.now().toISOString();
      ctx.db.transaction(() => {
        const before = meetingStatus(ctx.db, m.id);
        if (before === 'logged') throw new PitchcaseError('refused', 'This meeting was already logged to CRM');
        upsertMeeting(ctx.db, { ...m, shown: JSON.stringify(m.shown), updatedAt: now });
        if (m.status === 'logged') {
          const titles = itemTitles(m.shown.map((s) => s.itemId));
          const lines = m.shown.map(
            (s) =>
              `${titles.get(s.itemId) ?? s.itemId}${s.page ? `, p. ${s.page}` : ''} (${Math.round(s.dwellMs / 1000)} s)`,
          );
          enqueue(ctx.db, {
            kind: 'meeting',
            idempotencyKey: `meeting:${m.id}`,
            createdAt: now,
            payload: {
              meetingId: m.id,
              Subject: `Meeting${m.account ? ` with ${m.account}` : ''}: ${m.outcome || 'presented'}`,
              ActivityDate: m.startedAt.slice(0, 10),
              Status: 'Completed',
              WhoId: m.contactId,
              WhatId: m.opportunityId ?? m.accountId,
              Account: m.account,
              Contact: m.contact,
              Opportunity: m.opportunity,
              Outcome: m.outcome,
              Description: [m.notes, lines.length ? `Shown:\n${lines.join('\n')}` : ''].filter(Boolean).join('\n\n'),
              startedAt: m.startedAt,
              endedAt: m.endedAt,
            },
          });
        }
      })();
      return m;
    },

    /** Meetings saved for later (or logged), the latest first, with what was shown. */
    listMeetings(status: 'later' | 'logged', limit = 200): MeetingSummary[] {
      const rows = meetingRows(ctx.read, status, limit).map((row) => ({ row, shown: parseShown(row.shown) }));
      const titles = itemTitles(rows.flatMap(({ shown }) => shown.map((s) => s.itemId)));
      const pitches = pitchNames(ctx.read);
      return rows.map(({ row, shown }) => {
        return {
          id: row.id,
          status: row.status,
          pitchId: row.pitchId,
          pitchName: row.pitchId ? (pitches.get(row.pitchId) ?? null) : null,
          startedAt: row.startedAt,
          endedAt: row.endedAt,
          account: row.account,
          contact: row.contact,
          shownTitles: [...new Set(shown.map((s) => titles.get(s.itemId) ?? s.itemId))],
          shownPages: shown.length,
          updatedAt: row.updatedAt,
        };
      });
    },

    getMeeting(id: string): SavedMeeting {
      const row = meetingRow(ctx.read, id);
      if (!row) throw new PitchcaseError('not-found', `No meeting "${id}"`);
      return toSavedMeeting(row);
    },

    /** A draft the rep does not want; a logged meeting cannot be deleted here. */
    deleteMeeting(id: string): void {
      if (deleteDraftMeeting(ctx.db, id)) return;
      const status = meetingStatus(ctx.read, id);
      if (status === 'logged')
        throw new PitchcaseError('refused', 'A logged meeting belongs to CRM and cannot be deleted here');
      throw new PitchcaseError('not-found', `No meeting "${id}"`);
    },

    /**
     * Keeps the pen's ink with a draft meeting, replacing it on the pages given, all pages or
     * none. Ink stays on the device: no outbox row, nothing written into the release's files.
     */
    saveInk(input: MeetingInkInput): MeetingInkTotals {
      const checked = meetingInkInput.safeParse(input);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new PitchcaseError(
          'bad-request',
          `Ink not saved: ${issue?.path.join('.') || 'argument'} ${issue?.message ?? 'is invalid'}`,
        );
      }
      const { meetingId, pages } = checked.data;
      const now = ctx.clock.now().toISOString();
      return ctx.db.transaction(() => {
        const status = meetingStatus(ctx.db, meetingId);
        if (status === null)
          throw new PitchcaseError('not-found', `No meeting "${meetingId}": save the meeting before its ink`);
        if (status === 'logged')
          throw new PitchcaseError('refused', 'This meeting was already logged to CRM: its ink is kept as it was');
        for (const p of pages)
          replaceInkPage(
            ctx.db,
            meetingId,
            { itemId: p.itemId, page: p.page, aspect: p.aspect, strokes: JSON.stringify(p.strokes), updatedAt: now },
            p.strokes.length === 0,
          );
        // Checked after the writes, inside the transaction: beyond the bounds, it all rolls back.
        const totals = inkTotals(ctx.db, meetingId);
        if (totals.pages > inkLimits.pagesPerMeeting)
          throw new PitchcaseError(
            'bad-request',
            `Ink not saved: a meeting keeps ink on at most ${inkLimits.pagesPerMeeting} pages`,
          );
        if (totals.bytes > inkLimits.bytesPerMeeting)
          throw new PitchcaseError(
            'bad-request',
            `Ink not saved: a meeting keeps at most ${inkLimits.bytesPerMeeting} bytes of ink`,
          );
        return { meetingId, ...totals };
      })();
    },

    getInk(meetingId: string): MeetingInk {
      if (meetingStatus(ctx.read, meetingId) === null)
        throw new PitchcaseError('not-found', `No meeting "${meetingId}"`);
      return readInk(meetingId);
    },

    /**
     * Queues the follow-up e-mail to the CRM connector, and records "shared follow-up" in the
     * same transaction: both or neither. The same follow-up id queued again changes nothing.
     */
    queueFollowUp(input: FollowUpInput): { queued: boolean } {
      const f = followUpInput.parse(input);
      return queueFollowUp({ ...f, itemId: null, page: null });
    },

    /**
     * Shares an item or one of its pages outside any meeting. The e-mail is written here from the
     * library as it is now (title, page, share link), so what is queued names what the rep saw.
     */
    shareItem(input: ShareItemInput): { queued: boolean } {
      const s = shareItemInput.parse(input);
      const detail = itemDetail(ctx.read, s.itemId, ctx.visibility(), ctx.siteBaseUrl);
      if (s.page !== null && (detail.pageCount === null || s.page > detail.pageCount))
        throw new PitchcaseError('bad-request', `"${detail.title}" has no page ${s.page}`);
      const what = `${detail.title}${s.page !== null ? `, page ${s.page}` : ''}`;
      const body = [s.note.trim(), `${what}${detail.shareUrl ? `\n${detail.shareUrl}` : ''}`]
        .filter(Boolean)
        .join('\n\n');
      return queueFollowUp({
        id: s.id,
        meetingId: null,
        pitchId: null,
        to: s.to,
        subject: what.slice(0, 255),
        body,
        accountId: null,
        contactId: null,
        opportunityId: null,
        itemId: s.itemId,
        page: s.page,
      });
    },

    /**
     * Appends a page (or a whole item) to a pitch, or starts a new pitch with it. The steps kept
     * are written back as stored, slide identities and all; only the new step is identified.
     */
    addToPitch(input: AddToPitchInput): Pitch {
      const a = addToPitchInput.parse(input);
      const detail = itemDetail(ctx.read, a.itemId, ctx.visibility(), ctx.siteBaseUrl);
      if (a.page !== null && (detail.pageCount === null || a.page > detail.pageCount))
        throw new PitchcaseError('bad-request', `"${detail.title}" has no page ${a.page}`);
      const now = ctx.clock.now().toISOString();
      const existing = a.pitchId !== undefined ? find(a.pitchId) : null;
      const steps = existing?.steps ?? [];
      if (steps.length >= PITCH_STEPS_MAX)
        throw new PitchcaseError(
          'refused',
          `"${existing?.name}" already has ${PITCH_STEPS_MAX} steps, the most a pitch keeps`,
        );
      const step = identify({ itemId: a.itemId, page: a.page, note: a.note }, steps.length, []);
      const row: PitchRow = {
        id: existing?.id ?? randomUUID(),
        name: existing?.name ?? (a.name?.trim() || 'Untitled pitch'),
        updatedAt: now,
        steps: [...steps, step],
      };
      writePitch(ctx.db, row, now);
      return toPitch(row);
    },

    /** Usage for marketing over [from, to] (ISO), both optional. */
    report(range: { from?: string; to?: string } = {}): UsageReport {
      const from = range.from ?? '0000';
      const to = range.to ?? '9999';
      const library = libraryView(ctx.read, ctx.visibility());
      const titles = new Map(library.items.map((i) => [i.id, i.title]));
      const sums = new Map(usageByItem(ctx.read, from, to).map((u) => [u.itemId, u]));
      const usage = library.items.map((i) => ({
        itemId: i.id,
        title: i.title,
        opens: sums.get(i.id)?.opens ?? 0,
        pageViews: sums.get(i.id)?.pageViews ?? 0,
        dwellMs: sums.get(i.id)?.dwellMs ?? 0,
      }));
      const byUse = (a: (typeof usage)[number], b: (typeof usage)[number]) =>
        b.opens - a.opens || b.pageViews - a.pageViews || b.dwellMs - a.dwellMs || a.itemId.localeCompare(b.itemId);
      const sorted = [...usage].sort(byUse);
      const pagesByItem = new Map<string, UsageReport['pages'][number]>();
      for (const p of pageViews(ctx.read, from, to)) {
        if (!titles.has(p.itemId)) continue;
        let entry = pagesByItem.get(p.itemId);
        if (!entry) pagesByItem.set(p.itemId, (entry = { itemId: p.itemId, title: titles.get(p.itemId)!, pages: [] }));
        const opens = sums.get(p.itemId)?.opens ?? 0;
        entry.pages.push({
          page: p.page,
          views: p.views,
          averageDwellMs: Math.round(p.dwellMs / p.views),
          dropOff: opens > 0 ? Math.max(0, Math.round((1 - p.views / opens) * 1000) / 1000) : 0,
        });
      }
      return {
        from: range.from ?? null,
        to: range.to ?? null,
        mostUsed: sorted.filter((u) => u.opens + u.pageViews > 0).slice(0, 10),
        leastUsed: [...sorted].reverse().slice(0, 10),
        pages: [...pagesByItem.values()],
        zeroResultSearches: zeroResultQueries(ctx.read, from, to),
        neverOpened: usage
          .filter((u) => u.opens === 0)
          .map((u) => ({ itemId: u.itemId, title: u.title, since: library.release?.publishedAt ?? '' })),
      };
    },
  };
}
export { presentingHandlers } from './handlers.ts';
