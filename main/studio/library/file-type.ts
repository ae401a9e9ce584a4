import path from 'node:path';
import { StudioError } from '../errors.ts';

export type UploadKind = 'pdf' | 'image' | 'video' | 'microsite';

interface Signature {
  kind: UploadKind;
  mime: string;
  extensions: readonly string[];
  matches(head: Buffer): boolean;
}

const ascii = (head: Buffer, offset: number, text: string) =>
  head.subarray(offset, offset + text.length).toString('latin1') === text;

/**
 * The formats the publisher turns into items, recognised by their first bytes. The name's
 * extension must agree with the content: a renamed HTML page is not let in as a "PDF".
 * SVG is left out on purpose: it is a script-capable document, not a picture.
 */
const signatures: readonly Signature[] = [
  { kind: 'pdf', mime: 'application/pdf', extensions: ['.pdf'], matches: (h) => ascii(h, 0, '%PDF-') },
  {
    kind: 'image',
    mime: 'image/png',
    extensions: ['.png'],
    matches: (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    kind: 'image',
    mime: 'image/jpeg',
    extensions: ['.jpg', '.jpeg'],
    matches: (h) => h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  },
  {
    kind: 'image',
    mime: 'image/gif',
    extensions: ['.gif'],
    matches: (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a'),
  },
  {
    kind: 'image',
    mime: 'image/webp',
    extensions: ['.webp'],
    matches: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP'),
  },
  { kind: 'video', mime: 'video/mp4', extensions: ['.mp4', '.m4v'], matches: (h) => ascii(h, 4, 'ftyp') },
  {
    kind: 'video',
    mime: 'video/webm',
    extensions: ['.webm'],
    matches: (h) => h.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])),
  },
  {
    kind: 'microsite',
    mime: 'application/zip',
    extensions: ['.zip'],
    matches: (h) => h.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  },
];

export const acceptedExtensions = signatures.flatMap((s) => s.extensions);

export function recogniseUpload(fileName: string, head: Buffer): { kind: UploadKind; mime: string } {
  const ext = path.extname(fileName).toLowerCase();
  const claimed = signatures.filter((s) => s.extensions.includes(ext));
  if (claimed.length === 0) {
    throw new StudioError(
      'unsupported-type',
      `${fileName}: not a type Studio publishes (${acceptedExtensions.join(', ')}).`,
    );
  }
  const found = claimed.find((s) => s.matches(head));
  if (!found)
    throw new StudioError('unsupported-type', `${fileName}: the content is not a ${ext.slice(1).toUpperCase()} file.`);
  return { kind: found.kind, mime: found.mime };
}
