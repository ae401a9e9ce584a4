import { randomUUID } from 'node:crypto';
import { activityEvent, meetingInput, MIN_PAGE_DWELL_MS, type MeetingInput, type Pitch, type PitchStep, type PitchStepInput, type PitchSummary, type UsageReport } from '#shared/presenting';
import { PitchcaseError } from '#shared/result';
import { currentRelease, itemDetail, libraryView, type Visibility } from '../library/index.ts';
import { enqueue } from '../outbox/index.ts';
import type { BlobStore } from '../storage/blobs.ts';
import type { ReadDb, WriteDb } from '../storage/database.ts';
import type { Clock } from '../types.ts';
import { deletePitchRow, insertActivity, meetingStatus, pageViews, pitchRows, upsertMeeting, usageByItem, writePitch, zeroResultQueries, type PitchRow } from './store.ts';

/**
 * Presenting: pitches the rep prepares, what was shown (activity events, written with their
 * outbox rows in one transaction, no personal data of prospects), meetings for CRM, and the
 * usage report for marketing.
 */
export function createPresenting(ctx: { db: WriteDb; read: ReadDb; blobs: BlobStore; clock: Clock; visibility(): Visibility; siteBaseUrl: string }) {
  /** Whether a step can be shown now, from this device, and if not, why. */
  function resolveStep(step: PitchStepInput): PitchStep {
    const release = currentRelease(ctx.read);
    let detail;
    try {
      detail = itemDetail(ctx.read, step.itemId, ctx.visibility(), ctx.siteBaseUrl);
    } catch {
      const exists = release && (ctx.read.prepare(`SELECT 1 FROM items WHERE release_id = ? AND id = ?`).get(release.id, step.itemId) as unknown);
      return { ...step, title: null, kind: null, problem: exists ? 'expired' : 'removed' };
    }
    let problem: PitchStep['problem'] = null;
    if (step.page !== null && (detail.pageCount === null || step.page > detail.pageCount)) problem = 'page-removed';
    else if (detail.primary && !ctx.blobs.has(detail.primary.sha256, detail.primary.size)) problem = 'missing-file';
    return { ...step, title: detail.title, kind: detail.kind, problem };
  }

  function toPitch(row: PitchRow): Pitch {
    const steps = row.steps.map(resolveStep);
    return { id: row.id, name: row.name, updatedAt: row.updatedAt, steps, ready: steps.length > 0 && steps.every((s) => s.problem === null) };
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
      const row: PitchRow = { id: input.id ?? randomUUID(), name: input.name.trim() || 'Untitled pitch', updatedAt: now, steps: input.steps };
      writePitch(ctx.db, row, now);
      return toPitch(row);
    },
    duplicate(id: string): Pitch {
      const source = find(id);
      const now = ctx.clock.now().toISOString();
      const copy: PitchRow = { ...source, id: randomUUID(), name: `${source.name} (copy)`, updatedAt: now };
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
          const row = {
            id: e.id,
            type: e.type,
            at: new Date(e.at).toISOString(),
            itemId: e.itemId ?? null,
            page: e.page ?? null,
            dwellMs: e.dwellMs ?? null,
            pitchId: e.pitchId ?? null,
            meetingId: e.meetingId ?? null,
            releaseVersion: version,
          };
          if (insertActivity(ctx.db, row)) {
            enqueue(ctx.db, { kind: 'event', idempotencyKey: `event:${e.id}`, payload: row, createdAt: row.at });
            recorded++;
          }
        }
      })();
      return { recorded, rejected };
    },

    /** Saves a meeting; once logged it goes to CRM as a Task-shaped record (once). */
    saveMeeting(input: MeetingInput) {
      const m = meetingInput.parse(input);
      const now = ctx.clock.now().toISOString();
      ctx.db.transaction(() => {
        const before = meetingStatus(ctx.db, m.id);
        if (before === 'logged') throw new PitchcaseError('refused', 'This meeting was already logged to CRM');
        upsertMeeting(ctx.db, { ...m, shown: JSON.stringify(m.shown), updatedAt: now });
        if (m.status === 'logged') {
          const titles = new Map(libraryView(ctx.read, ctx.visibility()).items.map((i) => [i.id, i.title]));
          const lines = m.shown.map((s) => `${titles.get(s.itemId) ?? s.itemId}${s.page ? `, p. ${s.page}` : ''} (${Math.round(s.dwellMs / 1000)} s)`);
          enqueue(ctx.db, {
            kind: 'meeting',
            idempotencyKey: `meeting:${m.id}`,
            createdAt: now,
            payload: {
              meetingId: m.id,
              Subject: `Meeting${m.account ? ` with ${m.account}` : ''}: ${m.outcome || 'presented'}`,
              ActivityDate: m.startedAt.slice(0, 10),
              Status: 'Completed',
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

    /** Usage for marketing over [from, to] (ISO), both optional. */
    report(range: { from?: string; to?: string } = {}): UsageReport {
      const from = range.from ?? '0000';
      const to = range.to ?? '9999';
      const library = libraryView(ctx.read, ctx.visibility());
      const titles = new Map(library.items.map((i) => [i.id, i.title]));
      const sums = new Map(usageByItem(ctx.read, from, to).map((u) => [u.itemId, u]));
      const usage = library.items.map((i) => ({ itemId: i.id, title: i.title, opens: sums.get(i.id)?.opens ?? 0, pageViews: sums.get(i.id)?.pageViews ?? 0, dwellMs: sums.get(i.id)?.dwellMs ?? 0 }));
      const byUse = (a: (typeof usage)[number], b: (typeof usage)[number]) => b.opens - a.opens || b.pageViews - a.pageViews || b.dwellMs - a.dwellMs || a.itemId.localeCompare(b.itemId);
      const sorted = [...usage].sort(byUse);
      const pagesByItem = new Map<string, UsageReport['pages'][number]>();
      for (const p of pageViews(ctx.read, from, to)) {
        if (!titles.has(p.itemId)) continue;
        let entry = pagesByItem.get(p.itemId);
        if (!entry) pagesByItem.set(p.itemId, (entry = { itemId: p.itemId, title: titles.get(p.itemId)!, pages: [] }));
        const opens = sums.get(p.itemId)?.opens ?? 0;
        entry.pages.push({ page: p.page, views: p.views, averageDwellMs: Math.round(p.dwellMs / p.views), dropOff: opens > 0 ? Math.max(0, Math.round((1 - p.views / opens) * 1000) / 1000) : 0 });
      }
      return {
        from: range.from ?? null,
        to: range.to ?? null,
        mostUsed: sorted.filter((u) => u.opens + u.pageViews > 0).slice(0, 10),
        leastUsed: [...sorted].reverse().slice(0, 10),
        pages: [...pagesByItem.values()],
        zeroResultSearches: zeroResultQueries(ctx.read, from, to),
        neverOpened: usage.filter((u) => u.opens === 0).map((u) => ({ itemId: u.itemId, title: u.title, since: library.release?.publishedAt ?? '' })),
      };
    },
  };
}
