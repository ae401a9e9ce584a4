import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  filesOfDrop,
  filesOfInput,
  unitsOf,
  zipOfSite,
  type DropEntry,
  type PickedFile,
} from '../../renderer/studio/folder-drop.ts';

/**
 * Folder drops as Studio's UI reads them: the entry tree of a drop walked (in batches, as
 * Chromium hands them out), a folder pick read from webkitRelativePath, folders with an
 * index.html made into one microsite .zip each, everything else an item of its own.
 */
const file = (name: string, text = name) => new File([text], name);

function folder(name: string, children: DropEntry[], batch = 2): DropEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader() {
      let at = 0;
      return {
        readEntries(resolve) {
          resolve(children.slice(at, at + batch));
          at += batch;
        },
      };
    },
  };
}
const entry = (name: string): DropEntry => ({
  isFile: true,
  isDirectory: false,
  name,
  file: (resolve) => resolve(file(name)),
});

describe('folder drop', () => {
  it('walks dropped folders in batches, skipping system litter', async () => {
    const tree = folder('kit', [
      entry('price-list.pdf'),
      entry('.DS_Store'),
      folder('site', [entry('index.html'), entry('style.css'), folder('img', [entry('logo.png')])]),
      entry('Thumbs.db'),
      entry('demo.mp4'),
    ]);
    const dropped = await filesOfDrop({
      items: [{ kind: 'file', webkitGetAsEntry: () => tree, getAsFile: () => null }],
      files: [],
    });
    expect(dropped.map((f) => f.path).sort()).toEqual([
      'kit/demo.mp4',
      'kit/price-list.pdf',
      'kit/site/img/logo.png',
      'kit/site/index.html',
      'kit/site/style.css',
    ]);
  });

  it('falls back to the plain file list where the browser gives no entries', async () => {
    const dropped = await filesOfDrop({ files: [file('a.pdf'), file('.hidden')] });
    expect(dropped.map((f) => f.path)).toEqual(['a.pdf']);
  });

  it('reads a folder pick by relative path', () => {
    const picked = filesOfInput([
      Object.assign(file('index.html'), { webkitRelativePath: 'site/index.html' }),
      Object.assign(file('x'), { webkitRelativePath: 'site/.git/x' }),
    ]);
    expect(picked.map((f) => f.path)).toEqual(['site/index.html']);
  });

  it('makes one microsite of the outermost folder with an index.html, and an item of every other file', async () => {
    const picked: PickedFile[] = [
      'kit/price-list.pdf',
      'kit/site/index.html',
      'kit/site/style.css',
      'kit/site/more/index.html',
      'kit/index-notes/readme.pdf',
      'index.html',
    ].map((path) => ({ path, file: file(path.split('/').pop()!, path) }));
    const units = unitsOf(picked);
    expect(units.map((u) => (u.kind === 'microsite' ? `site:${u.name}:${u.files.length}` : `file:${u.name}`))).toEqual([
      'file:price-list.pdf',
      'file:readme.pdf',
      'file:index.html',
      'site:kit/site:3',
    ]);
    const site = units.find((u) => u.kind === 'microsite')!;
    if (site.kind !== 'microsite') throw new Error('no site');
    const zip = await zipOfSite(site);
    expect(zip.name).toBe('site.zip');
    const inside = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(inside).sort()).toEqual(['site/index.html', 'site/more/index.html', 'site/style.css']);
    expect(new TextDecoder().decode(inside['site/index.html'])).toBe('kit/site/index.html');
  });
});
