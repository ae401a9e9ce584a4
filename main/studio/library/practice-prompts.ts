import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { manifestPracticePrompt, type ManifestPracticePrompt } from '#shared/manifest';
import { analysePdf } from '#publish/pdf';
import type { Routes, StudioContext } from '../context.ts';
import type { StudioDb } from '../database/connection.ts';
import { StudioError } from '../errors.ts';
import { contentPartRoutes, loadGlossary, loadSetting, putSetting } from './channel-content.ts';

/**
 * Marketing's practice prompts for a channel: what reps pitch in their own words, about an item
 * (or one of its pages) or a glossary term. One JSON value per channel in `settings`, frozen
 * with a release like the glossary, and shipped in the manifest's `practice` list.
 */
export type PracticePrompt = ManifestPracticePrompt;

const key = (channel: string) => `practice:${channel}`;

export async function loadPracticePrompts(db: StudioDb, channel: string): Promise<PracticePrompt[]> {
  return (await loadSetting<PracticePrompt[]>(db, key(channel))) ?? [];
}

/** What an item offers a prompt: whether it exists, and its page count when it is a PDF. */
export interface PromptTargets {
  items: ReadonlyMap<string, { kind: string; pageCount?: number }>;
  terms: ReadonlySet<string>;
}

/**
 * Each problem of each prompt, named by the prompt and the field, so marketing can find it:
 * an unknown item or term, a page on something that is not a PDF or past its last page.
 */
export function promptProblems(prompts: readonly PracticePrompt[], targets: PromptTargets): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  prompts.forEach((p, i) => {
    const name = `prompt ${i + 1} ("${p.id}")`;
    if (seen.has(p.id)) problems.push(`${name}: id: another prompt has the same id`);
    seen.add(p.id);
    if (p.item !== undefined) {
      const item = targets.items.get(p.item);
      if (!item) problems.push(`${name}: item: the library has no item "${p.item}"`);
      else if (p.page !== undefined && item.kind !== 'pdf')
        problems.push(`${name}: page: "${p.item}" is not a PDF, so it has no pages to name`);
      else if (p.page !== undefined && item.pageCount !== undefined && p.page > item.pageCount)
        problems.push(
          `${name}: page: "${p.item}" has ${item.pageCount} page${item.pageCount === 1 ? '' : 's'}, not ${p.page}`,
        );
    }
    if (p.term !== undefined && !targets.terms.has(p.term))
      problems.push(`${name}: term: the glossary has no term "${p.term}"`);
  });
  return problems;
}

/**
 * What the prompts' items offer: kind, and the page count of each PDF a prompt names a page of
 * (read from the stored file, so only those are opened).
 */
export async function promptItems(
  ctx: StudioContext,
  items: readonly { id: string; kind: string; fileSha256: string }[],
  prompts: readonly PracticePrompt[],
): Promise<PromptTargets['items']> {
  const paged = new Set(prompts.flatMap((p) => (p.item && p.page !== undefined ? [p.item] : [])));
  const found = new Map<string, { kind: string; pageCount?: number }>();
  for (const item of items) {
    let pageCount: number | undefined;
    if (item.kind === 'pdf' && paged.has(item.id)) {
      const bytes = new Uint8Array(await readFile(ctx.blobs.pathOf(item.fileSha256)));
      pageCount = (await analysePdf(bytes, { thumbnails: false })).pageCount;
    }
    found.set(item.id, { kind: item.kind, ...(pageCount !== undefined ? { pageCount } : {}) });
  }
  return found;
}

/** The channel's current items the prompts name, and its glossary's terms. */
async function currentTargets(
  ctx: StudioContext,
  channel: string,
  prompts: readonly PracticePrompt[],
): Promise<PromptTargets> {
  const named = [...new Set(prompts.flatMap((p) => (p.item ? [p.item] : [])))];
  const rows = named.length
    ? await ctx.db
        .selectFrom('items')
        .select(['id', 'kind', 'file_sha256 as fileSha256'])
        .where('channel', '=', channel)
        .where('id', 'in', named)
        .execute()
    : [];
  const terms = new Set((await loadGlossary(ctx.db, channel)).map((t) => t.id));
  return { items: await promptItems(ctx, rows, prompts), terms };
}

export const practicePromptRoutes: Routes = contentPartRoutes({
  get: 'practicePrompts.list',
  save: 'practicePrompts.save',
  segment: 'practice-prompts',
  // The whole list at once, like the glossary: adding, editing and removing are one edit.
  field: 'prompts',
  value: z.array(manifestPracticePrompt).max(1_000),
  load: loadPracticePrompts,
  async check(ctx, channel, prompts) {
    const problems = promptProblems(prompts, await currentTargets(ctx, channel, prompts));
    if (problems.length > 0)
      throw new StudioError('bad-request', `The practice prompts were not saved: ${problems.join('; ')}.`);
  },
  // No prompts: no row at all, as before there were any.
  write: (trx, channel, prompts) => putSetting(trx, key(channel), prompts.length > 0 ? prompts : null),
  action: 'practice-prompts-edited',
  detail: (prompts) => ({ prompts: prompts.map((p) => p.id) }),
});
