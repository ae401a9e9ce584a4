/**
 * A library of thousands of documents for the large-library tests, made as marketing would: a
 * folder of PDFs with a catalogue, published with `pitchcase publish`, then installed into a
 * profile with `pitchcase sync`. The PDFs are one small page each, written directly (a few
 * hundred bytes), so the set-up spends its time in the publisher, not in making documents.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');

async function pitchcase(args: string[], timeout = 600_000): Promise<string> {
  const { stdout } = await run(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** A one-page PDF showing `text`, with a correct cross-reference table. */
export function tinyPdf(text: string): Buffer {
  const safe = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 14 Tf 20 80 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 240 180] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export const products = ['AquaCore 200', 'AquaCore 500', 'FlowSense', 'PureLink', 'HydroGuard'];

/** The one item tagged "needle", in the last collection: the test finds it by its tag. */
export const needle = { tag: 'needle', product: 'HydroGuard', index: (count: number) => count - 7 };

export function itemId(i: number): string {
  return `doc-${String(i).padStart(5, '0')}`;
}

export function itemTitle(i: number): string {
  return `Field note ${i}`;
}

export interface LargeRelease {
  dir: string;
  publicKey: string;
  count: number;
  collections: number;
}

/**
 * Writes `count` documents in collections of `perCollection` and publishes them into `workDir`.
 * A release already published there with the same size is reused: the worker makes it once.
 */
export async function publishLargeRelease(workDir: string, count: number, perCollection = 100): Promise<LargeRelease> {
  const source = path.join(workDir, 'source');
  const dir = path.join(workDir, 'release');
  const keys = path.join(workDir, 'keys');
  const collections = Math.ceil(count / perCollection);
  const release = { dir, publicKey: path.join(keys, 'public.pem'), count, collections };
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'channel.json'), 'utf8')) as { items: unknown[] };
    if (manifest.items.length === count) return release;
  } catch {
    // Not published yet.
  }
  await mkdir(path.join(source, 'docs'), { recursive: true });
  const items = [];
  for (let i = 0; i < count; i++) {
    const file = `docs/${itemId(i)}.pdf`;
    await writeFile(path.join(source, file), tinyPdf(`${itemTitle(i)}: water treatment notes`));
    const isNeedle = i === needle.index(count);
    items.push({
      id: itemId(i),
      file,
      title: itemTitle(i),
      category: i % 2 === 0 ? 'brochure' : 'datasheet',
      products: [isNeedle ? needle.product : products[i % (products.length - 1)]!],
      tags: isNeedle ? [needle.tag] : [`topic ${i % 7}`],
      collections: [`shelf-${Math.floor(i / perCollection)}`],
    });
  }
  await writeFile(
    path.join(source, 'catalogue.yaml'),
    stringify({
      channel: 'large-library',
      collections: Array.from({ length: collections }, (_, c) => ({ id: `shelf-${c}`, title: `Shelf ${c + 1}` })),
      items,
    }),
  );
  await pitchcase(['keygen', '--out', keys]);
  await pitchcase(['publish', source, '--out', dir, '--key', path.join(keys, 'private.pem')]);
  return release;
}

/** Installs the release into a profile as IT pre-provisions a device. */
export async function syncInto(profileDir: string, release: LargeRelease): Promise<void> {
  await pitchcase(['sync', '--profile', profileDir, '--channel', release.dir, '--pubkey', release.publicKey]);
}
