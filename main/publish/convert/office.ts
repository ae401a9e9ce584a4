import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PublishError } from '../catalogue.ts';

/**
 * Office and OpenDocument files become PDF through LibreOffice headless, so every device presents
 * the same pages with the viewer it already has. Files are converted in batches, one `soffice`
 * process per batch (its start-up costs seconds, a conversion a fraction of that), several batches
 * at once, each process with a profile of its own (two instances sharing one profile wait for each
 * other or fail) and a time budget per file.
 */

export const presentationExtensions = new Set(['.pptx', '.ppt', '.ppsx', '.pps', '.key', '.odp']);
export const officeExtensions = new Set([
  ...presentationExtensions,
  '.docx',
  '.doc',
  '.rtf',
  '.odt',
  '.xlsx',
  '.xls',
  '.ods',
]);

export const INSTALL_HINT =
  'install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-impress libreoffice-writer libreoffice-calc; macOS: brew install --cask libreoffice; Windows: winget install TheDocumentFoundation.LibreOffice) or set PITCHCASE_SOFFICE to the soffice program';

/** The `soffice` program: PITCHCASE_SOFFICE when set, else the first on PATH; null when there is none. */
export function findSoffice(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.PITCHCASE_SOFFICE?.trim();
  if (configured) return existsSync(configured) ? configured : null;
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** Names the program or says how to get one, so a publish fails before reading anything else. */
export function requireSoffice(file: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = findSoffice(env);
  if (found) return found;
  const configured = env.PITCHCASE_SOFFICE?.trim();
  const what = configured
    ? `PITCHCASE_SOFFICE (${configured}) does not exist`
    : 'LibreOffice (soffice) is not installed';
  throw new PublishError(`${file}: converting it to PDF needs LibreOffice, but ${what}: ${INSTALL_HINT}`);
}

export interface OfficeSource {
  /** Where the file came from, for messages. */
  label: string;
  /** Its extension (".pptx"), which tells LibreOffice the import filter. */
  ext: string;
  data: Uint8Array;
  /** Presentations only: also export slides marked hidden. */
  includeHiddenSlides?: boolean;
}

export interface ConvertOptions {
  soffice: string;
  /** Processes at once; defaults to the cores available, at most 4. */
  concurrency?: number;
  /** Budget per file in a batch, on top of the start-up budget. */
  timeoutPerFileMs?: number;
  startupTimeoutMs?: number;
  /**
   * Most files per soffice process. Start-up with a fresh profile costs seconds, so by default
   * each process takes an even share of all files; the time budget is per file anyway.
   */
  batchSize?: number;
  /**
   * Called as soon as one file's PDF is there, while the process goes on with the next: the
   * caller's own work on it (page text, thumbnails) overlaps the conversion of the others.
   */
  onConverted?(index: number, pdf: Uint8Array): void;
  /** Stops the conversion (its processes are killed): the caller found a reason to refuse the publish. */
  signal?: AbortSignal;
}

const zipFormats = new Set(['.pptx', '.ppsx', '.docx', '.xlsx', '.odt', '.ods', '.odp', '.key']);
const compoundFormats = new Set(['.ppt', '.pps', '.doc', '.xls']);

/**
 * Whether the bytes look like the format the name claims. LibreOffice opens nearly anything as
 * plain text, so a damaged .pptx would otherwise "convert" into a page of garbage.
 */
export function looksLike(ext: string, data: Uint8Array): boolean {
  const starts = (...bytes: number[]) => bytes.every((b, i) => data[i] === b);
  if (zipFormats.has(ext)) return starts(0x50, 0x4b, 0x03, 0x04);
  if (compoundFormats.has(ext)) return starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
  if (ext === '.rtf') return new TextDecoder().decode(data.subarray(0, 5)) === '{\\rtf';
  return true;
}

/**
 * What LibreOffice writes: the PDF devices present, or an OpenDocument presentation, from which
 * the notes, hidden slides and titles of a .ppt or .key are read (LibreOffice's own format keeps
 * everything its import understood).
 */
export type OfficeTarget = 'pdf' | 'odp';

/** The filter of `--convert-to`: presentations can be asked to keep hidden slides. */
function targetFor(source: OfficeSource, format: OfficeTarget): string {
  if (format === 'odp') return 'odp:impress8';
  if (source.includeHiddenSlides && presentationExtensions.has(source.ext)) {
    return 'pdf:impress_pdf_Export:{"ExportHiddenSlides":{"type":"boolean","value":"true"}}';
  }
  return 'pdf';
}

/**
 * Converts every source to PDF and returns the PDFs in the same order. The first file that fails
 * (unreadable, corrupt, too slow) stops the whole conversion with its name and the reason: a
 * release is published complete or not at all.
 */
export async function convertToPdf(sources: readonly OfficeSource[], options: ConvertOptions): Promise<Uint8Array[]> {
  return convertOffice(sources, 'pdf', options);
}

/** Converts every source to `format`, as convertToPdf does. */
export async function convertOffice(
  sources: readonly OfficeSource[],
  format: OfficeTarget,
  options: ConvertOptions,
): Promise<Uint8Array[]> {
  if (sources.length === 0) return [];
  for (const source of sources) {
    if (!looksLike(source.ext, source.data))
      throw new PublishError(`${source.label}: not a ${source.ext.slice(1)} file (damaged, or named wrongly)`);
  }
  // PITCHCASE_CONVERT_CONCURRENCY: fewer processes on a machine shared with other work.
  const configured = Number(process.env.PITCHCASE_CONVERT_CONCURRENCY);
  const concurrency = Math.max(
    1,
    options.concurrency ??
      (Number.isInteger(configured) && configured > 0 ? configured : Math.min(4, availableParallelism())),
  );
  const batchSize = options.batchSize ?? 500;
  const work = await mkdtemp(path.join(tmpdir(), 'pitchcase-convert-'));
  try {
    // Same filter per batch (it is one command line); spread files evenly over the processes.
    const groups = new Map<string, number[]>();
    sources.forEach((source, index) => {
      const target = targetFor(source, format);
      groups.set(target, [...(groups.get(target) ?? []), index]);
    });
    const batches: { target: string; indexes: number[] }[] = [];
    for (const [target, indexes] of groups) {
      const count = Math.max(Math.ceil(indexes.length / batchSize), Math.min(concurrency, indexes.length));
      for (let b = 0; b < count; b++) batches.push({ target, indexes: indexes.filter((_, i) => i % count === b) });
    }
    const results: Uint8Array[] = new Array<Uint8Array>(sources.length);
    let next = 0;
    let failure: unknown = null;
    const worker = async () => {
      while (failure === null && !options.signal?.aborted && next < batches.length) {
        const batch = batches[next++]!;
        try {
          await convertBatch(
            batch.indexes.map((i) => sources[i]!),
            batch.target,
            format,
            work,
            options,
            (i, pdf) => {
              const sourceIndex = batch.indexes[i]!;
              results[sourceIndex] = pdf;
              options.onConverted?.(sourceIndex, pdf);
            },
          );
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
    if (failure !== null) throw failure;
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function convertBatch(
  sources: readonly OfficeSource[],
  target: string,
  format: OfficeTarget,
  work: string,
  options: ConvertOptions,
  onFile: (index: number, pdf: Uint8Array) => void,
): Promise<void> {
  const dir = path.join(work, randomUUID());
  const inDir = path.join(dir, 'in');
  const outDir = path.join(dir, 'out');
  const profile = path.join(dir, 'profile');
  await mkdir(inDir, { recursive: true });
  await mkdir(outDir);
  // Inputs get plain numbered names: the output is found by name, and marketing's file names may
  // hold characters a command line or LibreOffice's URL handling would mangle.
  const inputs = await Promise.all(
    sources.map(async (source, i) => {
      const file = path.join(inDir, `${i}${source.ext}`);
      await writeFile(file, source.data);
      return file;
    }),
  );
  const budget = (options.startupTimeoutMs ?? 60_000) + (options.timeoutPerFileMs ?? 120_000) * sources.length;
  const args = [
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    '--headless',
    '--invisible',
    '--nologo',
    '--nodefault',
    '--nofirststartwizard',
    '--nolockcheck',
    '--norestore',
    '--convert-to',
    target,
    '--outdir',
    outDir,
    ...inputs,
  ];
  // LibreOffice converts its inputs in order and says "convert …/in/N.ext -> …" as it starts
  // each one: when it names file N, every file before N is finished.
  let delivered = 0;
  const deliverUpTo = async (end: number) => {
    while (delivered < end) {
      const i = delivered++;
      const pdf = await readFile(path.join(outDir, `${i}.${format}`)).catch(() => null);
      if (pdf && pdf.length > 0) onFile(i, new Uint8Array(pdf));
    }
  };
  let deliveries = Promise.resolve();
  const run = await new Promise<{ code: number | null; output: string; timedOut: boolean }>((resolve, reject) => {
    const child = spawn(options.soffice, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: dir },
      ...(options.signal ? { signal: options.signal, killSignal: 'SIGKILL' as const } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const started = [...output.matchAll(/convert \S*[\\/]in[\\/](\d+)\.\w+ ->/g)].map((m) => Number(m[1]));
      const before = started.length > 0 ? Math.max(...started) : 0;
      if (before > delivered) deliveries = deliveries.then(() => deliverUpTo(before));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, budget);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new PublishError(`${sources[0]!.label}: could not start LibreOffice (${options.soffice}): ${error.message}`),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
  await deliveries;
  await deliverUpTo(sources.length);
  for (const [i, source] of sources.entries()) {
    if (statSync(path.join(outDir, `${i}.${format}`), { throwIfNoEntry: false })?.size) continue;
    if (run.timedOut)
      throw new PublishError(
        `${source.label}: LibreOffice did not finish converting it within ${Math.round(budget / 1000)} s`,
      );
    const said = reasonFor(run.output, `${i}${source.ext}`);
    throw new PublishError(
      `${source.label}: LibreOffice could not convert it to ${format === 'pdf' ? 'PDF' : 'OpenDocument'} (${said ?? `the file is damaged or not a ${source.ext.slice(1)} file; exit ${run.code}`})`,
    );
  }
}

/** LibreOffice's own line about one input, e.g. "Error: source file could not be loaded". */
function reasonFor(output: string, name: string): string | null {
  const lines = output.split('\n').map((l) => l.trim());
  const own = lines.find((l) => l.includes(name) && /error/i.test(l)) ?? lines.find((l) => /^error/i.test(l));
  if (!own) return null;
  return (
    own
      .replace(/\s*\/\S*\/in\//g, ' ')
      .replace(/^Error:\s*/i, '')
      .trim() || null
  );
}

/** "LibreOffice 7.4.7.2 …", or null when the program does not answer. */
export function sofficeVersion(soffice: string): string | null {
  const result = spawnSync(soffice, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : null;
}

const officeMimes: Record<string, string> = {
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.ppsx': 'application/vnd.openxmlformats-officedocument.presentationml.slideshow',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.pps': 'application/vnd.ms-powerpoint',
  '.key': 'application/vnd.apple.keynote',
  '.odp': 'application/vnd.oasis.opendocument.presentation',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.doc': 'application/msword',
  '.rtf': 'application/rtf',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xls': 'application/vnd.ms-excel',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
};

/** The original file's media type, so a device hands it to the right app when the rep opens it. */
export function officeMime(file: string): string {
  return officeMimes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
