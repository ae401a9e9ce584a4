/**
 * `channel.json`, the signed description of one release. The client verifies the signature over
 * the exact bytes first, then parses with this schema; anything that does not match is refused.
 * Ids and file names are display names: they never become file-system paths.
 */
import { z } from 'zod';
import { itemKinds } from './library.ts';
import { manifestQuiz, quizReferenceProblems } from './quiz.ts';
import { PROMPT_KEY_MESSAGES_MAX, PROMPT_TIME_LIMIT_MAX_SECONDS, PROMPT_TIME_LIMIT_MIN_SECONDS } from './rehearse.ts';

/**
 * The format this version writes. Format 2 added `encoding` on files (page text is stored
 * gzip-compressed) and `minAppVersion`; apps that read only format 1 refuse a format 2 release
 * by its number ("unknown format version 2") and keep what they have, which is why the number
 * changed rather than a field being added that they would reject as malformed.
 */
export const MANIFEST_FORMAT = 2;
/** Every format this version reads: older releases stay installable. */
export const MANIFEST_FORMATS_READ = [1, 2] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS_READ)[number];
/** Refuse absurd manifests before parsing: 32 MiB is ~100x the largest real library's. */
export const MANIFEST_MAX_BYTES = 32 * 1024 * 1024;

export const sha256Pattern = /^[0-9a-f]{64}$/;
/** An app version as package.json and the fleet report it: 1.2.3, optionally with a pre-release tag. */
export const appVersionPattern = /^\d{1,6}\.\d{1,6}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,64})?$/;
export const idPattern = /^[a-z0-9][a-z0-9._-]{0,127}$/;

const id = z.string().regex(idPattern, 'ids are lower-case letters, digits, ".", "_" and "-"');
const sha256 = z.string().regex(sha256Pattern, 'a sha256 is 64 lower-case hex digits');
const isoDate = z.iso.datetime({ offset: true });
/** A short human string: no control characters (NUL included). */
const text = (max: number) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'control characters are not allowed');

/**
 * A path inside a microsite, as the site's own HTML refers to it: relative, forward slashes, no
 * `..`, no absolute or drive paths, no NUL. It is looked up in the manifest, never on disk.
 */
export const sitePath = z
  .string()
  .min(1)
  .max(512)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\\') &&
      !p.includes('\0') &&
      !/^[a-zA-Z]:/.test(p) &&
      p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'),
    'site paths are relative, without "..", "\\", NUL or empty segments',
  );

/** `original`: the Office file an item was converted from, for the rep to share or open as is. */
export const fileRoles = ['primary', 'thumbnail', 'page-thumbnail', 'poster', 'text', 'site', 'original'] as const;

/** `gzip`: RFC 1952, whose header identifies it, so a stored file says how to read it. */
export const fileEncodings = ['gzip'] as const;
export type FileEncoding = (typeof fileEncodings)[number];

export const manifestFile = z
  .object({
    role: z.enum(fileRoles),
    sha256,
    size: z
      .number()
      .int()
      .nonnegative()
      .max(16 * 1024 ** 3),
    mime: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/i),
    /** Page number (1-based) for `page-thumbnail`. */
    page: z.number().int().positive().optional(),
    /** Path inside the site for `site` files. */
    path: sitePath.optional(),
    /**
     * How the stored bytes are compressed (format 2 on). `sha256` and `size` are those of the
     * stored bytes, so a device verifies what it downloaded before it ever decompresses it.
     */
    encoding: z.enum(fileEncodings).optional(),
  })
  .strict();

