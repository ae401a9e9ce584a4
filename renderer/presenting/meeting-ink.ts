/**
 * The pen's ink as a meeting keeps it, pure: the strokes drawn while presenting turned into the
 * pages the core stores (coordinates clamped to the page box and rounded, long strokes split,
 * a page over its bounds keeping its newest strokes and saying so), saves split into parts that
 * each fit one request, and the pages put in the order they were shown.
 */
import { inkLimits, type InkPageInput, type InkStroke, type MeetingInkInput } from '#shared/presenting';
import type { Stroke } from './annotations';

/** One page of ink as the wrap-up shows it. */
export interface InkPageView {
  itemId: string;
  page: number | null;
  aspect: number;
  strokes: InkStroke[];
}

/** 1/10 000 of the page is finer than any screen, and keeps a page of ink small. */
const round = (value: number) =>
  Math.round(Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)) * 10_000) / 10_000;

/** "itemId#page" (dwell.ts's slide key) back into its parts; the item id may hold a '#'. */
export function parseSlideKey(key: string): { itemId: string; page: number | null } | null {
  const hash = key.lastIndexOf('#');
  if (hash <= 0) return null;
  const pageText = key.slice(hash + 1);
  const page = pageText === '' ? null : Number(pageText);
  if (page !== null && !(Number.isInteger(page) && page >= 1)) return null;
  return { itemId: key.slice(0, hash), page };
}

function clampAspect(aspect: number): number {
  return Number.isFinite(aspect) && aspect > 0
    ? Math.round(Math.min(10, Math.max(0.1, aspect)) * 10_000) / 10_000
    : 16 / 9;
}

/**
 * The ink drawn while presenting, as pages to keep. `trimmed` counts pages that held more than a
 * page keeps (their newest strokes are kept), so the wrap-up can say so rather than drop it quietly.
 */
export function inkPagesFromAnnotations(
  entries: Iterable<readonly [string, readonly Stroke[]]>,
  aspect: number,
): { pages: InkPageView[]; trimmed: number } {
  const pages: InkPageView[] = [];
  let trimmed = 0;
  const box = clampAspect(aspect);
  for (const [key, strokes] of entries) {
    const slide = parseSlideKey(key);
    if (!slide) continue;
    // A stroke longer than a stroke may be goes on as the next one, from the same point.
    const pieces: InkStroke[] = [];
    for (const stroke of strokes) {
      const points = stroke.points.map((p) => ({ x: round(p.x), y: round(p.y) }));
      for (let start = 0; start < points.length; start += inkLimits.pointsPerStroke - 1) {
        pieces.push({ points: points.slice(start, start + inkLimits.pointsPerStroke) });
        if (start + inkLimits.pointsPerStroke >= points.length) break;
      }
    }
    const kept: InkStroke[] = [];
    let points = 0;
    for (let i = pieces.length - 1; i >= 0 && kept.length < inkLimits.strokesPerPage; i--) {
      const piece = pieces[i]!;
      if (points + piece.points.length > inkLimits.pointsPerPage) break;
      points += piece.points.length;
      kept.push(piece);
    }
    if (kept.length < pieces.length) trimmed += 1;
    if (kept.length > 0) pages.push({ ...slide, aspect: box, strokes: kept.reverse() });
  }
  return { pages, trimmed };
}

/** Pages in saves that each stay within the core's bounds for one request. */
export function inkSaveParts(pages: readonly InkPageView[]): InkPageView[][] {
  const parts: InkPageView[][] = [];
  let part: InkPageView[] = [];
  let bytes = 0;
  for (const page of pages) {
    const size = JSON.stringify(page.strokes).length;
    if (part.length > 0 && (part.length >= inkLimits.pagesPerSave || bytes + size > inkLimits.bytesPerSave)) {
      parts.push(part);
      part = [];
      bytes = 0;
    }
    part.push(page);
    bytes += size;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** Saves a meeting's ink in as many requests as it takes, in order; the first failure stops it. */
export async function saveInkInParts(
  save: (arg: MeetingInkInput) => Promise<unknown>,
  meetingId: string,
  pages: readonly InkPageView[],
): Promise<void> {
  for (const part of inkSaveParts(pages)) {
    await save({
      meetingId,
      pages: part.map(({ itemId, page, aspect, strokes }): InkPageInput => ({ itemId, page, aspect, strokes })),
    });
  }
}

/** Inked pages in the order they were shown in the meeting, then any others by item and page. */
export function orderInkPages<T extends { itemId: string; page: number | null }>(
  pages: readonly T[],
  shown: readonly { itemId: string; page: number | null }[],
): T[] {
  const rank = new Map<string, number>();
  shown.forEach((s, i) => {
    const key = `${s.itemId}#${s.page ?? ''}`;
    if (!rank.has(key)) rank.set(key, i);
  });
  const at = (p: T) => rank.get(`${p.itemId}#${p.page ?? ''}`) ?? Number.MAX_SAFE_INTEGER;
  return [...pages].sort((a, b) => at(a) - at(b) || a.itemId.localeCompare(b.itemId) || (a.page ?? 0) - (b.page ?? 0));
}
