import { useEffect, useRef } from 'react';
import type { GlossaryEntry } from '#shared/library';
import { BookIcon, CloseIcon } from '../ui/icons';

export interface GlossaryDialogProps {
  /** Null when the route names a term the current release does not have. */
  entry: GlossaryEntry | null;
  onClose(): void;
}

/** One shared definition, as a modal sheet over the library. */
export function GlossaryDialog({ entry, onClose }: GlossaryDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="glossary-dialog"
      data-testid="glossary-dialog"
      aria-labelledby="glossary-dialog-term"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A tap on the dimmed backdrop (the dialog element itself, outside the sheet) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="glossary-dialog__sheet">
        <header className="glossary-dialog__header">
          <span className="glossary-dialog__eyebrow">
            <BookIcon size={16} /> Shared definition
          </span>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            data-testid="glossary-close"
            onClick={onClose}
          >
            <CloseIcon />
          </button>
        </header>
        {entry ? (
          <>
            <h2 id="glossary-dialog-term" className="glossary-dialog__term">
              {entry.term}
            </h2>
            <p className="glossary-dialog__definition">{entry.definition}</p>
            {entry.aliases.length > 0 ? (
              <p className="glossary-dialog__aliases">
                <span>Also called</span>
                {entry.aliases.map((alias) => (
                  <span key={alias} className="badge badge--kind">
                    {alias}
                  </span>
                ))}
              </p>
            ) : null}
          </>
        ) : (
          <h2 id="glossary-dialog-term" className="glossary-dialog__term">
            This definition is not in the current release
          </h2>
        )}
      </div>
    </dialog>
  );
}
