/**
 * `#/collection/<id>`: a collection's "See all" grid. Holds the sort and filters (kept while the
 * rep opens an item and comes back); the grid below takes props only.
 */
import { useMemo, useState } from 'react';
import type { ItemSummary, LibraryView } from '#shared/library';
import { StateMessage } from '../ui/StateMessage';
import { CollectionGrid } from './CollectionGrid';
import {
  filterChoices,
  newItemIds,
  noFilter,
  sortAndFilter,
  type CollectionFilter,
  type CollectionSort,
  type ShelfRow,
} from './presentation';

export interface CollectionScreenProps {
  id: string;
  library: LibraryView | null;
  /** Every row the home shows (collections, favourites, recently opened). */
  rows: readonly ShelfRow[];
  /** How often each item was opened on this device, for "Most used". */
  opens: ReadonlyMap<string, number>;
  onOpenItem(item: ItemSummary): void;
  onBack(): void;
}

/** Sort and filters live for the session, per collection, so Back from an item finds them again. */
const remembered = new Map<string, { sort: CollectionSort; filter: CollectionFilter }>();

export function CollectionScreen({ id, library, rows, opens, onOpenItem, onBack }: CollectionScreenProps) {
  const row = rows.find((candidate) => candidate.id === id) ?? null;
  const [view, setView] = useState(() => remembered.get(id) ?? { sort: 'new' as CollectionSort, filter: noFilter });
  const update = (next: typeof view) => {
    remembered.set(id, next);
    setView(next);
  };
  const source = row?.items;
  const items = useMemo(
    () => (source ? sortAndFilter(source, view.sort, view.filter, opens) : []),
    [source, view, opens],
  );
  const choices = useMemo(() => filterChoices(source ?? []), [source]);
  const fresh = useMemo(() => (library ? newItemIds(library) : new Set<string>()), [library]);

  if (!row) {
    return (
      <div
        className="collection-screen"
        role="dialog"
        aria-modal="true"
        aria-label="Collection"
        data-testid="collection-screen"
      >
        <StateMessage
          tone="empty"
          title={library ? 'This collection is no longer in the library' : 'Loading the library'}
          testId="collection-missing"
          actions={
            <button type="button" className="button button--primary" onClick={onBack}>
              Back to library
            </button>
          }
        >
          {library ? 'It may have been removed in the latest release.' : null}
        </StateMessage>
      </div>
    );
  }
  return (
    <CollectionGrid
      title={row.title}
      total={row.items.length}
      items={items}
      sort={view.sort}
      filter={view.filter}
      choices={choices}
      newItemIds={fresh}
      onSort={(sort) => update({ ...view, sort })}
      onFilter={(filter) => update({ ...view, filter })}
      onOpenItem={onOpenItem}
      onBack={onBack}
    />
  );
}
