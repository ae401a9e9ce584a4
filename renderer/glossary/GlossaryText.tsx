/**
 * Running text (a search snippet, an item description) with the glossary's terms underlined;
 * a tap, a click or Enter on one shows its definition in a small popover next to it. The tap
 * is the term's own: it never reaches the result row the text sits in.
 */
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
  type SyntheticEvent,
} from 'react';
import { createPortal } from 'react-dom';
import type { GlossaryEntry } from '#shared/library';
import { BookIcon, CloseIcon } from '../ui/icons';
import { termSegments, type GlossaryLookup } from './term-text';

export interface GlossaryTextProps {
  text: string;
  /** Search highlights, [start, end) in `text`. */
  highlights?: readonly (readonly [number, number])[];
  glossary: GlossaryLookup | null;
}

export function GlossaryText({ text, highlights = [], glossary }: GlossaryTextProps) {
  return (
    <>
      {termSegments(text, highlights, glossary).map((segment, index) => {
        const runs = segment.parts.map((part, at) =>
          part.marked ? <mark key={at}>{part.text}</mark> : <span key={at}>{part.text}</span>,
        );
        const entry = segment.entryId ? glossary?.entries.get(segment.entryId) : undefined;
        return entry ? (
          <GlossaryTerm key={index} entry={entry}>
            {runs}
          </GlossaryTerm>
        ) : (
          <span key={index}>{runs}</span>
        );
      })}
    </>
  );
}

// One definition open at a time: opening a term closes the one before it.
let closeOpenTerm: (() => void) | null = null;

// The popover is portalled, but React still bubbles its events to the result row it came from.
const stop = (event: SyntheticEvent) => event.stopPropagation();

function GlossaryTerm({ entry, children }: { entry: GlossaryEntry; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  // Opened from the keyboard: the focus goes into the popover and comes back on close.
  const byKeyboard = useRef(false);
  const popoverId = useId();

  const close = useCallback(() => {
    setOpen(false);
    if (byKeyboard.current) buttonRef.current?.focus();
    byKeyboard.current = false;
  }, []);

  useEffect(() => {
    if (!open) return;
    if (closeOpenTerm && closeOpenTerm !== close) closeOpenTerm();
    closeOpenTerm = close;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      // Escape closes the definition only, not the search it was opened from.
      event.preventDefault();
      event.stopPropagation();
      close();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (target && (popoverRef.current?.contains(target) || buttonRef.current?.contains(target))) return;
      close();
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', onPointer, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', onPointer, true);
      if (closeOpenTerm === close) closeOpenTerm = null;
    };
  }, [open, close]);

  // Placed under the term (above it when there is no room), inside the window.
  useLayoutEffect(() => {
    const popover = popoverRef.current;
    const button = buttonRef.current;
    if (!open || !popover || !button) return;
    if (!popover.matches(':popover-open')) popover.showPopover();
    const place = () => {
      const anchor = button.getBoundingClientRect();
      const box = popover.getBoundingClientRect();
      const margin = 12;
      const left = Math.min(Math.max(margin, anchor.left), window.innerWidth - box.width - margin);
      const below = anchor.bottom + 8;
      const top =
        below + box.height + margin <= window.innerHeight ? below : Math.max(margin, anchor.top - 8 - box.height);
      popover.style.left = `${Math.max(margin, left)}px`;
      popover.style.top = `${top}px`;
    };
    place();
    if (byKeyboard.current) popover.querySelector<HTMLElement>('button')?.focus();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [open]);

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="glossary-term"
        data-testid="glossary-term"
        data-entry-id={entry.id}
        aria-expanded={open}
        aria-controls={open ? popoverId : undefined}
        aria-haspopup="dialog"
        onClick={(event) => {
          event.stopPropagation();
          event.preventDefault();
          // A keyboard "click" (Enter, Space) has no pointer position.
          byKeyboard.current = event.detail === 0;
          if (open) close();
          else setOpen(true);
        }}
        onKeyDown={(event) => {
          // Enter and Space belong to the term, not to the result list around it.
          if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
        }}
      >
        {children}
      </button>
      {open
        ? createPortal(
            <div
              ref={popoverRef}
              id={popoverId}
              popover="manual"
              role="dialog"
              aria-labelledby={`${popoverId}-term`}
              className="glossary-popover"
              data-testid="glossary-popover"
              data-entry-id={entry.id}
              onClick={stop}
              onKeyDown={stop}
            >
              <div className="glossary-popover__header">
                <span className="glossary-popover__eyebrow">
                  <BookIcon size={14} /> Definition
                </span>
                <button
                  type="button"
                  className="icon-button glossary-popover__close"
                  aria-label="Close definition"
                  data-testid="glossary-popover-close"
                  onClick={close}
                >
                  <CloseIcon size={18} />
                </button>
              </div>
              <h3 id={`${popoverId}-term`} className="glossary-popover__term">
                {entry.term}
              </h3>
              <p className="glossary-popover__definition" data-testid="glossary-popover-definition">
                {entry.definition}
              </p>
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
