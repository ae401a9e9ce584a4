/**
 * "Export": where the CSV goes on a kiosk without a file dialog, props only. The drives found on
 * the machine (a USB stick, mostly) as big choices with their free space, or a folder typed;
 * the folder used last is chosen first. The core checks the folder and writes all or nothing.
 */
import { useId, useState } from 'react';
import type { ExportFolders } from '#shared/kiosk';
import { freeLine } from './staff';

export interface StaffExportProps {
  /** null while the drives are being looked for. */
  folders: ExportFolders | null;
  /** What will be exported ("3 leads of today at Brau Beviale"). */
  what: string;
  pending: boolean;
  onExport(folder: string): void;
  onRescan(): void;
  onClose(): void;
}

const TYPED = '\u0000typed';

export function StaffExport({ folders, what, pending, onExport, onRescan, onClose }: StaffExportProps) {
  const id = useId();
  const volumes = folders?.volumes ?? [];
  const last = folders?.last ?? null;
  const lastIsVolume = last !== null && volumes.some((v) => v.path === last);
  const [choice, setChoice] = useState<string | null>(null);
  const [typed, setTyped] = useState<string | null>(null);
  // Until staff pick: the folder used last, else the first drive that takes files.
  const chosen =
    choice ??
    (last !== null
      ? lastIsVolume
        ? last
        : TYPED
      : (volumes.find((v) => v.writable)?.path ?? (folders ? TYPED : null)));
  const typedValue = typed ?? (last !== null && !lastIsVolume ? last : '');
  const folder = chosen === TYPED ? typedValue.trim() : chosen;

  return (
    <section className="staff-export" aria-labelledby={`${id}-title`} data-testid="staff-export-panel">
      <div className="staff-export__head">
        <h2 className="staff-section__title" id={`${id}-title`}>
          Export {what}
        </h2>
        <button type="button" className="kiosk-button kiosk-button--quiet" onClick={onClose}>
          Close
        </button>
      </div>
      {folders === null ? (
        <p className="staff-screen__note" role="status">
          Looking for USB drives…
        </p>
      ) : (
        <fieldset className="staff-export__choices">
          <legend className="lead-field__label">Save to</legend>
          {volumes.length === 0 ? (
            <p className="staff-screen__note" data-testid="staff-export-no-drives">
              No USB drive found. Plug one in and look again, or type a folder.
            </p>
          ) : null}
          {volumes.map((v) => (
            <label
              key={v.path}
              className={`staff-export__choice${chosen === v.path ? ' is-on' : ''}`}
              data-testid="staff-export-volume"
            >
              <input
                type="radio"
                name={`${id}-folder`}
                value={v.path}
                checked={chosen === v.path}
                disabled={!v.writable}
                onChange={() => setChoice(v.path)}
              />
              <span className="staff-export__label">{v.label}</span>
              <span className="staff-export__detail">
                {v.path} · {v.writable ? freeLine(v.freeBytes) : 'read-only'}
              </span>
            </label>
          ))}
          <label className={`staff-export__choice${chosen === TYPED ? ' is-on' : ''}`}>
            <input
              type="radio"
              name={`${id}-folder`}
              value="typed"
              data-testid="staff-export-typed-choice"
              checked={chosen === TYPED}
              onChange={() => setChoice(TYPED)}
            />
            <span className="staff-export__label">Another folder</span>
          </label>
          {chosen === TYPED ? (
            <label className="lead-field">
              <span className="lead-field__label">Folder (full path)</span>
              <input
                className="lead-input"
                type="text"
                spellCheck={false}
                autoComplete="off"
                placeholder="E:\ or /media/usb"
                data-testid="staff-export-folder"
                value={typedValue}
                onChange={(e) => setTyped(e.target.value)}
              />
            </label>
          ) : null}
        </fieldset>
      )}
      <div className="staff-screen__actions">
        <button
          type="button"
          className="kiosk-button kiosk-button--primary"
          data-testid="staff-export-save"
          disabled={pending || !folder}
          onClick={() => folder && onExport(folder)}
        >
          {pending ? 'Exporting…' : 'Export CSV'}
        </button>
        <button type="button" className="kiosk-button kiosk-button--quiet" onClick={onRescan}>
          Look for drives again
        </button>
      </div>
    </section>
  );
}
