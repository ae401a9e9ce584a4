import type { ItemSummary } from '#shared/library';
import { ItemCard } from './ItemCard';
import type { ShelfRow } from './presentation';

export interface CollectionRowProps {
  row: ShelfRow;
  newItemIds: ReadonlySet<string>;
  onOpenItem(item: ItemSummary): void;
}

export function CollectionRow({ row, newItemIds, onOpenItem }: CollectionRowProps) {
  const headingId = `collection-${row.id}`;
  return (
    <section className="collection-row" data-testid="collection-row" data-collection-id={row.id} aria-labelledby={headingId}>
      <header className="collection-row__header">
        <h2 id={headingId} className="collection-row__title">
          {row.title}
          <span className="collection-row__count">{row.items.length}</span>
        </h2>
        {row.description ? <p className="collection-row__description">{row.description}</p> : null}
      </header>
      <ul className="collection-row__shelf" role="list">
        {row.items.map((item) => (
          <li key={item.id} className="collection-row__slot">
            <ItemCard item={item} isNew={newItemIds.has(item.id)} onOpen={onOpenItem} />
          </li>
        ))}
      </ul>
    </section>
  );
}
