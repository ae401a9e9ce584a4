import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { PageIndex, type PageIndexData } from './page-index.ts';

/**
 * The search index on disk: one file, loaded with a single read and viewed in place as typed
 * arrays (no parsing of postings), so a 100,000-page library is searchable within a second of
 * start. A header names the library revision it was built for; a checksum over everything
 * catches a torn or damaged file. Either mismatch means "rebuild", never "trust".
 *
 * Layout: "PCSX" | u32 format | u32 crc32(rest) | u32 headerLength | header JSON | pad | blocks
 */
const MAGIC = 0x58534350; // "PCSX" little-endian
/** 2: terms are stems, with their most common written form beside them. */
export const SNAPSHOT_FORMAT = 2;

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array;
type ArrayKind = 'u8' | 'u16' | 'u32' | 'i32';

interface BlockRef {
  kind: ArrayKind;
  offset: number;
  length: number;
}

interface SegmentHeader {
  items: string[];
  arrays: Record<string, BlockRef>;
}

interface Header {
  key: string;
  segments: SegmentHeader[];
  extra: BlockRef | null;
}

export interface Snapshot {
  key: string;
  segments: PageIndex[];
  /** Free-form JSON the engine stores beside the segments (the metadata index). */
  extra: string | null;
}

const kindOf = (a: TypedArray): ArrayKind =>
  a instanceof Uint8Array ? 'u8' : a instanceof Uint16Array ? 'u16' : a instanceof Uint32Array ? 'u32' : 'i32';

function flatten(data: PageIndexData): Record<string, TypedArray> {
  const v = data.vocabulary;
  return {
    chars: v.chars,
    termStart: v.termStart,
    nodeChar: v.nodeChar,
    nodeFirstChild: v.nodeFirstChild,
    nodeNextSibling: v.nodeNextSibling,
    nodeTerm: v.nodeTerm,
    nodeLo: v.nodeLo,
    nodeHi: v.nodeHi,
    postStart: data.postStart,
    postPage: data.postPage,
    postTf: data.postTf,
    pageItem: data.pageItem,
    pageNumber: data.pageNumber,
    pageLength: data.pageLength,
    surfaceChars: data.surfaceChars,
    surfaceStart: data.surfaceStart,
  };
}

const align8 = (n: number) => (n + 7) & ~7;

export function writeSnapshot(file: string, snapshot: Snapshot): number {
  const blocks: Uint8Array[] = [];
  let cursor = 0;
  const place = (bytes: Uint8Array): { offset: number; length: number } => {
    const offset = cursor;
    blocks.push(bytes);
    cursor = align8(cursor + bytes.byteLength);
    return { offset, length: bytes.byteLength };
  };
  const segments: SegmentHeader[] = snapshot.segments.map((segment) => {
    const arrays: Record<string, BlockRef> = {};
    for (const [name, array] of Object.entries(flatten(segment.data))) {
      const { offset } = place(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      arrays[name] = { kind: kindOf(array), offset, length: array.length };
    }
    return { items: segment.items, arrays };
  });
  let extra: BlockRef | null = null;
  if (snapshot.extra !== null) {
    const bytes = Buffer.from(snapshot.extra, 'utf8');
    extra = { kind: 'u8', offset: place(bytes).offset, length: bytes.length };
  }
  const headerBytes = Buffer.from(JSON.stringify({ key: snapshot.key, segments, extra } satisfies Header), 'utf8');
  const dataStart = align8(16 + headerBytes.length);
  const total = dataStart + cursor;
  const out = Buffer.alloc(total);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(SNAPSHOT_FORMAT, 4);
  out.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(out, 16);
  let at = 0;
  for (const block of blocks) {
    out.set(block, dataStart + at);
    at = align8(at + block.byteLength);
  }
  out.writeUInt32LE(crc32(out.subarray(12)), 8);
  // Write beside, fsync, rename: a crash leaves the old snapshot or the new one.
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, out);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return total;
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

function view(buffer: Buffer, dataStart: number, ref: BlockRef): TypedArray {
  const byteOffset = buffer.byteOffset + dataStart + ref.offset;
  const Ctor = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array }[ref.kind];
  const bytes = ref.length * Ctor.BYTES_PER_ELEMENT;
  if (dataStart + ref.offset + bytes > buffer.length) throw new SnapshotError('block outside the file');
  if (byteOffset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(buffer.buffer as ArrayBuffer, byteOffset, ref.length);
  // Unaligned (a pooled Buffer): copy once rather than fail.
  return new Ctor(new Uint8Array(buffer.subarray(dataStart + ref.offset, dataStart + ref.offset + bytes)).buffer);
}

/**
 * Reads a snapshot, or throws SnapshotError when it is damaged or (with an expected key) built
 * for another library revision.
 */
export function readSnapshot(file: string, expectedKey: string | null): Snapshot {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch {
    throw new SnapshotError('no snapshot');
  }
  if (buffer.length < 16 || buffer.readUInt32LE(0) !== MAGIC) throw new SnapshotError('not a search snapshot');
  if (buffer.readUInt32LE(4) !== SNAPSHOT_FORMAT)
    throw new SnapshotError(`snapshot format ${buffer.readUInt32LE(4)} is not ${SNAPSHOT_FORMAT}`);
  if (crc32(buffer.subarray(12)) !== buffer.readUInt32LE(8)) throw new SnapshotError('snapshot checksum mismatch');
  const headerLength = buffer.readUInt32LE(12);
  let header: Header;
  try {
    header = JSON.parse(buffer.toString('utf8', 16, 16 + headerLength)) as Header;
  } catch {
    throw new SnapshotError('snapshot header unreadable');
  }
  if (expectedKey !== null && header.key !== expectedKey)
    throw new SnapshotError('snapshot is for another library revision');
  const dataStart = align8(16 + headerLength);
  const segments = header.segments.map((segment) => {
    const a = (name: string) => {
      const ref = segment.arrays[name];
      if (!ref) throw new SnapshotError(`snapshot lacks ${name}`);
      return view(buffer, dataStart, ref);
    };
    return new PageIndex({
      vocabulary: {
        chars: a('chars') as Uint16Array,
        termStart: a('termStart') as Uint32Array,
        nodeChar: a('nodeChar') as Uint16Array,
        nodeFirstChild: a('nodeFirstChild') as Int32Array,
        nodeNextSibling: a('nodeNextSibling') as Int32Array,
        nodeTerm: a('nodeTerm') as Int32Array,
        nodeLo: a('nodeLo') as Uint32Array,
        nodeHi: a('nodeHi') as Uint32Array,
      },
      postStart: a('postStart') as Uint32Array,
      postPage: a('postPage') as Uint32Array,
      postTf: a('postTf') as Uint8Array,
      pageItem: a('pageItem') as Uint32Array,
      pageNumber: a('pageNumber') as Uint32Array,
      pageLength: a('pageLength') as Uint16Array,
      surfaceChars: a('surfaceChars') as Uint16Array,
      surfaceStart: a('surfaceStart') as Uint32Array,
      items: segment.items,
    });
  });
  const extra = header.extra ? Buffer.from(view(buffer, dataStart, header.extra) as Uint8Array).toString('utf8') : null;
  return { key: header.key, segments, extra };
}
