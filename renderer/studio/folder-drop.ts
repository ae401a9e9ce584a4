import { zipSync } from 'fflate';

/**
 * What a drop or a folder pick holds, as Studio uploads it: folders are walked (the
 * FileSystemEntry API of drag and drop, or webkitRelativePath of a folder pick); a folder with
 * an index.html is one microsite (zipped here, checked on the server like any .zip); every other
 * file is an item of its own.
 */
export interface PickedFile {
  /** Path inside the drop, "kit/site/index.html"; a loose file is just its name. */
  path: string;
  file: File;
}

export type UploadUnit =
  { kind: 'file'; name: string; file: File } | { kind: 'microsite'; name: string; files: PickedFile[] };

/** Operating-system litter that is never collateral. */
const ignored = (name: string) => name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);

/** The parts of the FileSystemEntry API a drop gives us (a subset, so tests can stand one in). */
export interface DropEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(resolve: (file: File) => void, reject: (error: unknown) => void): void;
  createReader?(): { readEntries(resolve: (entries: DropEntry[]) => void, reject: (error: unknown) => void): void };
}

async function walk(entry: DropEntry, prefix: string, out: PickedFile[]): Promise<void> {
  if (ignored(entry.name)) return;
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile && entry.file) {
    out.push({ path, file: await new Promise<File>((resolve, reject) => entry.file!(resolve, reject)) });
    return;
  }
  if (!entry.isDirectory || !entry.createReader) return;
  const reader = entry.createReader();
  // readEntries answers in batches (100 in Chromium) until it answers with none.
  for (;;) {
    const batch = await new Promise<DropEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, path, out);
  }
}

/**
 * Everything dropped, folders included. The entries are taken from the items at once, while
 * the drop event lasts: the browser empties the DataTransfer after it.
 */
export async function filesOfDrop(data: {
  items?: ArrayLike<{ kind: string; webkitGetAsEntry(): DropEntry | null; getAsFile(): File | null }>;
  files: ArrayLike<File>;
}): Promise<PickedFile[]> {
  const items = data.items ? Array.from(data.items).filter((i) => i.kind === 'file') : [];
  const entries = items.map((i) => i.webkitGetAsEntry());
  if (items.length === 0 || entries.some((e) => e === null))
    return Array.from(data.files)
      .filter((f) => !ignored(f.name))
      .map((file) => ({ path: file.name, file }));
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry!, '', out);
  return out;
}

/** A folder pick (input webkitdirectory) or a plain file pick. */
export function filesOfInput(files: ArrayLike<File>): PickedFile[] {
  return Array.from(files)
    .map((file) => ({ path: file.webkitRelativePath || file.name, file }))
    .filter((f) => !f.path.split('/').some(ignored));
}

const folderOf = (path: string) => path.split('/').slice(0, -1).join('/');

/** Groups picked files into what becomes an item each: microsite folders and single files. */
export function unitsOf(picked: PickedFile[]): UploadUnit[] {
  const siteRoots = [...new Set(picked.filter((f) => /(^|\/)index\.html?$/i.test(f.path)).map((f) => folderOf(f.path)))]
    // A loose index.html is a page, not a site: a site is a folder.
    .filter((root) => root !== '')
    .sort((a, b) => a.length - b.length);
  // The outermost folder with an index.html is the site; pages below it are part of it.
  const roots = siteRoots.filter((root, i) => !siteRoots.slice(0, i).some((outer) => root.startsWith(`${outer}/`)));
  const units: UploadUnit[] = [];
  const sites = new Map<string, PickedFile[]>();
  for (const f of picked) {
    const root = roots.find((r) => f.path.startsWith(`${r}/`));
    if (root) {
      if (!sites.has(root)) sites.set(root, []);
      sites.get(root)!.push(f);
    } else units.push({ kind: 'file', name: f.file.name, file: f.file });
  }
  for (const [root, files] of sites) units.push({ kind: 'microsite', name: root, files });
  return units;
}

/** A microsite folder as the .zip the server checks and stores, named after the folder. */
export async function zipOfSite(unit: Extract<UploadUnit, { kind: 'microsite' }>): Promise<File> {
  const base = unit.name.split('/').pop() || 'site';
  const entries: Record<string, Uint8Array> = {};
  for (const f of unit.files)
    entries[`${base}/${f.path.slice(unit.name.length + 1)}`] = new Uint8Array(await f.file.arrayBuffer());
  const bytes = zipSync(entries, { level: 6 });
  return new File([bytes as Uint8Array<ArrayBuffer>], `${base}.zip`, { type: 'application/zip' });
}
