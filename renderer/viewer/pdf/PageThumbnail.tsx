/**
 * A page's picture in a list (the pitch builder's page picker, the presenter's running order).
 * A release made before page thumbnails were dropped still has one per page and it is shown as
 * is; otherwise the page is drawn here from the PDF the device already holds, once the tile
 * scrolls into view. One list's tiles share one opened document.
 */
import { useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { FileRef } from '#shared/library';
import { contentUrl } from '../../library/presentation';
import { isCancelled, openPdf, presentCanvas, renderPage } from './pdfjs';

const opened = new Map<string, { users: number; doc: Promise<PDFDocumentProxy>; dispose(): void }>();

/** The document at `url`, opened once however many tiles draw from it; closed with the last. */
function borrowPdf(url: string): { doc: Promise<PDFDocumentProxy>; release(): void } {
  let entry = opened.get(url);
  if (!entry) {
    let dispose = () => {};
    const doc = openPdf(url, () => undefined).then((pdf) => {
      dispose = pdf.dispose;
      return pdf.task.promise;
    });
    const created = { users: 0, doc, dispose: () => dispose() };
    // A document that will not open is not kept: the next tile tries again.
    doc.catch(() => opened.get(url) === created && opened.delete(url));
    opened.set(url, created);
    entry = created;
  }
  entry.users++;
  const held = entry;
  let released = false;
  return {
    doc: held.doc,
    release() {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      if (opened.get(url) === held) opened.delete(url);
      void held.doc.then(
        () => held.dispose(),
        () => undefined,
      );
    },
  };
}

export interface PageThumbnailProps {
  /** The PDF itself. */
  pdf: FileRef | null;
  /** The release's own thumbnail of this page, in releases that carry them. */
  thumbnail: FileRef | null;
  page: number;
  /** The box the picture fits in, CSS pixels. */
  width: number;
  height: number;
}

export function PageThumbnail({ pdf, thumbnail, page, width, height }: PageThumbnailProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const [drawn, setDrawn] = useState(false);
  const url = !thumbnail && pdf ? contentUrl(pdf.sha256) : null;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!url || visible || !canvas || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
    });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, [url, visible]);

  useEffect(() => {
    if (!url || !visible) return;
    let live = true;
    let cancel: (() => void) | null = null;
    const borrowed = borrowPdf(url);
    borrowed.doc
      .then((doc) => doc.getPage(page))
      .then((proxy) => {
        if (!live) return;
        const base = proxy.getViewport({ scale: 1 });
        const scale = Math.min(width / base.width, height / base.height);
        const { task, canvas } = renderPage(proxy, base.width * scale, Math.min(2, window.devicePixelRatio || 1));
        cancel = () => task.cancel();
        return task.promise.then(() => {
          if (!live || !canvasRef.current) return;
          presentCanvas(canvasRef.current, canvas);
          setDrawn(true);
        });
      })
      .catch((error: unknown) => {
        // A page that cannot be drawn stays a blank tile; the page can still be chosen.
        if (!isCancelled(error)) cancel = null;
      });
    return () => {
      live = false;
      cancel?.();
      borrowed.release();
    };
  }, [url, visible, page, width, height]);

  if (thumbnail)
    return <img src={contentUrl(thumbnail.sha256)} alt="" loading="lazy" decoding="async" draggable={false} />;
  return (
    <canvas
      ref={canvasRef}
      width={3}
      height={4}
      className={`page-thumbnail${drawn ? ' is-drawn' : ''}`}
      data-testid="page-thumbnail-canvas"
      aria-hidden="true"
    />
  );
}
