/**
 * A wrap-up field with typeahead over the CRM cache on the device (works offline): pick a record
 * and the meeting keeps its CRM id, or keep typing free text (which unlinks it). A combobox in
 * the ARIA sense: arrows move through the suggestions, Enter picks, Escape closes.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { CrmKind, CrmRecord } from '#shared/crm';
import { useCrmSearch } from './queries';
import { cachedLabel, crmRecordDetail } from './wrap-up';

export interface CrmPickerProps {
  label: string;
  kind: CrmKind;
  value: string;
  /** The CRM id of the picked record; null for free text. */
  pickedId: string | null;
  /** Records of this account are suggested first. */
  accountId: string | null;
  disabled?: boolean;
  placeholder?: string;
  autoFocus?: boolean;
  onType(text: string): void;
  onPick(record: CrmRecord): void;
}

const noRecords: CrmRecord[] = [];

/** The container: what was typed asks the CRM cache, and the answer goes to the combobox. */
export function CrmPicker(props: CrmPickerProps) {
  const { kind, accountId } = props;
  const [query, setQuery] = useState<string | null>(null);
  // The cache is local: every keystroke asks it; an older answer never replaces a newer one,
  // and a refilled cache answers again. A failed search lists nothing and says why.
  const found = useCrmSearch(query === null ? null : { kind, query, ...(accountId ? { accountId } : {}), limit: 8 });
  // The last answer stays listed while the next keystroke's answer is on its way.
  const [shown, setShown] = useState<{ records: CrmRecord[]; cachedAt: string | null }>({
    records: noRecords,
    cachedAt: null,
  });
  const { data: answer, error: failed } = found;
  useEffect(() => {
    if (answer) setShown(answer);
    else if (failed) setShown((previous) => ({ records: noRecords, cachedAt: previous.cachedAt }));
  }, [answer, failed]);
  return (
    <CrmCombobox
      {...props}
      query={query}
      onQuery={setQuery}
      records={shown.records}
      cachedAt={shown.cachedAt}
      failure={failed?.message ?? null}
    />
  );
}

export interface CrmComboboxProps extends CrmPickerProps {
  /** What the suggestions are for; null while the list is not asked for. */
  query: string | null;
  onQuery(query: string | null): void;
  records: CrmRecord[];
  /** When the CRM cache was filled; null when it never was. */
  cachedAt: string | null;
  /** Why the cache could not be searched. */
  failure: string | null;
}

/** Props only: the combobox over the suggestions it is given. */
export function CrmCombobox({
  label,
  kind,
  value,
  pickedId,
  disabled,
  placeholder,
  autoFocus,
  onType,
  onPick,
  query,
  onQuery,
  records,
  cachedAt,
  failure,
}: CrmComboboxProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const blurTimer = useRef<number | null>(null);
  // Each answer starts on its first suggestion.
  useEffect(() => setActive(records.length > 0 ? 0 : -1), [records]);

  useEffect(
    () => () => {
      if (blurTimer.current !== null) window.clearTimeout(blurTimer.current);
    },
    [],
  );

  const pick = (record: CrmRecord) => {
    onPick(record);
    setOpen(false);
    onQuery(null);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        onQuery(value);
        return;
      }
      setActive((i) => (records.length ? (i + 1) % records.length : -1));
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      setActive((i) => (records.length ? (i - 1 + records.length) % records.length : -1));
    } else if (event.key === 'Enter' && open && active >= 0 && records[active]) {
      // Enter picks instead of submitting the form.
      event.preventDefault();
      pick(records[active]);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  const showList = open && query !== null && !disabled;
  return (
    <div className="field crm-picker" data-testid={`crm-picker-${kind}`} data-picked-id={pickedId ?? ''}>
      <label className="field__label" htmlFor={`${id}-input`}>
        {label}
      </label>
      <div className="crm-picker__box">
        <input
          id={`${id}-input`}
          className="field__input"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={showList}
          aria-controls={listId}
          aria-activedescendant={showList && active >= 0 ? `${id}-opt-${active}` : undefined}
          aria-describedby={pickedId ? `${id}-linked` : undefined}
          value={value}
          placeholder={placeholder}
          disabled={disabled}
          autoComplete="off"
          autoFocus={autoFocus}
          onChange={(e) => {
            onType(e.target.value);
            onQuery(e.target.value);
            setOpen(true);
          }}
          onFocus={() => {
            onQuery(value);
            setOpen(true);
          }}
          // A tap on a suggestion blurs the input first: close only after it has been handled.
          onBlur={() => {
            blurTimer.current = window.setTimeout(() => setOpen(false), 150);
          }}
          onKeyDown={onKeyDown}
        />
        {pickedId ? (
          <span id={`${id}-linked`} className="crm-picker__linked" data-testid="crm-linked">
            In CRM
          </span>
        ) : null}
      </div>
      {showList ? (
        <div className="crm-picker__popup">
          <ul id={listId} role="listbox" aria-label={`${label} from CRM`} className="crm-picker__list">
            {records.map((record, index) => (
              <li
                key={record.id}
                id={`${id}-opt-${index}`}
                role="option"
                aria-selected={index === active}
                className="crm-picker__option"
                data-testid="crm-option"
                data-crm-id={record.id}
                onPointerDown={(e) => e.preventDefault()}
                onClick={() => pick(record)}
              >
                <span className="crm-picker__name">{record.name}</span>
                <span className="crm-picker__detail">{crmRecordDetail(record)}</span>
              </li>
            ))}
          </ul>
          <p className="crm-picker__note" data-testid="crm-cached">
            {failure
              ? `The CRM cache could not be searched (${failure}): what you type is kept.`
              : records.length === 0 && !cachedAt
                ? 'No CRM records on this device yet: what you type is kept as typed.'
                : records.length === 0 && value.trim()
                  ? `No match in the CRM cache (${cachedLabel(cachedAt, Date.now())}): what you typed is kept.`
                  : cachedLabel(cachedAt, Date.now())}
          </p>
        </div>
      ) : null}
    </div>
  );
}
