import { createHash } from 'node:crypto';
import { constants as fsConstants, existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  appVersionPattern,
  manifest as manifestSchema,
  MANIFEST_FORMAT,
  type FileEncoding,
  type Manifest,
  type ManifestFile,
  type ManifestFormat,
  type ManifestItem,
} from '#shared/manifest';
import type { ItemKind } from '#shared/library';
import type { PageText } from '#shared/pages';
import { mimeForPath } from '#core/content/index';
import { PublishError, type Catalogue, type CatalogueItem } from './catalogue.ts';
import { readCatalogueOrFolder } from './folder-catalogue.ts';
import { parsePrivateKey, signManifest } from './keys.ts';
import { createPdfReader, PdfBoundExceeded, sharedPdfReader, type PdfLimits, type PdfReader } from './pdf-budget.ts';
import { DERIVED_FILE, openDerivedOutputs, type DerivedOutputs, type DerivedPdf } from './derived.ts';
import { THUMBNAIL_MIME } from './pdf.ts';
import { PAGE_TEXT_MIME, pageTextFile } from './page-text.ts';
import { audioExtensions, convertedVideoExtensions, convertMedia, requireFfmpeg } from './convert/media.ts';
import { convertedImageExtensions, convertImage } from './convert/image.ts';
import { officeMime } from './convert/office.ts';
import { shipQuizzes } from './quizzes.ts';
import {
  convertCatalogueDocuments,
  isOfficeFile,
  key as convertedKey,
  presentationPages,
  type ConvertedDocument,
} from './convert/documents.ts';

export interface PublishOptions {
  sourceDir: string;
  outDir: string;
  privateKeyPem: string;
  /** A catalogue already in hand (Studio's draft); without it, sourceDir's catalogue file is read. */
  catalogue?: Catalogue;
  channel?: string;
  /** How long the release stays valid, e.g. "30d", "12h". */
  expires?: string;
  now?: Date;
  onProgress?: (event: { step: string; done: number; total: number; detail?: string }) => void;
  /** What one PDF may cost (pages, time, memory); a document over them is refused by name. */
  pdfLimits?: Partial<PdfLimits>;
  /** Reads the PDFs (a test counts what is read through it); by default a pool made for this publish. */
  pdfReader?: PdfReader;
  /**
   * Source files whose sha256 and size the caller vouches for, by their path in the catalogue
   * (Studio's content-addressed store): an unchanged PDF already in the release is then not even
   * read.
   */
  knownFiles?: ReadonlyMap<string, { sha256: string; size: number }>;
  /** Where what was derived from each PDF is kept for the next publish; beside the release by default. */
  derivedFile?: string;
  /**
   * The release format to write: 2 (the default) stores page text compressed; 1 is what apps
   * older than format 2 read, for a fleet not yet updated (page text uncompressed).
   */
  format?: ManifestFormat;
  /** The oldest app version that may install this release (format 2); older ones refuse it. */
  minAppVersion?: string;
}

export interface PublishResult {
  channel: string;
  version: number;
  format: ManifestFormat;
  items: number;
  blobsWritten: number;
  blobsReused: number;
  bytesWritten: number;
  manifestPath: string;
  /** PDFs read (text and cover) in this publish. */
  pdfsRead: number;
  /** PDFs whose text and cover were reused from the previous publish, unchanged. */
  pdfsReused: number;
}

interface PendingBlob {
  sha256: string;
  size: number;
  /** Null for a blob already checked to be in the release folder. */
  data: Uint8Array | null;
}

const imageExtensions = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.svg']);
const videoExtensions = new Set(['.webm', '.mp4']);

export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(d|h|m)$/.exec(text.trim());
  if (!match) throw new PublishError(`--expires "${text}": use a number with d, h or m (e.g. 30d)`);
  const n = Number(match[1]);
  const unit = match[2] === 'd' ? 86_400_000 : match[2] === 'h' ? 3_600_000 : 60_000;
  if (n <= 0) throw new PublishError(`--expires "${text}" must be positive`);
  return n * unit;
}

function kindOf(file: string): ItemKind | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.pdf') return 'pdf';
  if (imageExtensions.has(ext)) return 'image';
  if (videoExtensions.has(ext)) return 'video';
  // Devices present the PDF LibreOffice makes of it; the original travels alongside.
  if (isOfficeFile(file)) return 'pdf';
  // Converted to WebM by ffmpeg (see convert/media.ts).
  if (convertedVideoExtensions.has(ext)) return 'video';
  if (audioExtensions.has(ext)) return 'audio';
  if (convertedImageExtensions.has(ext)) return 'image';
  return null;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/\.[^.]+$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'item'
  );
}

