import { useEffect, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { openPdf } from './pdfjs';

export type PdfDocumentState =
  | { status: 'loading'; progress: number | null }
  | { status: 'ready'; doc: PDFDocumentProxy }
  | { status: 'error'; message: string };

/** Opens the document at `url`; destroys it (and any pending load) when the viewer goes away. */
export function usePdfDocument(url: string, attempt: number): PdfDocumentState {
  const [state, setState] = useState<PdfDocumentState>({ status: 'loading', progress: null });

  useEffect(() => {
    let disposed = false;
    let destroy: (() => void) | null = null;
    setState({ status: 'loading', progress: null });

    // A local file that has not opened in this time is not going to; say so instead of spinning.
    const deadline = setTimeout(() => {
      if (!disposed) setState({ status: 'error', message: 'The document took too long to open.' });
      destroy?.();
    }, 30_000);

    openPdf(url, (progress) => {
      if (!disposed)
        setState((previous) => (previous.status === 'loading' ? { status: 'loading', progress } : previous));
    })
      .then((opened) => {
        destroy = opened.dispose;
        if (disposed) {
          destroy();
          return null;
        }
        return opened.task.promise;
      })
      .then(
        (doc) => {
          clearTimeout(deadline);
          if (doc && !disposed) setState({ status: 'ready', doc });
        },
        (error: unknown) => {
          clearTimeout(deadline);
          if (disposed) return;
          const message = error instanceof Error ? error.message : String(error);
          setState({ status: 'error', message });
        },
      );

    return () => {
      disposed = true;
      clearTimeout(deadline);
      destroy?.();
    };
  }, [url, attempt]);

  return state;
}
