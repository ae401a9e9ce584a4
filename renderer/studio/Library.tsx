import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { studioApi, type Item, type ItemEvent, type ItemFields, type Role } from './api.ts';
import { ChannelExtras } from './ChannelExtras.tsx';
import { PracticePrompts } from './PracticePrompts.tsx';
import { Collections } from './Collections.tsx';
import { filesOfDrop, filesOfInput, unitsOf, zipOfSite, type UploadUnit } from './folder-drop.ts';
import { formatBytes, formatWhen, splitList } from './format.ts';
import { useLibraryPages, type LibraryFilter } from './library-pages.ts';

/** Every row is this tall (CSS holds it there), so the list knows where row 19,999 is without drawing it. */
const rowHeight = 64;
const expiringDays = 30;
const resumableFrom = 16 * 1024 * 1024;

interface Upload {
  key: string;
  name: string;
  progress: number;
  error: string | null;
  done: boolean;
}

/** The library: server-side search and paging, uploads with progress, single and bulk edits. */
export function Library({ role, channel }: { role: Role; channel: string }) {
  const canEdit = role === 'admin' || role === 'editor';
  const [filter, setFilter] = useState<LibraryFilter>({ query: '', kind: '' });
  const pages = useLibraryPages(channel, filter);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<Item | null>(null);
  const [history, setHistory] = useState<ItemEvent[]>([]);
  const [expiring, setExpiring] = useState<Item[]>([]);
  const [uploads, setUploads] = useState<Upload[]>([]);

  const loadExpiring = useCallback(
    () => studioApi.expiring(channel, expiringDays).then(setExpiring, () => setExpiring([])),
    [channel],
  );
  useEffect(() => void loadExpiring(), [loadExpiring]);
  const { refresh } = pages;
  const load = useCallback(async () => {
    await Promise.all([refresh(), loadExpiring()]);
  }, [refresh, loadExpiring]);

  const upload = async (units: UploadUnit[]) => {
    // Every row shows at once, so a big folder says up front what it holds.
    const rows = units.map((unit) => ({
      unit,
      key: `${unit.name}-${Math.random()}`,
      name: unit.kind === 'microsite' ? `${unit.name}/ (microsite, ${unit.files.length} files)` : unit.name,
    }));
    setUploads((u) => [...u, ...rows.map(({ key, name }) => ({ key, name, progress: 0, error: null, done: false }))]);
    for (const { unit, key } of rows) {
      const update = (patch: Partial<Upload>) =>
        setUploads((u) => u.map((x) => (x.key === key ? { ...x, ...patch } : x)));
      try {
        const file = unit.kind === 'microsite' ? await zipOfSite(unit) : unit.file;
        // Big files (videos) go in resumable parts; small ones in one request.
        if (file.size > resumableFrom)
          await studioApi.uploadResumable(channel, file, (progress) => update({ progress }));
        else await studioApi.upload(channel, file, (progress) => update({ progress }));
        update({ progress: 1, done: true });
      } catch (e) {
        update({ error: (e as Error).message });
      }
    }
    await load();
  };

  return (
    <section className="studio-section" aria-labelledby="library-title">
      <div className="studio-section__head">
        <h1 id="library-title">Library</h1>
        <input
          type="search"
          className="studio-search"
          aria-label="Search the library"
          placeholder="Search titles, files, tags, products"
          value={filter.query}
          onChange={(e) => setFilter({ ...filter, query: e.target.value })}
        />
        <select
          aria-label="Kind"
          value={filter.kind}
          onChange={(e) => setFilter({ ...filter, kind: e.target.value as LibraryFilter['kind'] })}
        >
          <option value="">All kinds</option>
          <option value="pdf">PDFs</option>
          <option value="image">Images</option>
          <option value="video">Videos</option>
          <option value="microsite">Microsites</option>
        </select>
      </div>
      {canEdit && <UploadZone onUnits={(units) => void upload(units)} uploads={uploads} />}
      <Collections channel={channel} canEdit={canEdit} />
      <ChannelExtras channel={channel} canEdit={canEdit} />
      <PracticePrompts channel={channel} canEdit={canEdit} />
      {expiring.length > 0 && <ExpiringSoon items={expiring} days={expiringDays} onOpen={setEditing} />}
      {canEdit && selected.size > 0 && (
        <BulkEdit
          count={selected.size}
          onApply={async (change) => {
            await studioApi.updateItems(channel, { ids: [...selected], ...change });
            setSelected(new Set());
            await load();
          }}
        />
      )}
      {pages.error && (
        <p role="alert" className="studio-error">
          {pages.error}
        </p>
      )}
      {pages.total !== null && (
        <VirtualItemTable
          channel={channel}
          total={pages.total}
          rowAt={pages.rowAt}
          need={pages.need}
          selectable={canEdit}
          selected={selected}
          onToggle={(id) =>
            setSelected((s) => {
              const next = new Set(s);
              if (next.has(id)) next.delete(id);
              else next.add(id);
              return next;
            })
          }
          onOpen={(item) => {
            setEditing(item);
            setHistory([]);
            void studioApi.history(channel, item.id).then(setHistory, () => setHistory([]));
          }}
        />
      )}
      {editing && (
        <ItemEditor
          item={editing}
          history={history}
          readOnly={!canEdit}
          onClose={() => setEditing(null)}
          onSave={async (fields) => {
            await studioApi.updateItem(channel, editing.id, editing.revision, fields);
            setEditing(null);
            await load();
          }}
          onRemove={async () => {
            await studioApi.removeItem(channel, editing.id);
            setEditing(null);
            await load();
          }}
        />
      )}
    </section>
  );
}

