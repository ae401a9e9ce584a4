import type { GlossaryEntry } from '#shared/library';
import { BookIcon } from '../ui/icons';

export interface GlossarySectionProps {
  entries: GlossaryEntry[];
  onOpenEntry(entry: GlossaryEntry): void;
}

/** "Shared definitions": the words sales and marketing agreed on, one tap from any meeting. */
export function GlossarySection({ entries, onOpenEntry }: GlossarySectionProps) {
  if (entries.length === 0) return null;
  return (
    <section className="glossary-section" aria-labelledby="glossary-heading">
      <header className="collection-row__header">
        <h2 id="glossary-heading" className="collection-row__title">
          Shared definitions
          <span className="collection-row__count">{entries.length}</span>
        </h2>
        <p className="collection-row__description">The terms sales and marketing use the same way.</p>
      </header>
      <ul className="glossary-grid" role="list">
        {entries.map((entry) => (
          <li key={entry.id}>
            <button
              type="button"
              className="glossary-card"
              data-testid="glossary-entry"
              data-entry-id={entry.id}
              onClick={() => onOpenEntry(entry)}
            >
              <span className="glossary-card__term">
                <BookIcon size={18} />
                {entry.term}
              </span>
              <span className="glossary-card__definition">{entry.definition}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
