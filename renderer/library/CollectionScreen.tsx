/**
 * `#/collection/<id>`: a collection's "See all" grid. Holds the sort and filters (kept while the
 * rep opens an item and comes back) and asks the core for the pages the grid draws; the grid
 * below takes props only.
 */
import { useMemo, useState } from 'react';
import type { ItemSummary, LibraryHome } from '#shared/library';
import { StateMessage } from '../ui/StateMessage';
import { CollectionGrid } from './CollectionGrid';
import { noFilter, type CollectionFilter, type CollectionSort } from './presentation';
import { useShelfFacets, useShelfPages } from './queries';

export interface CollectionScreenProps {
  id: string;
  /** The home's summary: the shelf's title and size, and the "seen" release; null while loading. */
  home: LibraryHome | null;
  onOpenItem(item: ItemSummary): void;
  onBack(): void;
}

/** Sort and filters live for the session, per collection, so Back from an item finds them again. */
const remembered = new Map<string, { sort: CollectionSort; filter: CollectionFilter }>();

const noChoices = { kinds: [], products: [], tags: [] };

export function CollectionScreen({ id, home, onOpenItem, onBack }: CollectionScreenProps) {
  const shelf = home?.shelves.find((candidate) => candidate.id === id) ?? null;
  const [view, setView] = useState(() => remembered.get(id) ?? { sort: 'new' as CollectionSort, filter: noFilter });
  const update = (next: typeof view) => {
    remembered.set(id, next);
    setView(next);
  };
  const pages = useShelfPages(id, view.sort, view.filter);
  const facets = useShelfFacets(id);
  const failure = useMemo(
    () => (pages.error ? { message: pages.error.message, retry: pages.retry } : null),
    [pages.error, pages.retry],
  );

  if (!shelf) {
    return (
      <div
        className="screen-frame collection-screen"
        role="dialog"
        aria-modal="true"
        aria-label="Collection"
        data-testid="collection-screen"
      >
        <StateMessage
          tone="empty"
          title={home ? 'This collection is no longer in the library' : 'Loading the library'}
          testId="collection-missing"
          actions={
            <button type="button" className="button button--primary" onClick={onBack}>
              Back to library
            </button>
          }
        >
          {home ? 'It may have been removed in the latest release.' : null}
        </StateMessage>
      </div>
    );
  }
  return (
    <CollectionGrid
      title={shelf.title}
      total={facets.data?.total ?? shelf.count}
      count={pages.total}
      itemAt={pages.itemAt}
      onRange={pages.want}
      failure={failure}
      sort={view.sort}
      filter={view.filter}
      choices={facets.data ?? noChoices}
      lastSeenVersion={home?.lastSeenVersion ?? null}
      onSort={(sort) => update({ ...view, sort })}
      onFilter={(filter) => update({ ...view, filter })}
      onOpenItem={onOpenItem}
      onBack={onBack}
    />
  );
}
