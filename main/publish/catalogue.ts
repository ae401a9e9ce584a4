import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { idPattern, manifestPracticePrompt } from '#shared/manifest';
import { catalogueQuiz } from '#shared/quiz';

/**
 * What marketing writes: `catalogue.yaml` (or .json) in the source folder. Every key but the
 * item's file is optional; without a title the document's own metadata or its file name is used.
 */
const id = z.string().regex(idPattern, 'ids are lower-case letters, digits, ".", "_" and "-"');
const isoDate = z.iso.datetime({ offset: true });
/** A path inside the source folder, never outside it. */
const sourcePath = z
  .string()
  .min(1)
  .refine(
    (p) => !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..') && !p.includes('\0'),
    'paths stay inside the source folder',
  );

export const catalogueItem = z
  .object({
    id: id.optional(),
    file: sourcePath.optional(),
    site: sourcePath.optional(),
    entry: z.string().default('index.html'),
    poster: sourcePath.optional(),
    thumbnail: sourcePath.optional(),
    category: z.string().max(64).optional(),
    title: z.string().max(300).optional(),
    description: z.string().max(4000).default(''),
    tags: z.array(z.string().max(64)).default([]),
    products: z.array(z.string().max(100)).default([]),
    audiences: z.array(z.string().max(100)).default([]),
    collections: z.array(id).default([]),
    validFrom: isoDate.optional(),
    validUntil: isoDate.optional(),
    kiosk: z.boolean().default(false),
    shareUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Presentations: slides hidden in the deck are left out, or included and flagged. */
    hiddenSlides: z.enum(['leave-out', 'include']).default('leave-out'),
  })
  .strict()
  .refine((i) => (i.file ? 1 : 0) + (i.site ? 1 : 0) === 1, 'an item has exactly one of "file" or "site"')
  .refine((i) => !i.validFrom || !i.validUntil || Date.parse(i.validUntil) > Date.parse(i.validFrom), {
    message: 'validUntil must be after validFrom',
    path: ['validUntil'],
  });

export const catalogue = z
  .object({
    channel: id.optional(),
    collections: z
      .array(z.object({ id, title: z.string().max(200), description: z.string().max(2000).default('') }).strict())
      .default([]),
    glossary: z
      .array(
        z
          .object({
            id,
            term: z.string().max(200),
            definition: z.string().max(4000),
            aliases: z.array(z.string().max(200)).default([]),
          })
          .strict(),
      )
      .default([]),
    attract: z
      .object({ items: z.array(id), secondsPerItem: z.number().int().min(2).max(600).default(8) })
      .strict()
      .optional(),
    /** Practice prompts for reps (see manifestPracticePrompt); checked against items and terms at publish. */
    practice: z.array(manifestPracticePrompt).default([]),
    /** Quizzes for reps (see catalogueQuiz); the publisher versions their questions and checks references. */
    quizzes: z.array(catalogueQuiz).default([]),
    items: z.array(catalogueItem).min(1, 'a catalogue lists at least one item'),
  })
  .strict();

export type Catalogue = z.infer<typeof catalogue>;
export type CatalogueItem = z.infer<typeof catalogueItem>;

export class PublishError extends Error {
  override readonly name = 'PublishError';
}

export async function readCatalogue(sourceDir: string): Promise<{ file: string; catalogue: Catalogue }> {
  const candidates = ['catalogue.yaml', 'catalogue.yml', 'catalogue.json'];
  for (const name of candidates) {
    const file = path.join(sourceDir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    let raw: unknown;
    try {
      raw = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (error) {
      throw new PublishError(
        `${file}: not valid ${name.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      );
    }
    const parsed = catalogue.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PublishError(`${file}: ${issue?.path.join('.') || 'catalogue'}: ${issue?.message ?? 'invalid'}`);
    }
    return { file, catalogue: parsed.data };
  }
  throw new PublishError(`${sourceDir}: no catalogue.yaml, catalogue.yml or catalogue.json`);
}