function titleFromFileName(name: string): string {
  const base = path
    .basename(name)
    .replace(/\.[^.]+$/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/** Opening never blocks, so a FIFO in the source folder is refused instead of hanging the publish. */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

const inside = (root: string, target: string) => target === root || target.startsWith(root + path.sep);

/**
 * Where `file` really is, refused when a link takes it out of the source folder (a link named
 * photo.png pointing at /etc/passwd would otherwise be published to every device).
 */
async function resolveInside(realRoot: string, file: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    throw new PublishError(`${file}: not found (or a link to nothing)`);
  }
  if (!inside(realRoot, real))
    throw new PublishError(`${file}: a link to ${real}, outside the source folder; only files inside it are published`);
  return real;
}

/** The bytes of a regular file inside the source folder, checked on the opened descriptor. */
async function readRegularFile(realRoot: string, file: string, what: string): Promise<Uint8Array> {
  let real: string;
  try {
    real = await resolveInside(realRoot, file);
  } catch (error) {
    if (error instanceof PublishError && /not found/.test(error.message))
      throw new PublishError(`${file}: ${what} not found`);
    throw error;
  }
  const handle = await open(real, OPEN_FLAGS).catch(() => {
    throw new PublishError(`${file}: ${what} not readable`);
  });
  try {
    if (!(await handle.stat()).isFile())
      throw new PublishError(
        `${file}: not a regular file (a folder, FIFO or device); only regular files are published`,
      );
    return new Uint8Array(await handle.readFile());
  } finally {
    await handle.close();
  }
}

/**
 * Every file of a microsite folder, by its path inside the site. Links are followed while they
 * stay inside the source folder; a link leaving it, or an entry that is neither a file nor a
 * folder, is refused with its path.
 */
async function listFiles(realRoot: string, dir: string, prefix = '', visited = new Set<string>()): Promise<string[]> {
  const real = await resolveInside(realRoot, dir);
  // A link back up the tree would list the same folder for ever.
  if (visited.has(real)) return [];
  visited.add(real);
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    let kind: 'file' | 'folder' | 'other' = entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';
    if (entry.isSymbolicLink()) {
      const target = await stat(await resolveInside(realRoot, full));
      kind = target.isDirectory() ? 'folder' : target.isFile() ? 'file' : 'other';
    }
    if (kind === 'folder') out.push(...(await listFiles(realRoot, full, rel, visited)));
    else if (kind === 'file') out.push(rel);
    else
      throw new PublishError(
        `${full}: not a regular file (a FIFO, socket or device); only regular files are published`,
      );
  }
  return out.sort();
}

/**
 * Builds a release from a source folder. Everything is read, analysed and validated first;
 * only then is anything written, so a bad sidecar or unreadable PDF leaves RELEASE_DIR as it was.
 * Blobs are content-addressed, so publishing an unchanged folder writes no new blob.
 */
