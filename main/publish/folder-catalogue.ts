import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { catalogue as catalogueSchema, PublishError, readCatalogue, type Catalogue } from './catalogue.ts';
import { isOfficeFile } from './convert/documents.ts';
import { convertedImageExtensions } from './convert/image.ts';
import { audioExtensions, convertedVideoExtensions } from './convert/media.ts';

const catalogueNames = ['catalogue.yaml', 'catalogue.yml', 'catalogue.json'];

/** Every file the publisher presents as it is or converts: a folder of decks and recordings publishes as it stands. */
function publishable(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return (
    /^\.(pdf|png|jpe?g|webp|gif|svg|webm|mp4)$/.test(ext) ||
    isOfficeFile(name) ||
    convertedVideoExtensions.has(ext) ||
    audioExtensions.has(ext) ||
    convertedImageExtensions.has(ext)
  );
}

function slug(rel: string): string {
  return (
    rel
      .toLowerCase()
      .replace(/\.[^./]+$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'item'
  );
}

/**
 * The folder's catalogue, or, when it has none, one made from the folder itself: every PDF,
 * Office or OpenDocument file, image, video and recording becomes an item (its title from the document's metadata or its file name, as
 * the publisher does for any item without one), and every folder with an index.html a microsite.
 * Marketing can start from a plain folder and add a catalogue when it wants more.
 */
export async function readCatalogueOrFolder(sourceDir: string): Promise<Catalogue> {
  if (catalogueNames.some((name) => existsSync(path.join(sourceDir, name))))
    return (await readCatalogue(sourceDir)).catalogue;
  const items: { id: string; file?: string; site?: string }[] = [];
  const ids = new Set<string>();
  const add = (entry: { file?: string; site?: string }, rel: string) => {
    let id = slug(rel);
    for (let n = 2; ids.has(id); n++) id = `${slug(rel)}-${n}`;
    ids.add(id);
    items.push({ id, ...entry });
  };
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(path.join(sourceDir, rel), { withFileTypes: true }))
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (rel && entries.some((e) => e.isFile() && e.name === 'index.html')) {
      add({ site: rel }, rel);
      return;
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && publishable(entry.name)) add({ file: child }, child);
    }
  };
  await walk('');
  if (items.length === 0)
    throw new PublishError(
      `${sourceDir}: no catalogue.yaml, and no PDF, Office document, image, video, audio or microsite folder to publish`,
    );
  return catalogueSchema.parse({ items });
}