export const manifestItem = z
  .object({
    id,
    kind: z.enum(itemKinds),
    category: text(64).optional(),
    title: text(300),
    description: text(4000).default(''),
    tags: z.array(text(64)).max(100).default([]),
    products: z.array(text(100)).max(100).default([]),
    audiences: z.array(text(100)).max(100).default([]),
    collections: z.array(id).max(100).default([]),
    validFrom: isoDate.optional(),
    validUntil: isoDate.optional(),
    kiosk: z.boolean().default(false),
    pageCount: z.number().int().positive().max(100_000).optional(),
    /** Length of a converted video or audio item, in seconds. */
    durationSeconds: z
      .number()
      .positive()
      .max(7 * 86_400)
      .optional(),
    shareUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Entry page of a microsite, one of its `site` files. */
    entry: sitePath.optional(),
    files: z.array(manifestFile).max(20_000),
  })
  .strict();

export const manifestCollection = z.object({ id, title: text(200), description: text(2000).default('') }).strict();

export const manifestGlossaryEntry = z
  .object({ id, term: text(200), definition: text(4000), aliases: z.array(text(200)).max(50).default([]) })
  .strict();

/**
 * A practice prompt: what to pitch in one's own words, about one item (or one of its pages) or
 * one glossary term, the key messages to hit, and the time to do it in. The catalogue uses the
 * same shape, so marketing's errors read the same in both.
 */
export const manifestPracticePrompt = z
  .object({
    id,
    title: text(200).refine((t) => t.trim() !== '', 'a practice prompt needs a title'),
    item: id.optional(),
    page: z.number().int().positive().max(100_000).optional(),
    term: id.optional(),
    keyMessages: z
      .array(text(300).refine((t) => t.trim() !== '', 'a key message cannot be empty'))
      .min(1, 'a practice prompt lists at least one key message')
      .max(PROMPT_KEY_MESSAGES_MAX, `a practice prompt lists at most ${PROMPT_KEY_MESSAGES_MAX} key messages`),
    timeLimitSeconds: z
      .number()
      .int('the time limit is a whole number of seconds')
      .min(PROMPT_TIME_LIMIT_MIN_SECONDS, `the time limit is at least ${PROMPT_TIME_LIMIT_MIN_SECONDS} seconds`)
      .max(PROMPT_TIME_LIMIT_MAX_SECONDS, `the time limit is at most ${PROMPT_TIME_LIMIT_MAX_SECONDS} seconds`),
  })
  .strict()
  .refine((p) => (p.item === undefined) !== (p.term === undefined), {
    message: 'a practice prompt is attached to exactly one of "item" or "term"',
  })
  .refine((p) => p.page === undefined || p.item !== undefined, {
    message: 'a practice prompt names a page only together with its item',
    path: ['page'],
  });

