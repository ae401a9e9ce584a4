import { parse, stringify } from 'yaml';
/**
 * Real releases for the sync tests, made by the publisher CLI exactly as marketing would:
 * a key pair from `pitchcase keygen`, and the demo library republished with `pitchcase publish`
 * after a few edits, so a device on the demo release sees new, updated and removed items.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const cli = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');
const demoSource = path.join(repoRoot, 'build', 'demo-source');
const demoRelease = path.join(repoRoot, 'build', 'demo-release');

async function pitchcase(args: string[]): Promise<void> {
  await run(process.execPath, [cli, ...args], { cwd: repoRoot, timeout: 60_000 });
}

export interface KeyPair {
  dir: string;
  privateKey: string;
  publicKeyPem: string;
}

export async function keygen(dir: string): Promise<KeyPair> {
  await pitchcase(['keygen', '--out', dir]);
  return {
    dir,
    privateKey: path.join(dir, 'private.pem'),
    publicKeyPem: await readFile(path.join(dir, 'public.pem'), 'utf8'),
  };
}

export interface PublishedRelease {
  dir: string;
  /** The `file://` URL a rep would enter for a release folder on a USB stick. */
  url: string;
  key: KeyPair;
  added: { id: string; title: string };
  updated: { id: string; title: string };
  removed: { id: string };
}

const addedItem = { id: 'aquacore-300-teaser', title: 'AquaCore 300 teaser' };
const updatedItem = { id: 'installation-diagram', title: 'AquaCore installation diagram (2026 edition)' };
const removedItem = { id: 'competitive-comparison' };

/** An illustration that exists in no earlier release, so the plan has bytes to download. */
function teaserSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 540" width="960" height="540" role="img" aria-labelledby="t">
  <title id="t">${addedItem.title}</title>
  <rect width="960" height="540" fill="#e2f3f0"/>
  <rect x="330" y="120" width="300" height="300" rx="28" fill="#0a7c74"/>
  <text x="480" y="300" font-family="sans-serif" font-size="64" font-weight="700" fill="#fff" text-anchor="middle">300</text>
  <text x="480" y="490" font-family="sans-serif" font-size="36" fill="#065f59" text-anchor="middle">Coming this spring</text>
</svg>
`;
}

/**
 * The demo channel's next version: one item added, one retitled, one withdrawn. The release
 * folder starts as a copy of the demo release, so the publisher numbers it one above (5 after 4).
 */
export async function publishNextDemoRelease(workDir: string): Promise<PublishedRelease> {
  const key = await keygen(path.join(workDir, 'key'));
  const source = path.join(workDir, 'source');
  const dir = path.join(workDir, 'release');
  await cp(demoSource, source, { recursive: true });
  await cp(demoRelease, dir, { recursive: true });
  await mkdir(path.join(source, 'images'), { recursive: true });
  await writeFile(path.join(source, 'images', 'aquacore-300-teaser.svg'), teaserSvg());

  const cataloguePath = path.join(source, 'catalogue.yaml');
  const catalogue = parse(await readFile(cataloguePath, 'utf8')) as DemoCatalogue;
  const updated = catalogue.items.find((item) => item.title === 'AquaCore installation diagram');
  if (!updated) throw new Error('The demo catalogue no longer has "AquaCore installation diagram"');
  updated.title = updatedItem.title;
  if (!catalogue.items.some((item) => item.id === removedItem.id))
    throw new Error(`The demo catalogue has no item ${removedItem.id}`);
  catalogue.items = catalogue.items.filter((item) => item.id !== removedItem.id);
  // A prompt about the withdrawn item goes with it, as marketing would have to do.
  if (catalogue.practice) catalogue.practice = catalogue.practice.filter((prompt) => prompt.item !== removedItem.id);
  catalogue.items.push({
    id: addedItem.id,
    file: 'images/aquacore-300-teaser.svg',
    category: 'image',
    title: addedItem.title,
    description: 'A first look at the AquaCore 300, between the compact 200 and the twin-train 500.',
    tags: ['teaser', 'new product'],
    products: ['AquaCore 300'],
    audiences: ['all'],
    collections: ['media'],
    kiosk: true,
  });
  await writeFile(cataloguePath, stringify(catalogue));
  await pitchcase(['publish', source, '--out', dir, '--key', key.privateKey]);
  return { dir, url: pathToFileURL(dir).href, key, added: addedItem, updated: updatedItem, removed: removedItem };
}

/** The parts of the demo catalogue this release changes; the rest is written back as read. */
interface DemoCatalogue {
  items: ({ id: string; title: string } & Record<string, unknown>)[];
  practice?: ({ item?: string } & Record<string, unknown>)[];
}