export async function publishRelease(options: PublishOptions): Promise<PublishResult> {
  const now = options.now ?? new Date();
  const sourceDir = path.resolve(options.sourceDir);
  const outDir = path.resolve(options.outDir);
  const key = parsePrivateKey(options.privateKeyPem, 'signing key');
  const catalogue = options.catalogue ?? (await readCatalogueOrFolder(sourceDir));
  const channel = options.channel ?? catalogue.channel ?? 'default';
  const expiresAt = new Date(now.getTime() + parseDuration(options.expires ?? '30d'));
  const blobs = new Map<string, PendingBlob>();
  const progress = options.onProgress ?? (() => {});
  const format = options.format ?? MANIFEST_FORMAT;
  if (format !== 1 && format !== 2)
    throw new PublishError(`release format ${String(format)}: this publisher writes 1 or 2`);
  if (options.minAppVersion !== undefined) {
    if (!appVersionPattern.test(options.minAppVersion))
      throw new PublishError(`minimum app version "${options.minAppVersion}": use a version like 1.2.3`);
    if (format < 2)
      throw new PublishError('a minimum app version needs release format 2: apps that read only format 1 ignore it');
  }
  const textEncoding: FileEncoding | null = format >= 2 ? 'gzip' : null;

  const addBlob = (
    data: Uint8Array,
    role: ManifestFile['role'],
    mime: string,
    extra: Partial<ManifestFile> = {},
  ): ManifestFile => {
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (!blobs.get(sha256)?.data) blobs.set(sha256, { sha256, size: data.length, data });
    return { role, sha256, size: data.length, mime, ...extra };
  };
  const addPresent = (
    blob: { sha256: string; size: number },
    role: ManifestFile['role'],
    mime: string,
    extra: Partial<ManifestFile> = {},
  ): ManifestFile => {
    if (!blobs.has(blob.sha256)) blobs.set(blob.sha256, { sha256: blob.sha256, size: blob.size, data: null });
    return { role, sha256: blob.sha256, size: blob.size, mime, ...extra };
  };
  const blobsDir = path.join(outDir, 'blobs');
  const inRelease = async (blob: { sha256: string; size: number }) =>
    (await stat(path.join(blobsDir, blob.sha256)).catch(() => null))?.size === blob.size;
  // Page text stored another way (a publish in the other format) is made again, not reused.
  const derived = await openDerivedOutputs(
    options.derivedFile ?? path.join(outDir, DERIVED_FILE),
    blobsDir,
    (pdf) => (pdf.text.encoding ?? null) === textEncoding,
  );
  let pdfsRead = 0;

  const realRoot = await realpath(sourceDir).catch(() => sourceDir);
  const readSource = (rel: string, what: string): Promise<Uint8Array> =>
    readRegularFile(realRoot, path.join(sourceDir, rel), what);

  const total = catalogue.items.length;
  const ownReader = !options.pdfReader && options.pdfLimits !== undefined;
  const pdfReader = options.pdfReader ?? (options.pdfLimits ? createPdfReader(options.pdfLimits) : sharedPdfReader());
  const counted: PdfReader = {
    threads: pdfReader.threads,
    analyse: (pdf) => {
      pdfsRead++;
      return pdfReader.analyse(pdf);
    },
    close: () => pdfReader.close(),
  };
  let items: ManifestItem[];
  try {
    const converted = await convertCatalogueDocuments(catalogue.items, {
      sourceDir,
      readSource,
      analyse: (pdf) => counted.analyse(pdf),
      onProgress: (done, total) => progress({ step: 'convert', done, total }),
    });
    const ctx: BuildContext = {
      sourceDir,
      realRoot,
      readSource,
      addBlob,
      addPresent,
      inRelease,
      pdfReader: counted,
      converted,
      derived,
      reading: new Map(),
      knownFiles: options.knownFiles ?? new Map(),
      format,
    };
    let done = 0;
    // Items are built a few at a time, so every reading thread has its next document waiting
    // while this thread reads and hashes files; the manifest keeps the catalogue's order.
    items = await mapInOrder(catalogue.items, pdfReader.threads * 2, async (entry, index) => {
      const item = await buildItem(entry, ctx);
      progress({ step: 'analyse', done: ++done, total, detail: entry.file ?? entry.site ?? `item ${index + 1}` });
      return item;
    });
  } finally {
    // The shared reader and one the caller passed stay open for the next publish.
    if (ownReader) await pdfReader.close();
  }
  progress({ step: 'analyse', done: total, total });

  let previousVersion = 0;
  const manifestPath = path.join(outDir, 'channel.json');
  if (existsSync(manifestPath)) {
    try {
      const previous = JSON.parse(await readFile(manifestPath, 'utf8')) as { version?: unknown };
      if (typeof previous.version === 'number') previousVersion = previous.version;
    } catch (error) {
      throw new PublishError(`${manifestPath}: the previous release is unreadable (${(error as Error).message})`);
    }
  }

  const candidate: Manifest = {
    format,
    ...(options.minAppVersion ? { minAppVersion: options.minAppVersion } : {}),
    channel,
    version: previousVersion + 1,
    publishedAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    items,
    collections: catalogue.collections,
    ...(catalogue.attract ? { attract: catalogue.attract } : {}),
    glossary: catalogue.glossary,
    // Left out when there are none, so a release without prompts reads as before.
    ...(catalogue.practice.length > 0 ? { practice: catalogue.practice } : {}),
    // Likewise: an older app refuses a field it does not know, so none is written when there are none.
    ...(catalogue.quizzes.length > 0 ? { quizzes: shipQuizzes(catalogue.quizzes, items, catalogue.glossary) } : {}),
  };
  const checked = manifestSchema.safeParse(candidate);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new PublishError(`${sourceDir}: ${issue?.path.join('.') || 'catalogue'}: ${issue?.message ?? 'invalid'}`);
  }
  const ids = new Set(items.map((i) => i.id));
  for (const attractId of catalogue.attract?.items ?? []) {
    if (!ids.has(attractId)) throw new PublishError(`${sourceDir}: attract loop names unknown item "${attractId}"`);
  }

  // Nothing was written so far. Blobs first, the signed manifest last.
  await mkdir(path.join(outDir, 'blobs'), { recursive: true });
  let blobsWritten = 0;
  let bytesWritten = 0;
  let done = 0;
  for (const blob of blobs.values()) {
    progress({ step: 'write', done: done++, total: blobs.size });
    if (!blob.data) continue;
    const target = path.join(outDir, 'blobs', blob.sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.size === blob.size) continue;
    await writeFile(`${target}.tmp`, blob.data);
    await rename(`${target}.tmp`, target);
    blobsWritten++;
    bytesWritten += blob.size;
  }
  progress({ step: 'write', done: blobs.size, total: blobs.size });
  // Without indentation: a release of small PDFs carried ~750 bytes of manifest an item, a
  // tenth of the PDF, a quarter of it spaces. Every value stays written out, defaults included,
  // for scripts that read channel.json without the schema.
  const bytes = Buffer.from(`${JSON.stringify(checked.data)}\n`, 'utf8');
  const signature = signManifest(bytes, key);
  await writeFile(path.join(outDir, 'channel.json.sig.tmp'), signature);
  await writeFile(path.join(outDir, 'channel.json.tmp'), bytes);
  await rename(path.join(outDir, 'channel.json.sig.tmp'), path.join(outDir, 'channel.json.sig'));
  await rename(path.join(outDir, 'channel.json.tmp'), manifestPath);
  // Only once the release is in place: a publish that failed teaches the next one nothing.
  await derived.save();

  return {
    channel,
    version: candidate.version,
    format,
    items: items.length,
    blobsWritten,
    blobsReused: blobs.size - blobsWritten,
    bytesWritten,
    manifestPath,
    pdfsRead,
    pdfsReused: derived.reused,
  };
}