export const manifest = z
  .object({
    format: z.union([z.literal(1), z.literal(2)]) satisfies z.ZodType<ManifestFormat>,
    /**
     * The oldest app that may install this release (format 2 on). An older app refuses it and
     * says which version to update to; the library it has stays as it is.
     */
    minAppVersion: z.string().regex(appVersionPattern, 'an app version is like 1.2.3').optional(),
    channel: id,
    version: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    publishedAt: isoDate,
    expiresAt: isoDate,
    items: z.array(manifestItem).max(200_000),
    collections: z.array(manifestCollection).max(10_000).default([]),
    attract: z
      .object({ items: z.array(id).max(200), secondsPerItem: z.number().int().min(2).max(600).default(8) })
      .strict()
      .optional(),
    glossary: z.array(manifestGlossaryEntry).max(10_000).default([]),
    /** Absent in releases published before practice prompts existed (and in those without any). */
    practice: z.array(manifestPracticePrompt).max(1_000).optional(),
    /** Absent in releases published before quizzes existed (and in those without any). */
    quizzes: z.array(manifestQuiz).max(1_000).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    // An app that reads only format 1 would refuse these as malformed rather than as too new.
    if (m.format < 2) {
      if (m.minAppVersion !== undefined)
        ctx.addIssue({ code: 'custom', message: 'minAppVersion needs format 2 or later' });
      if (m.items.some((item) => item.files.some((f) => f.encoding !== undefined)))
        ctx.addIssue({ code: 'custom', message: 'compressed files (encoding) need format 2 or later' });
    }
    const seen = new Set<string>();
    for (const item of m.items) {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `duplicate item id "${item.id}"` });
      seen.add(item.id);
      // Which of two files with one path gets served would depend on row order.
      const paths = new Set<string>();
      for (const file of item.files) {
        if (file.path === undefined) continue;
        if (paths.has(file.path))
          ctx.addIssue({ code: 'custom', message: `item "${item.id}" lists the path "${file.path}" twice` });
        paths.add(file.path);
      }
      if (item.validFrom && item.validUntil && Date.parse(item.validUntil) <= Date.parse(item.validFrom)) {
        ctx.addIssue({
          code: 'custom',
          message: `item "${item.id}" is valid until ${item.validUntil}, not after it is valid from ${item.validFrom}`,
        });
      }
      if (item.kind === 'microsite') {
        if (!item.entry) ctx.addIssue({ code: 'custom', message: `microsite "${item.id}" has no entry page` });
        else if (!item.files.some((f) => f.role === 'site' && f.path === item.entry))
          ctx.addIssue({
            code: 'custom',
            message: `microsite "${item.id}" entry "${item.entry}" is not one of its files`,
          });
      } else if (!item.files.some((f) => f.role === 'primary')) {
        ctx.addIssue({ code: 'custom', message: `item "${item.id}" has no primary file` });
      }
    }
    const collectionIds = new Set(m.collections.map((c) => c.id));
    for (const item of m.items)
      for (const c of item.collections)
        if (!collectionIds.has(c))
          ctx.addIssue({ code: 'custom', message: `item "${item.id}" names unknown collection "${c}"` });
    const itemsById = new Map(m.items.map((i) => [i.id, i]));
    const termIds = new Set(m.glossary.map((g) => g.id));
    const promptIds = new Set<string>();
    for (const p of m.practice ?? []) {
      if (promptIds.has(p.id)) ctx.addIssue({ code: 'custom', message: `duplicate practice prompt id "${p.id}"` });
      promptIds.add(p.id);
      if (p.item !== undefined) {
        const item = itemsById.get(p.item);
        if (!item)
          ctx.addIssue({
            code: 'custom',
            message: `practice prompt "${p.id}" is attached to unknown item "${p.item}"`,
          });
        else if (p.page !== undefined && item.pageCount !== undefined && p.page > item.pageCount)
          ctx.addIssue({
            code: 'custom',
            message: `practice prompt "${p.id}" names page ${p.page} of "${p.item}", which has ${item.pageCount}`,
          });
      }
      if (p.term !== undefined && !termIds.has(p.term))
        ctx.addIssue({ code: 'custom', message: `practice prompt "${p.id}" is attached to unknown term "${p.term}"` });
    }
    for (const message of quizReferenceProblems(m.quizzes ?? [], new Set(itemsById.keys()), termIds))
      ctx.addIssue({ code: 'custom', message, path: ['quizzes'] });
  });

export type Manifest = z.infer<typeof manifest>;

/**
 * Whether app version `have` is at least `need` (numeric parts compared in order; a pre-release
 * of a version comes before the version itself, as in semver).
 */
export function appVersionAtLeast(have: string, need: string): boolean {
  const parse = (v: string) => {
    const [core = '', pre] = v.split(/-(.*)/s, 2);
    return { parts: core.split('.').map((n) => Number(n) || 0), pre: pre ?? null };
  };
  const a = parse(have);
  const b = parse(need);
  for (let i = 0; i < 3; i++) {
    const diff = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  if (a.pre === null || b.pre === null) return a.pre === null || b.pre !== null;
  return a.pre >= b.pre;
}
export type ManifestItem = z.infer<typeof manifestItem>;
export type ManifestFile = z.infer<typeof manifestFile>;
export type ManifestPracticePrompt = z.infer<typeof manifestPracticePrompt>;