/**
 * The library table for any number of items: only the rows in view (and a few beyond) are in
 * the page; the rest is empty space of the right height, and their blocks are fetched as they
 * scroll into view.
 */
export function VirtualItemTable(props: {
  channel: string;
  total: number;
  rowAt(index: number): Item | null;
  need(first: number, last: number): void;
  selectable: boolean;
  selected: Set<string>;
  onToggle(id: string): void;
  onOpen(item: Item): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    // Before the first layout (and in tests without one) a screenful is assumed.
    initialRect: { width: 1000, height: 640 },
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;
  const { need } = props;
  useEffect(() => {
    if (props.total > 0) need(first, last);
  }, [need, first, last, props.total]);
  const range = virtualizer.range;
  const shownFrom = Math.min(props.total, (range?.startIndex ?? 0) + 1);
  const shownTo = Math.min(props.total, (range?.endIndex ?? 0) + 1);
  return (
    <>
      <div
        ref={scroller}
        className="studio-scroll"
        style={{ height: `min(70vh, ${props.total * rowHeight + 48}px)` }}
        tabIndex={0}
        role="region"
        aria-label="Library items"
      >
        <ItemTable
          channel={props.channel}
          items={rows.map((row) => props.rowAt(row.index))}
          padTop={rows[0]?.start ?? 0}
          padBottom={virtualizer.getTotalSize() - (rows[rows.length - 1]?.end ?? 0)}
          selectable={props.selectable}
          selected={props.selected}
          onToggle={props.onToggle}
          onOpen={props.onOpen}
        />
      </div>
      <div className="studio-pager" aria-live="polite">
        {props.total === 0 ? 'No items' : `Showing ${shownFrom}–${shownTo} of ${props.total}`}
      </div>
    </>
  );
}

export function ItemTable(props: {
  channel: string;
  /** null: a row whose block is still on its way. */
  items: (Item | null)[];
  /** Empty space above and below the rows drawn, standing in for the rows that are not. */
  padTop?: number;
  padBottom?: number;
  selectable: boolean;
  selected: Set<string>;
  onToggle(id: string): void;
  onOpen(item: Item): void;
}) {
  const columns = props.selectable ? 6 : 5;
  return (
    <table className="studio-table studio-table--rows">
      <thead>
        <tr>
          {props.selectable && (
            <th scope="col" className="studio-table__pick">
              <span className="visually-hidden">Select</span>
            </th>
          )}
          <th scope="col" className="studio-table__thumb">
            <span className="visually-hidden">Thumbnail</span>
          </th>
          <th scope="col">Title</th>
          <th scope="col">Kind</th>
          <th scope="col">Tags</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {Boolean(props.padTop) && (
          <tr aria-hidden="true" style={{ height: props.padTop }}>
            <td colSpan={columns} className="studio-table__pad" />
          </tr>
        )}
        {props.items.map((item, i) =>
          item === null ? (
            <tr key={`loading-${i}`} aria-busy="true">
              <td colSpan={columns} className="studio-muted">
                Loading…
              </td>
            </tr>
          ) : (
            <tr key={item.id} data-item-id={item.id}>
              {props.selectable && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${item.title ?? item.fileName}`}
                    checked={props.selected.has(item.id)}
                    onChange={() => props.onToggle(item.id)}
                  />
                </td>
              )}
              <td className="studio-table__thumb">
                {item.thumbnail ? (
                  <img
                    src={`/api/channels/${props.channel}/items/${encodeURIComponent(item.id)}/thumbnail`}
                    alt=""
                    loading="lazy"
                  />
                ) : (
                  <span className="studio-thumb-empty" />
                )}
              </td>
              <td>
                <button type="button" className="studio-link" onClick={() => props.onOpen(item)}>
                  {item.title ?? item.fileName}
                </button>
                {item.title && <div className="studio-muted">{item.fileName}</div>}
              </td>
              <td>
                <span className="badge badge--kind">{item.kind}</span>
              </td>
              <td>{item.tags.join(', ')}</td>
              <td>{formatBytes(item.fileSize)}</td>
            </tr>
          ),
        )}
        {Boolean(props.padBottom) && (
          <tr aria-hidden="true" style={{ height: props.padBottom }}>
            <td colSpan={columns} className="studio-table__pad" />
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function UploadZone({ onUnits, uploads }: { onUnits(units: UploadUnit[]): void; uploads: Upload[] }) {
  const input = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // React does not know webkitdirectory; the attribute is what makes the picker choose folders.
  useEffect(() => folderInput.current?.setAttribute('webkitdirectory', ''), []);
  const picked = (files: FileList | null, element: HTMLInputElement) => {
    if (files) onUnits(unitsOf(filesOfInput(files)));
    // The same folder picked again is a new upload.
    element.value = '';
  };
  return (
    <div
      className={`studio-drop${over ? ' studio-drop--over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        filesOfDrop(e.dataTransfer).then(
          (files) => {
            setError(null);
            onUnits(unitsOf(files));
          },
          (failure: Error) => setError(`The dropped folder could not be read: ${failure.message}`),
        );
      }}
    >
      <p>
        Drop PDFs, images, videos, microsite .zip files or whole folders here (a folder with an index.html becomes a
        microsite), or
      </p>
      <div className="studio-actions">
        <button type="button" className="button button--primary" onClick={() => input.current?.click()}>
          Choose files
        </button>
        <button type="button" className="button" onClick={() => folderInput.current?.click()}>
          Choose a folder
        </button>
      </div>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Files to upload"
        onChange={(e) => picked(e.target.files, e.target)}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        aria-label="Folder to upload"
        onChange={(e) => picked(e.target.files, e.target)}
      />
      {error && (
        <p role="alert" className="studio-error">
          {error}
        </p>
      )}
      {uploads.length > 0 && (
        <ul className="studio-uploads" aria-label="Uploads">
          {uploads.map((u) => (
            <li key={u.key}>
              <span>{u.name}</span>
              {u.error ? (
                <span role="alert" className="studio-error">
                  {u.error}
                </span>
              ) : (
                <progress max={1} value={u.progress} aria-label={`${u.name} uploaded`}>
                  {Math.round(u.progress * 100)}%
                </progress>
              )}
              {u.done && <span className="studio-muted">done</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function BulkEdit({
  count,
  onApply,
}: {
  count: number;
  onApply(change: { addTags: string[]; removeTags: string[]; fields?: ItemFields }): Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const products = splitList(String(form.get('products')));
    try {
      await onApply({
        addTags: splitList(String(form.get('addTags'))),
        removeTags: splitList(String(form.get('removeTags'))),
        ...(products.length ? { fields: { products } } : {}),
      });
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form className="studio-bulk" onSubmit={submit} aria-label="Edit selected items">
      <strong>{count} selected</strong>
      <label>
        Add tags <input name="addTags" placeholder="q3, pricing" />
      </label>
      <label>
        Remove tags <input name="removeTags" />
      </label>
      <label>
        Set products <input name="products" />
      </label>
      <button type="submit" className="button button--primary">
        Apply to {count}
      </button>
      {error && (
        <span role="alert" className="studio-error">
          {error}
        </span>
      )}
    </form>
  );
}

export function ExpiringSoon({ items, days, onOpen }: { items: Item[]; days: number; onOpen(item: Item): void }) {
  return (
    <aside className="studio-bulk" aria-label={`Expiring within ${days} days`}>
      <strong>Expiring within {days} days</strong>
      {items.map((item) => (
        <button key={item.id} type="button" className="studio-link" onClick={() => onOpen(item)}>
          {item.title ?? item.fileName} ({formatWhen(item.validUntil)})
        </button>
      ))}
    </aside>
  );
}

const actionLabels: Record<string, string> = {
  upload: 'File uploaded',
  'item-edited': 'Edited',
  'item-removed': 'Removed',
};

export function ItemEditor(props: {
  item: Item;
  history: ItemEvent[];
  readOnly: boolean;
  onSave(fields: ItemFields): Promise<void>;
  onRemove(): Promise<void>;
  onClose(): void;
}) {
  const { item } = props;
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const date = (name: string) => (text(name) ? new Date(`${text(name)}T00:00:00Z`).toISOString() : null);
    try {
      await props.onSave({
        title: text('title') || null,
        description: text('description'),
        category: text('category') || null,
        tags: splitList(text('tags')),
        products: splitList(text('products')),
        audiences: splitList(text('audiences')),
        collections: splitList(text('collections')),
        validFrom: date('validFrom'),
        validUntil: date('validUntil'),
        kiosk: form.get('kiosk') === 'on',
        shareUrl: text('shareUrl') || null,
      });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="studio-dialog" role="dialog" aria-modal="true" aria-labelledby="edit-title">
      <form className="studio-card studio-card--wide" onSubmit={submit}>
        <h2 id="edit-title">{item.title ?? item.fileName}</h2>
        <p className="studio-muted">
          {item.kind} · {item.fileName} · {formatBytes(item.fileSize)} · revision {item.revision}
        </p>
        <fieldset disabled={props.readOnly} className="studio-fields">
          <label>
            Title{' '}
            <input
              name="title"
              defaultValue={item.title ?? ''}
              placeholder="From the document or file name"
              maxLength={300}
            />
          </label>
          <label>
            Category <input name="category" defaultValue={item.category ?? ''} maxLength={64} />
          </label>
          <label className="studio-fields__wide">
            Description <textarea name="description" defaultValue={item.description} maxLength={4000} rows={3} />
          </label>
          <label>
            Tags <input name="tags" defaultValue={item.tags.join(', ')} />
          </label>
          <label>
            Products <input name="products" defaultValue={item.products.join(', ')} />
          </label>
          <label>
            Audiences <input name="audiences" defaultValue={item.audiences.join(', ')} />
          </label>
          <label>
            Collections <input name="collections" defaultValue={item.collections.join(', ')} />
          </label>
          <label>
            Valid from <input name="validFrom" type="date" defaultValue={item.validFrom?.slice(0, 10) ?? ''} />
          </label>
          <label>
            Valid until <input name="validUntil" type="date" defaultValue={item.validUntil?.slice(0, 10) ?? ''} />
          </label>
          <label>
            Share URL <input name="shareUrl" type="url" defaultValue={item.shareUrl ?? ''} />
          </label>
          <label className="studio-check">
            <input name="kiosk" type="checkbox" defaultChecked={item.kiosk} /> Show on the kiosk
          </label>
        </fieldset>
        {props.history.length > 0 && (
          <details>
            <summary>History ({props.history.length})</summary>
            <ul className="studio-diff">
              {props.history.map((event, i) => (
                <li key={i}>
                  {formatWhen(event.at)} · {actionLabels[event.action] ?? event.action} by {event.by ?? 'someone'}
                  {Array.isArray(event.detail.fields)
                    ? `: ${(event.detail.fields as string[]).join(', ')}`
                    : typeof event.detail.file === 'string'
                      ? `: ${event.detail.file}`
                      : ''}
                </li>
              ))}
            </ul>
          </details>
        )}
        {error && (
          <p role="alert" className="studio-error">
            {error}
          </p>
        )}
        <div className="studio-actions">
          {!props.readOnly && (
            <button
              type="button"
              className="button"
              onClick={() => void props.onRemove().catch((e: Error) => setError(e.message))}
            >
              Remove from draft
            </button>
          )}
          <span className="studio-spacer" />
          <button type="button" className="button" onClick={props.onClose}>
            Close
          </button>
          {!props.readOnly && (
            <button type="submit" className="button button--primary">
              Save
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