/**
 * `fn` over `list` with at most `limit` running at once, results in `list`'s order. After a
 * failure nothing new starts; the first failure is thrown once the running ones have settled.
 */
async function mapInOrder<T, R>(list: readonly T[], limit: number, fn: (value: T, index: number) => Promise<R>) {
  const out = new Array<R>(list.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (!failure && next < list.length) {
      const index = next++;
      try {
        out[index] = await fn(list[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  return out;
}

interface BuildContext {
  sourceDir: string;
  realRoot: string;
  pdfReader: PdfReader;
  readSource(rel: string, what: string): Promise<Uint8Array>;
  addBlob(data: Uint8Array, role: ManifestFile['role'], mime: string, extra?: Partial<ManifestFile>): ManifestFile;
  /** A blob already in the release folder (checked), listed without its bytes. */
  addPresent(
    blob: { sha256: string; size: number },
    role: ManifestFile['role'],
    mime: string,
    extra?: Partial<ManifestFile>,
  ): ManifestFile;
  inRelease(blob: { sha256: string; size: number }): Promise<boolean>;
  converted: Map<string, ConvertedDocument>;
  derived: DerivedOutputs;
  /** PDFs being read in this publish, by sha256. */
  reading: Map<string, Promise<{ cover: ManifestFile | null; text: ManifestFile; derived: DerivedPdf }>>;
  knownFiles: ReadonlyMap<string, { sha256: string; size: number }>;
  format: ManifestFormat;
}

async function buildItem(entry: CatalogueItem, ctx: BuildContext): Promise<ManifestItem> {
  const files: ManifestFile[] = [];
  const base = {
    category: entry.category,
    description: entry.description,
    tags: entry.tags,
    products: entry.products,
    audiences: entry.audiences,
    collections: entry.collections,
    kiosk: entry.kiosk,
    ...(entry.validFrom ? { validFrom: entry.validFrom } : {}),
    ...(entry.validUntil ? { validUntil: entry.validUntil } : {}),
    ...(entry.shareUrl ? { shareUrl: entry.shareUrl } : {}),
  };
  const explicitThumbnail = entry.thumbnail
    ? ctx.addBlob(await ctx.readSource(entry.thumbnail, 'thumbnail'), 'thumbnail', mimeForPath(entry.thumbnail))
    : null;

  if (entry.site) {
    const siteDir = path.join(ctx.sourceDir, entry.site);
    const realSite = await realpath(siteDir).catch(() => null);
    if (!realSite || !(await stat(realSite)).isDirectory())
      throw new PublishError(`${siteDir}: microsite folder not found`);
    const siteFiles = await listFiles(ctx.realRoot, siteDir);
    if (!siteFiles.includes(entry.entry)) throw new PublishError(`${siteDir}: entry page "${entry.entry}" not found`);
    for (const rel of siteFiles) {
      files.push(
        ctx.addBlob(
          await ctx.readSource(path.join(entry.site, rel), 'site file'),
          'site',
          mimeForPath(rel).split(';')[0]!,
          { path: rel },
        ),
      );
    }
    if (explicitThumbnail) files.push(explicitThumbnail);
    return {
      id: entry.id ?? slug(path.basename(entry.site)),
      kind: 'microsite',
      title: entry.title ?? titleFromFileName(entry.site),
      entry: entry.entry,
      files,
      ...base,
      category: entry.category ?? 'microsite',
    };
  }

  const rel = entry.file!;
  const kind = kindOf(rel);
  const where = path.join(ctx.sourceDir, rel);
  if (!kind)
    throw new PublishError(`${where}: unsupported file type (PDF, Office or OpenDocument, image, video expected)`);
  const ext = path.extname(rel).toLowerCase();
  if (convertedVideoExtensions.has(ext) || audioExtensions.has(ext)) {
    const original = await ctx.readSource(rel, 'file');
    const media = await convertMedia(original, ext, where, requireFfmpeg(where));
    files.push(ctx.addBlob(media.media, 'primary', media.mime));
    files.push(ctx.addBlob(original, 'original', mimeForPath(rel).split(';')[0]!));
    const poster = entry.poster
      ? ctx.addBlob(await ctx.readSource(entry.poster, 'poster'), 'poster', mimeForPath(entry.poster))
      : media.poster
        ? ctx.addBlob(media.poster, 'poster', 'image/png')
        : null;
    if (poster) files.push(poster);
    const thumbnail = explicitThumbnail ?? (poster ? { ...poster, role: 'thumbnail' as const } : null);
    if (thumbnail) files.push(thumbnail);
    const id = entry.id ?? slug(path.basename(rel));
    return {
      id,
      kind: media.kind,
      title: entry.title ?? titleFromFileName(rel),
      durationSeconds: media.durationSeconds,
      files,
      ...base,
    };
  }
  if (convertedImageExtensions.has(ext)) {
    const original = await ctx.readSource(rel, 'file');
    const image = await convertImage(original, ext, where);
    const primary = ctx.addBlob(image.data, 'primary', image.mime);
    files.push(
      primary,
      ctx.addBlob(original, 'original', mimeForPath(rel).split(';')[0]!),
      explicitThumbnail ?? { ...primary, role: 'thumbnail' },
    );
    return {
      id: entry.id ?? slug(path.basename(rel)),
      kind: 'image',
      title: entry.title ?? titleFromFileName(rel),
      files,
      ...base,
    };
  }
  const document = ctx.converted.get(convertedKey(rel, entry.hiddenSlides));
  const id = entry.id ?? slug(path.basename(rel));
  if (kind === 'pdf' && !document) {
    const pdf = await buildPdf(rel, where, ctx);
    const thumbnail = explicitThumbnail ?? pdf.cover;
    files.push(pdf.primary, ...(thumbnail ? [thumbnail] : []), pdf.text);
    return {
      id,
      kind,
      title: entry.title ?? pdf.derived.title ?? titleFromFileName(rel),
      pageCount: pdf.derived.pageCount,
      files,
      ...base,
    };
  }
  const data = document?.pdf ?? (await ctx.readSource(rel, 'file'));
  files.push(ctx.addBlob(data, 'primary', document ? 'application/pdf' : mimeForPath(rel).split(';')[0]!));
  if (document) files.push(ctx.addBlob(document.original, 'original', officeMime(rel)));

  if (kind === 'pdf') {
    let analysis;
    try {
      analysis = await (document?.analysis ?? ctx.pdfReader.analyse(data));
    } catch (error) {
      throw readError(where, error);
    }
    files.push(explicitThumbnail ?? ctx.addBlob(analysis.cover, 'thumbnail', THUMBNAIL_MIME));
    const slides = document ? presentationPages(document, analysis.pageTexts) : null;
    files.push(await textBlob({ pages: analysis.pageTexts, ...slides }, where, ctx));
    // LibreOffice titles a converted file after its temporary name, so only a PDF's own title counts.
    const ownTitle = document ? null : analysis.title;
    return {
      id,
      kind,
      title: entry.title ?? ownTitle ?? titleFromFileName(rel),
      pageCount: analysis.pageCount,
      files,
      ...base,
    };
  }
  if (kind === 'video') {
    if (entry.poster) {
      const poster = ctx.addBlob(await ctx.readSource(entry.poster, 'poster'), 'poster', mimeForPath(entry.poster));
      files.push(poster);
      if (!explicitThumbnail) files.push({ ...poster, role: 'thumbnail' });
    }
    if (explicitThumbnail) files.push(explicitThumbnail);
    return { id, kind, title: entry.title ?? titleFromFileName(rel), files, ...base };
  }
  // An image is its own thumbnail unless marketing chose another.
  files.push(explicitThumbnail ?? { ...files[0]!, role: 'thumbnail' });
  return { id, kind, title: entry.title ?? titleFromFileName(rel), files, ...base };
}

function readError(where: string, error: unknown): PublishError {
  if (error instanceof PdfBoundExceeded) return new PublishError(`${where}: PDF refused, ${error.message}`);
  return new PublishError(`${where}: unreadable PDF (${(error as Error).message})`);
}

/**
 * A PDF's own files: the document, its cover and its page text. When the same bytes were
 * published into this release folder before, the cover and text made then are reused and the
 * document is not read again (not even opened, when the caller vouches for its hash).
 */
async function buildPdf(
  rel: string,
  where: string,
  ctx: BuildContext,
): Promise<{ primary: ManifestFile; cover: ManifestFile | null; text: ManifestFile; derived: DerivedPdf }> {
  const mime = 'application/pdf';
  const known = ctx.knownFiles.get(rel);
  let primary: ManifestFile | null = null;
  let derived: DerivedPdf | null = null;
  let data: Uint8Array | null = null;
  if (known && (await ctx.inRelease(known))) {
    derived = await ctx.derived.reuse(known.sha256);
    if (derived) primary = ctx.addPresent(known, 'primary', mime);
  }
  if (!primary) {
    data = await ctx.readSource(rel, 'file');
    primary = ctx.addBlob(data, 'primary', mime);
    derived = await ctx.derived.reuse(primary.sha256);
  }
  if (derived) {
    ctx.derived.remember(primary.sha256, derived);
    return {
      primary,
      cover: derived.cover ? ctx.addPresent(derived.cover, 'thumbnail', derived.cover.mime) : null,
      text: ctx.addPresent(
        derived.text,
        'text',
        PAGE_TEXT_MIME,
        derived.text.encoding ? { encoding: derived.text.encoding } : {},
      ),
      derived,
    };
  }
  // The same document under several items (or names) is read once.
  let reading = ctx.reading.get(primary.sha256);
  if (!reading) {
    reading = readPdf(data!, where, ctx);
    ctx.reading.set(primary.sha256, reading);
  }
  const read = await reading;
  ctx.derived.remember(primary.sha256, read.derived);
  return { primary, ...read };
}

async function readPdf(
  data: Uint8Array,
  where: string,
  ctx: BuildContext,
): Promise<{ cover: ManifestFile | null; text: ManifestFile; derived: DerivedPdf }> {
  let analysis;
  try {
    analysis = await ctx.pdfReader.analyse(data);
  } catch (error) {
    throw readError(where, error);
  }
  const cover = analysis.cover.length > 0 ? ctx.addBlob(analysis.cover, 'thumbnail', THUMBNAIL_MIME) : null;
  const text = await textBlob({ pages: analysis.pageTexts }, where, ctx);
  const derived: DerivedPdf = {
    title: analysis.title,
    pageCount: analysis.pageCount,
    cover: cover ? { sha256: cover.sha256, size: cover.size, mime: cover.mime } : null,
    text: { sha256: text.sha256, size: text.size, ...(text.encoding ? { encoding: text.encoding } : {}) },
  };
  return { cover, text, derived };
}

/** A document's page text as a file of the release, stored as its format wants (page-text.ts). */
async function textBlob(content: PageText, where: string, ctx: BuildContext): Promise<ManifestFile> {
  const { data, encoding } = await pageTextFile(content, ctx.format, where);
  return ctx.addBlob(data, 'text', PAGE_TEXT_MIME, encoding ? { encoding } : {});
}
