import { createHash } from 'node:crypto';
import path from 'node:path/posix';
import { unzipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';

/**
 * What a presentation says about its slides beyond the pictures LibreOffice draws: the slide's
 * own id, whether it is hidden, its title and the speaker's notes. Read from the PowerPoint XML
 * or the OpenDocument content (fflate unzips, fast-xml-parser reads the parts); .ppt and .key
 * reach us as the OpenDocument LibreOffice makes of them.
 */
export interface SlideFacts {
  /**
   * PowerPoint's `p:sldId id`, unique within the file and kept by PowerPoint across edits; null
   * for OpenDocument, whose page names LibreOffice renumbers by position on every save.
   */
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

/** The XML parts of a zip package, each bounded in size. */
function unzipParts(data: Uint8Array, what: string, wanted: (name: string) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(data, {
      filter: (file) => {
        if (!wanted(file.name)) return false;
        if (file.originalSize > MAX_PART_BYTES)
          throw new PresentationReadError(`${file.name} is ${file.originalSize} bytes unpacked`);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof PresentationReadError) throw error;
    throw new PresentationReadError(`not ${what} (${(error as Error).message})`);
  }
}

/**
 * The slides of a .pptx/.ppsx in presentation order. Throws PresentationReadError when the file
 * is not a readable PowerPoint package.
 */
export function readPptxSlides(data: Uint8Array): SlideFacts[] {
  const files = unzipParts(data, 'a PowerPoint package', (name) => name.endsWith('.xml') || name.endsWith('.rels'));
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

/** The text of an OpenDocument paragraph, with its spaces, tabs and line breaks. */
function odfParagraph(nodes: Node[]): string {
  let line = '';
  for (const node of nodes) {
    if ('#text' in node) line += String(node['#text']);
    else if (tag(node) === 's') line += ' '.repeat(Number(attr(node, 'text:c') ?? 1) || 1);
    else if (tag(node) === 'tab' || tag(node) === 'line-break') line += ' ';
    // Fields (page numbers, dates) show LibreOffice's placeholder text, not the slide's words.
    else if (!['page-number', 'date', 'time', 'note'].includes(tag(node))) line += odfParagraph(children(node));
  }
  return line;
}

/** Paragraphs (text:p and text:h) under the nodes, as lines, skipping subtrees `skip` names. */
function odfLines(nodes: Node[], skip: (node: Node) => boolean = () => false): string[] {
  const lines: string[] = [];
  for (const node of nodes) {
    if (skip(node)) continue;
    if (tag(node) === 'p' || tag(node) === 'h') {
      const line = odfParagraph(children(node)).replace(/\s+/g, ' ').trim();
      if (line) lines.push(line);
    } else lines.push(...odfLines(children(node), skip));
  }
  return lines;
}

/** Placeholders that LibreOffice fills itself on every slide: not the slide's own words. */
const odfFurniture = new Set(['page-number', 'footer', 'header', 'date-time']);

/**
 * The slides of an OpenDocument presentation (content.xml) in order. Hidden slides carry
 * `presentation:visibility="hidden"` in their drawing-page style; the notes are the notes page's
 * `notes` frame; the title is the `title` frame, or the first line when the slide has none.
 */
export function readOdpSlides(data: Uint8Array): SlideFacts[] {
  const files = unzipParts(data, 'an OpenDocument presentation', (name) => name === 'content.xml');
  const content = files['content.xml'];
  if (!content) throw new PresentationReadError('not an OpenDocument presentation (no content.xml)');
  const root = parser.parse(new TextDecoder().decode(content)) as Node[];
  const hiddenStyles = new Set<string>();
  for (const node of walk(root)) {
    if (tag(node) !== 'style' || attr(node, 'style:family') !== 'drawing-page') continue;
    const props = children(node).find((c) => tag(c) === 'drawing-page-properties');
    if (props && attr(props, 'presentation:visibility') === 'hidden') hiddenStyles.add(attr(node, 'style:name') ?? '');
  }
  const presentation = [...walk(root)].find((n) => tag(n) === 'presentation' && children(n).length > 0);
  if (!presentation) throw new PresentationReadError('not an OpenDocument presentation (no office:presentation)');
  const slides: SlideFacts[] = [];
  for (const page of children(presentation)) {
    if (tag(page) !== 'page') continue;
    const isNotes = (n: Node) => tag(n) === 'notes';
    const isFurniture = (n: Node) => odfFurniture.has(attr(n, 'presentation:class') ?? '');
    const lines = odfLines(children(page), (n) => isNotes(n) || isFurniture(n));
    const titleFrame = [...walk(children(page))].find((n) => attr(n, 'presentation:class') === 'title');
    const notesPage = children(page).find(isNotes);
    const notes = notesPage
      ? [...walk(children(notesPage))]
          .filter((n) => attr(n, 'presentation:class') === 'notes')
          .flatMap((n) => odfLines(children(n)))
          .join('\n')
      : '';
    const title = titleFrame ? odfLines(children(titleFrame)).join(' ') : (lines[0] ?? '');
    slides.push({
      slideId: null,
      hidden: hiddenStyles.has(attr(page, 'draw:style-name') ?? ''),
      title: title.slice(0, 300),
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
