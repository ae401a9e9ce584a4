import type { GlossaryEntry, ItemSummary, LibraryView } from '#shared/library';
import { CollectionRow } from './CollectionRow';
import { GlossarySection } from './GlossarySection';
import { librarySummary, newItemIds, shelfRows } from './presentation';
import { StateMessage } from '../ui/StateMessage';

export interface LibraryHomeProps {
  library: LibraryView;
  /** Items new or changed since the rep last looked (the core's count); null until known. */
  newSinceSeen?: number | null;
  /** "Mark as seen": clears the badges; undefined hides the button. */
  onMarkSeen?: () => void;
  onOpenItem(item: ItemSummary): void;
  onOpenEntry(entry: GlossaryEntry): void;
}

export function LibraryHome({ library, newSinceSeen = null, onMarkSeen, onOpenItem, onOpenEntry }: LibraryHomeProps) {
  const rows = shelfRows(library);
  const fresh = newItemIds(library);
  const newCount = newSinceSeen ?? fresh.size;
  if (rows.length === 0 && library.glossary.length === 0) {
    return (
      <StateMessage tone="empty" title="No collateral on this device yet" testId="library-empty">
        {library.release
          ? 'The current release has no items you can open here. Newer content appears as soon as it is published and synced.'
          : 'Once a library release is installed, its brochures, decks and videos appear here and stay available offline.'}
      </StateMessage>
    );
  }
  return (
    <div className="library-home">
      <div className="library-intro">
        <div className="library-intro__heading">
          <h1 className="library-intro__title">Library</h1>
          {newCount > 0 ? (
            <span className="badge badge--new library-intro__new" data-testid="new-since-seen" aria-label={`${newCount} new or updated since you last looked`}>
              {newCount} new
            </span>
          ) : null}
          {newCount > 0 && onMarkSeen ? (
            <button type="button" className="button button--quiet library-intro__seen" data-testid="mark-seen" onClick={onMarkSeen}>
              Mark as seen
            </button>
          ) : null}
        </div>
        <p className="library-intro__summary">{librarySummary(library)}</p>
      </div>
      {rows.map((row) => (
        <CollectionRow key={row.id} row={row} newItemIds={fresh} onOpenItem={onOpenItem} />
      ))}
      <GlossarySection entries={library.glossary} onOpenEntry={onOpenEntry} />
    </div>
  );
}

/** Placeholder rows in the shape of the real ones, shown for the moment the library loads. */
export function LibrarySkeleton() {
  return (
    <div className="library-home library-home--loading" aria-busy="true" aria-label="Loading the library">
      {[0, 1].map((row) => (
        <div key={row} className="collection-row">
          <div className="skeleton skeleton--heading" />
          <div className="collection-row__shelf">
            {[0, 1, 2, 3, 4].map((card) => (
              <div key={card} className="collection-row__slot">
                <div className="skeleton skeleton--card" />
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
