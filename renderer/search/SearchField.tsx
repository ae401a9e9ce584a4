import type { KeyboardEvent, Ref } from 'react';
import { CloseIcon, SearchIcon } from '../ui/icons';

export interface SearchFieldProps {
  value: string;
  expanded: boolean;
  /** Id of the result the keyboard is on, for screen readers (the focus stays in the field). */
  activeId: string | null;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  onChange(value: string): void;
  onFocus(): void;
  onKeyDown(event: KeyboardEvent<HTMLInputElement>): void;
  onClear(): void;
}

export const searchResultsId = 'search-results';

/** The search box: a combobox over the results panel, with a clear button once it has text. */
export function SearchField({
  value,
  expanded,
  activeId,
  inputRef,
  autoFocus,
  onChange,
  onFocus,
  onKeyDown,
  onClear,
}: SearchFieldProps) {
  return (
    <div className={`search-field${value ? ' search-field--filled' : ''}`}>
      <SearchIcon size={20} className="search-field__icon" />
      <input
        ref={inputRef}
        className="search-field__input"
        data-testid="search-input"
        type="search"
        enterKeyHint="search"
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        spellCheck={false}
        autoFocus={autoFocus}
        placeholder="Search titles, pages, products, definitions…"
        aria-label="Search the library"
        role="combobox"
        aria-autocomplete="list"
        aria-haspopup="grid"
        aria-expanded={expanded}
        aria-controls={searchResultsId}
        aria-activedescendant={activeId ?? undefined}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onFocus={onFocus}
        onKeyDown={onKeyDown}
      />
      {value ? (
        <button
          type="button"
          className="search-field__clear"
          aria-label="Clear search"
          data-testid="search-clear"
          onClick={onClear}
        >
          <CloseIcon size={18} />
        </button>
      ) : (
        <kbd className="search-field__hint" aria-hidden="true">
          /
        </kbd>
      )}
    </div>
  );
}
