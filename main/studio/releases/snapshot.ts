import type { AttractLoop, GlossaryTerm } from '../library/channel-content.ts';
import type { CatalogueQuiz } from '#shared/quiz';
import type { PracticePrompt } from '../library/practice-prompts.ts';
import type { Collection, ReleaseDiff, StudioItem } from '#shared/studio';

/** What a release contains, frozen when it is submitted: the items and their files. */
export type SnapshotItem = Omit<StudioItem, 'revision' | 'updatedAt'>;

export type SnapshotCollection = Collection;

export interface Snapshot {
  items: SnapshotItem[];
  /** In the order marketing set; absent in releases made before collections were edited in Studio. */
  collections?: SnapshotCollection[];
  glossary?: GlossaryTerm[];
  attract?: AttractLoop | null;
  /** The active quizzes as marketing wrote them; absent in releases made before quizzes. */
  quizzes?: CatalogueQuiz[];
  /** Marketing's practice prompts; absent in releases made before they were written in Studio. */
  practice?: PracticePrompt[];
}

export function snapshotOf(
  items: readonly StudioItem[],
  extra: {
    collections?: readonly SnapshotCollection[];
    glossary?: readonly GlossaryTerm[];
    attract?: AttractLoop | null;
    quizzes?: readonly CatalogueQuiz[];
    practice?: readonly PracticePrompt[];
  } = {},
): Snapshot {
  return {
    items: items.map(({ revision: _r, updatedAt: _u, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id)),
    collections: [...(extra.collections ?? [])],
    glossary: [...(extra.glossary ?? [])],
    attract: extra.attract ?? null,
    quizzes: [...(extra.quizzes ?? [])],
    practice: [...(extra.practice ?? [])],
  };
}

export type { ReleaseDiff } from '#shared/studio';

const metadataKeys = [
  'kind',
  'title',
  'description',
  'category',
  'tags',
  'products',
  'audiences',
  'collections',
  'validFrom',
  'validUntil',
  'kiosk',
  'shareUrl',
  'fileName',
] as const;

const label = (item: SnapshotItem) => item.title ?? item.fileName;

/** What the next release changes against the published one: new, changed and removed items, and bytes. */
export function diffSnapshots(base: Snapshot | null, baseVersion: number | null, draft: Snapshot): ReleaseDiff {
  const before = new Map((base?.items ?? []).map((i) => [i.id, i]));
  const knownFiles = new Set((base?.items ?? []).map((i) => i.fileSha256));
  const diff: ReleaseDiff = {
    baseVersion,
    added: [],
    changed: [],
    removed: [],
    unchanged: 0,
    collectionsChanged: JSON.stringify(base?.collections ?? []) !== JSON.stringify(draft.collections ?? []),
    glossaryChanged: JSON.stringify(base?.glossary ?? []) !== JSON.stringify(draft.glossary ?? []),
    attractChanged: JSON.stringify(base?.attract ?? null) !== JSON.stringify(draft.attract ?? null),
    quizzesChanged: JSON.stringify(base?.quizzes ?? []) !== JSON.stringify(draft.quizzes ?? []),
    practiceChanged: JSON.stringify(base?.practice ?? []) !== JSON.stringify(draft.practice ?? []),
    downloadBytes: 0,
  };
  const counted = new Set<string>();
  const bytesOf = (item: SnapshotItem) => {
    if (knownFiles.has(item.fileSha256) || counted.has(item.fileSha256)) return 0;
    counted.add(item.fileSha256);
    return item.fileSize;
  };
  for (const item of draft.items) {
    const old = before.get(item.id);
    before.delete(item.id);
    if (!old) {
      const bytes = bytesOf(item);
      diff.added.push({ id: item.id, title: label(item), bytes });
      diff.downloadBytes += bytes;
      continue;
    }
    const fields = metadataKeys.filter((k) => JSON.stringify(old[k]) !== JSON.stringify(item[k]));
    const fileChanged = old.fileSha256 !== item.fileSha256;
    if (fields.length === 0 && !fileChanged) {
      diff.unchanged++;
      continue;
    }
    const bytes = fileChanged ? bytesOf(item) : 0;
    diff.changed.push({ id: item.id, title: label(item), fields, fileChanged, bytes });
    diff.downloadBytes += bytes;
  }
  for (const old of before.values()) diff.removed.push({ id: old.id, title: label(old) });
  return diff;
}
