import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { GlossaryEntry } from '#shared/library';
import type { ContentResponse } from './response.ts';
import { fileResponse, textResponse } from './serve.ts';

/**
 * The glossary inside microsites. Every HTML page of a microsite is served with one extra tag,
 * `<script defer src="/<item>/__pitchcase/glossary.js">`, and that path answers with our script
 * (built from renderer/glossary/microsite) wrapped around the release's glossary. The script
 * comes from the site origin, so the site CSP's `script-src 'self'` already covers it and
 * nothing is loosened. The path is answered before the microsite's own files are looked up, so
 * a microsite cannot ship a file there; and the stored blob is never changed, only the bytes
 * sent. Both shells serve microsites through core, so both behave the same.
 */
export const SITE_GLOSSARY_PATH = '__pitchcase/glossary.js';

/** The built in-frame script's name in the renderer build (renderer/vite.config.ts). */
export const SITE_GLOSSARY_SCRIPT_FILE = 'microsite-glossary.js';

/** How much of a page is read to find where the tag can go (after a doctype and comments). */
const PROLOGUE_BYTES = 64 * 1024;

export interface SiteGlossary {
  /**
   * The script for `<item>/__pitchcase/glossary.js`, with `entries` inside it, and in the kiosk
   * profile the frame's lock-down too (see SiteFrameOptions).
   */
  script(entries: readonly GlossaryEntry[], frame?: SiteFrameOptions): ContentResponse;
  /** A microsite page with the script tag added; non-HTML files are served as they are. */
  page(
    filePath: string,
    mime: string,
    range: string | null | undefined,
    itemId: string,
    headers: Record<string, string>,
    withGlossary: boolean,
  ): ContentResponse;
}

/**
 * What the in-frame script does besides the glossary. `kiosk`: a Ctrl/Shift/Cmd or middle click
 * on a link opens nothing. A plain Chromium (the browser host) opens such a click in a new tab
 * despite the frame's sandbox, and the app cannot see input inside a cross-origin frame, so the
 * frame itself must refuse it; Electron refuses every new window anyway (setWindowOpenHandler).
 */
export interface SiteFrameOptions {
  kiosk: boolean;
}

export interface SiteGlossaryOptions {
  /** The built in-frame script; when it is missing, pages are served untouched. */
  scriptFile: string;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export function isHtml(mime: string): boolean {
  return /^text\/html\s*(;|$)/i.test(mime);
}

/**
 * Where in a page the tag can go without changing how the page is read: after a byte order
 * mark, white space, comments, an XML prologue and the doctype, so the page keeps its standards
 * mode and our tag is never swallowed by an unclosed element at its end. Null: leave it alone
 * (UTF-16 or -32, where an ASCII tag would be garbage, or a prologue we cannot see the end of).
 */
export function tagOffset(prologue: Buffer, mime: string): number | null {
  if (/charset\s*=\s*"?utf-(16|32)/i.test(mime)) return null;
  if ((prologue[0] === 0xff && prologue[1] === 0xfe) || (prologue[0] === 0xfe && prologue[1] === 0xff)) return null;
  // latin1 keeps one character per byte, so offsets in the string are offsets in the file.
  const text = prologue.toString('latin1');
  let at = text.startsWith('\xef\xbb\xbf') ? 3 : 0;
  let afterDoctype = at;
  for (;;) {
    while (at < text.length && /[\t\n\f\r ]/.test(text[at]!)) at += 1;
    const rest = text.slice(at, at + 9).toLowerCase();
    let end: number;
    if (rest.startsWith('<!--')) {
      end = text.indexOf('-->', at + 4);
      if (end === -1) return null;
      end += 3;
    } else if (rest.startsWith('<!doctype') || rest.startsWith('<?')) {
      end = text.indexOf('>', at);
      if (end === -1) return null;
      end += 1;
    } else {
      return afterDoctype;
    }
    at = end;
    afterDoctype = end;
  }
}

function readPrologue(filePath: string, size: number): Buffer {
  const fd = openSync(filePath, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size, PROLOGUE_BYTES));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

async function* spliced(filePath: string, offset: number, tag: Buffer): AsyncGenerator<Buffer> {
  if (offset > 0)
    for await (const chunk of createReadStream(filePath, { start: 0, end: offset - 1 })) yield chunk as Buffer;
  yield tag;
  for await (const chunk of createReadStream(filePath, { start: offset })) yield chunk as Buffer;
}

export function createSiteGlossary(options: SiteGlossaryOptions): SiteGlossary {
  let cached: { mtimeMs: number; text: string } | null = null;
  let warned = false;

  /** The built script, re-read when it changes (a rebuild while the host runs). */
  function builtScript(): string | null {
    try {
      const { mtimeMs } = statSync(options.scriptFile);
      if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, text: readFileSync(options.scriptFile, 'utf8') };
      return cached.text;
    } catch (error) {
      if (!warned)
        options.warn('microsite glossary script missing: microsites are served without it', {
          file: options.scriptFile,
          reason: (error as Error).message,
        });
      warned = true;
      return null;
    }
  }

  return {
    script(entries, frame = { kiosk: false }) {
      const built = builtScript();
      if (!built) return textResponse(404, 'Not part of this microsite');
      const data = entries.map(({ id, term, definition, aliases }) => ({ id, term, definition, aliases }));
      // JSON is a JavaScript expression; this is a .js response, never parsed as HTML.
      const body = Buffer.from(
        `(function (pitchcaseGlossary, pitchcaseFrame) {\n${built}\n})(${JSON.stringify(data)}, ${JSON.stringify({ kiosk: frame.kiosk === true })});\n`,
        'utf8',
      );
      return {
        status: 200,
        headers: {
          'Content-Type': 'text/javascript; charset=utf-8',
          'Content-Length': String(body.length),
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-cache',
        },
        body: Readable.from([body]),
      };
    },

    page(filePath, mime, range, itemId, headers, withGlossary) {
      if (!withGlossary || !isHtml(mime) || !builtScript()) return fileResponse(filePath, mime, range, headers);
      let size: number;
      let offset: number | null;
      try {
        size = statSync(filePath).size;
        offset = tagOffset(readPrologue(filePath, size), mime);
      } catch {
        return fileResponse(filePath, mime, range, headers);
      }
      if (offset === null) return fileResponse(filePath, mime, range, headers);
      const tag = Buffer.from(
        `<script defer src="/${encodeURIComponent(itemId)}/${SITE_GLOSSARY_PATH}"></script>`,
        'latin1',
      );
      // A page is always sent whole (RFC 9110 lets a server ignore Range): its bytes differ
      // from the stored file's, so ranges of it would not line up.
      return {
        status: 200,
        headers: {
          ...headers,
          'Content-Type': mime,
          'Content-Length': String(size + tag.length),
          'Accept-Ranges': 'none',
          'X-Content-Type-Options': 'nosniff',
        },
        body: Readable.from(spliced(filePath, offset, tag)),
      };
    },
  };
}
