import { createHash } from 'node:crypto';
import path from 'node:path/posix';
import { unzipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';

/**
 * What a presentation says about its slides beyond the pictures LibreOffice draws: the slide's
 * own id, whether it is hidden, its title and the speaker's notes. Read from the PowerPoint XML
 * (fflate unzips, fast-xml-parser reads the parts); other presentation formats get identities
 * from their page text alone.
 */
export interface SlideFacts {
  /** PowerPoint's `p:sldId id`, unique within the file and kept by PowerPoint across edits. */
  slideId: string | null;
  hidden: boolean;
  title: string;
  notes: string;
  /** The slide's own words, for a content fingerprint. */
  text: string;
}

/** Parts bigger than this are not slides a person wrote; refuse rather than inflate a zip bomb. */
const MAX_PART_BYTES = 32 * 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: false,
  preserveOrder: true,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
});

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function children(node: Node): Node[] {
  for (const [key, value] of Object.entries(node)) if (key !== ':@' && Array.isArray(value)) return value as Node[];
  return [];
}
/** The element's local name: `p:sldId` and `sldId` are the same element to us. */
function tag(node: Node): string {
  const name = Object.keys(node).find((k) => k !== ':@') ?? '';
  return name.slice(name.indexOf(':') + 1);
}
function attr(node: Node, name: string): string | undefined {
  return node[':@']?.[`@${name}`];
}
function* walk(nodes: Node[]): Generator<Node> {
  for (const node of nodes) {
    yield node;
    yield* walk(children(node));
  }
}

/** Paragraphs of a shape (or a whole part), as lines. */
function paragraphs(nodes: Node[]): string[] {
  const lines: string[] = [];
  for (const node of walk(nodes)) {
    if (tag(node) !== 'p') continue;
    let line = '';
    for (const inner of walk(children(node))) {
      if (tag(inner) === 't')
        line += children(inner)
          .map((c) => String(c['#text'] ?? ''))
          .join('');
      else if (tag(inner) === 'br') line += ' ';
    }
    if (line.trim()) lines.push(line.trim());
  }
  return lines;
}

/** The placeholder type of a shape (`title`, `ctrTitle`, `body`…) or null. */
function placeholder(shape: Node): string | null {
  for (const node of walk(children(shape))) if (tag(node) === 'ph') return attr(node, 'type') ?? 'body';
  return null;
}

function shapes(nodes: Node[]): Node[] {
  return [...walk(nodes)].filter((n) => tag(n) === 'sp');
}

export class PresentationReadError extends Error {}

/**
 * The slides of a .pptx/.ppsx in presentation order. Throws PresentationReadError when the file
 * is not a readable PowerPoint package.
 */
export function readPptxSlides(data: Uint8Array): SlideFacts[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data, {
      filter: (file) => {
        if (file.originalSize > MAX_PART_BYTES)
          throw new PresentationReadError(`${file.name} is ${file.originalSize} bytes unpacked`);
        return file.name.endsWith('.xml') || file.name.endsWith('.rels');
      },
    });
  } catch (error) {
    if (error instanceof PresentationReadError) throw error;
    throw new PresentationReadError(`not a PowerPoint package (${(error as Error).message})`);
  }
  const xml = (name: string): Node[] | null => {
    const bytes = files[name];
    return bytes ? (parser.parse(new TextDecoder().decode(bytes)) as Node[]) : null;
  };
  const rels = (part: string): Map<string, string> => {
    const dir = path.dirname(part);
    const relsXml = xml(path.join(dir, '_rels', `${path.basename(part)}.rels`)) ?? [];
    const map = new Map<string, string>();
    for (const node of walk(relsXml)) {
      const id = attr(node, 'Id');
      const target = attr(node, 'Target');
      if (tag(node) === 'Relationship' && id && target)
        map.set(id, target.startsWith('/') ? target.slice(1) : path.normalize(path.join(dir, target)));
    }
    return map;
  };
  const presentation = xml('ppt/presentation.xml');
  if (!presentation) throw new PresentationReadError('not a PowerPoint package (no ppt/presentation.xml)');
  const presentationRels = rels('ppt/presentation.xml');
  const slides: SlideFacts[] = [];
  for (const node of walk(presentation)) {
    if (tag(node) !== 'sldId') continue;
    const target = presentationRels.get(attr(node, 'r:id') ?? '');
    const slide = target ? xml(target) : null;
    if (!target || !slide) throw new PresentationReadError(`slide ${slides.length + 1} is listed but missing`);
    const root = slide.find((n) => tag(n) === 'sld');
    const shapeList = shapes(slide);
    const titleShape = shapeList.find((s) => ['title', 'ctrTitle'].includes(placeholder(s) ?? ''));
    const lines = paragraphs(slide);
    const notesPart = [...rels(target).values()].find((t) => /notesSlides\/[^/]+\.xml$/.test(t));
    const notesXml = notesPart ? xml(notesPart) : null;
    // The notes page also holds the slide image and a page number; the notes are its body placeholder.
    const notes = notesXml
      ? shapes(notesXml)
          .filter((s) => placeholder(s) === 'body')
          .flatMap((s) => paragraphs(children(s)))
          .join('\n')
      : '';
    slides.push({
      slideId: attr(node, 'id') ?? null,
      hidden: root ? attr(root, 'show') === '0' || attr(root, 'show') === 'false' : false,
      title: (titleShape ? paragraphs(children(titleShape)).join(' ') : (lines[0] ?? '')).slice(0, 300),
      notes,
      text: lines.join('\n'),
    });
  }
  return slides;
}

/** A slide's identity from its words: equal text, equal fingerprint, whichever tool saved it. */
export function fingerprint(text: string): string {
  const normal = text.toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(normal).digest('hex').slice(0, 16);
}
