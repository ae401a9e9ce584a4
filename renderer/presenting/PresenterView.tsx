/**
 * The rep's side of a presentation with an audience screen: the current page (with the pen),
 * the next page small, the step's notes, the time since the start, "step x of y" and the running
 * order with hidden pages marked. Props only; the Presenter owns the state.
 */
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { AudienceMedia } from '#shared/audience-screen';
import type { ItemDetail } from '#shared/library';
import { useElementSize } from '../ui/useElementSize';
import { AnnotationLayer, type Annotations } from './AnnotationLayer';
import { fitBox } from './audience-sync';
import { progressLabel, step, type DeckSlide, type Position } from './deck';
import { slideKey } from './dwell';
import { SlideContent } from './Slide';
import { contentUrl } from '../library/presentation';
import { PageThumbnail } from '../viewer/pdf/PageThumbnail';

/** The picture for a slide in the running order: its page's thumbnail, else the item's cover or poster. */
function slideThumbnail(slide: DeckSlide, item: ItemDetail | undefined): string | null {
  if (!item) return null;
  const file = (slide.page ? item.pageThumbnails[slide.page - 1] : null) ?? item.thumbnail ?? item.poster;
  return file ? contentUrl(file.sha256) : null;
}

export interface PresenterViewProps {
  slides: readonly DeckSlide[];
  position: Position;
  items: ReadonlyMap<string, ItemDetail>;
  annotations: Annotations;
  pen: boolean;
  black: boolean;
  /** Width / height of the audience's box: the current page is laid out in the same shape. */
  aspect: number;
  startedAt: number;
  stepCount: number;
  /** Where the audience is, in words ("Audience on the second display"). */
  audienceLabel: string;
  onRendered(key: string): void;
  /** The current slide's video was played, paused or sought (the audience follows it). */
  onMedia(state: AudienceMedia): void;
  /** Where the current video starts, asked as it mounts (null: just shown, so from the start). */
  startMedia?: () => AudienceMedia | null;
  /** Silent here while an audience screen plays the video with sound. */
  mediaMuted: boolean;
  onJump(index: number): void;
  onPointerDown(event: ReactPointerEvent<HTMLDivElement>): void;
  onPointerUp(event: ReactPointerEvent<HTMLDivElement>): void;
  onPointerCancel(): void;
}

/** "4:05" or "1:02:09". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const noop = () => {};
const noStart = () => null;

export function PresenterView(props: PresenterViewProps) {
  const { slides, position, items, annotations, pen, black, aspect } = props;
  const currentRef = useRef<HTMLDivElement>(null);
  const nextRef = useRef<HTMLDivElement>(null);
  const currentArea = useElementSize(currentRef);
  const nextArea = useElementSize(nextRef);
  const now = useNow(1000);

  const slide = slides[position.index] ?? null;
  const item = slide ? (items.get(slide.itemId) ?? null) : null;
  const key = slide ? slideKey(slide) : null;
  const nextIndex = step(position, slides.length, 1).index;
  const next = nextIndex !== position.index ? (slides[nextIndex] ?? null) : null;
  const nextItem = next ? (items.get(next.itemId) ?? null) : null;
  // The deck's own speaker notes for this slide, under the rep's step note; never on the audience screen.
  const speakerNotes = slide?.page && item?.pages ? (item.pages[slide.page - 1]?.notes.trim() ?? '') : '';
  const currentBox = fitBox(currentArea, aspect);
  const nextBox = fitBox(nextArea, aspect);
  const currentSize = { width: currentBox.width, height: currentBox.height };

  return (
    <div className="presenter-view" data-testid="presenter-view">
      <header className="presenter-view__bar">
        <span data-testid="presenter-step">{slide ? `Step ${slide.step + 1} of ${props.stepCount}` : 'No step'}</span>
        <span className="presenter-view__muted" data-testid="presenter-view-progress">
          Page {progressLabel(position, slides.length)}
        </span>
        <span className="presenter-view__muted" data-testid="presenter-elapsed" aria-label="Time since the start">
          {formatElapsed(now - props.startedAt)}
        </span>
        <span className="presenter-view__audience">{props.audienceLabel}</span>
      </header>

      <section className="presenter-view__current" aria-label="Current page">
        <div ref={currentRef} className="presenter-view__area">
          {slide && item ? (
            <div
              className="presenter__stage presenter-view__box"
              style={currentBox}
              onPointerDown={props.onPointerDown}
              onPointerUp={props.onPointerUp}
              onPointerCancel={props.onPointerCancel}
            >
              <SlideContent
                key={slide.itemId}
                slide={slide}
                item={item}
                box={currentSize}
                onRendered={props.onRendered}
                onMedia={props.onMedia}
                muted={props.mediaMuted}
                start={props.startMedia ?? noStart}
              />
              {key ? (
                <AnnotationLayer key={key} slideKey={key} annotations={annotations} active={pen} size={currentSize} />
              ) : null}
              {black ? (
                <div className="presenter__black presenter-view__black" data-testid="presenter-black">
                  The screen is black (B to show)
                </div>
              ) : null}
            </div>
          ) : null}
        </div>
      </section>

      <aside className="presenter-view__side">
        <section className="presenter-view__next" aria-label="Next page">
          <h2 className="presenter-view__label">Next</h2>
          <div
            ref={nextRef}
            className="presenter-view__area presenter-view__area--next"
            data-testid="presenter-next"
            data-item-id={next?.itemId ?? ''}
            data-page={next?.page ?? ''}
          >
            {next && nextItem ? (
              <div className="presenter__stage presenter-view__box" style={nextBox}>
                <SlideContent
                  key={next.itemId}
                  slide={next}
                  item={nextItem}
                  box={{ width: nextBox.width, height: nextBox.height }}
                  onRendered={noop}
                />
              </div>
            ) : (
              <p className="presenter-view__muted">End of the pitch</p>
            )}
          </div>
          {next ? (
            <p className="presenter-view__caption">
              {next.title}
              {next.page ? `, p. ${next.page}` : ''}
            </p>
          ) : null}
        </section>
        <section className="presenter-view__notes" aria-label="Notes">
          <h2 className="presenter-view__label">Notes</h2>
          <p data-testid="presenter-notes">
            {slide?.note.trim() ? slide.note : speakerNotes ? '' : 'No notes for this step.'}
          </p>
          {speakerNotes ? (
            <p className="presenter-view__speaker-notes" data-testid="presenter-speaker-notes">
              {speakerNotes}
            </p>
          ) : null}
        </section>
      </aside>

      <ol className="presenter-view__order" aria-label="Running order">
        {slides.map((s, index) => {
          const hidden = position.hidden.has(index);
          const current = index === position.index;
          const item = props.items.get(s.itemId);
          // A page of a release without page thumbnails is drawn from the PDF.
          const drawPage = s.page && item?.kind === 'pdf' && !item.pageThumbnails[s.page - 1] && item.primary;
          const thumb = drawPage ? null : slideThumbnail(s, item);
          return (
            <li key={`${index}:${slideKey(s)}`}>
              <button
                type="button"
                className={`presenter-view__slide${hidden ? ' is-hidden' : ''}${current ? ' is-current' : ''}`}
                data-testid="presenter-order-slide"
                data-hidden={hidden ? 'true' : 'false'}
                aria-current={current ? 'step' : undefined}
                disabled={hidden}
                onClick={() => props.onJump(index)}
              >
                <span className="presenter-view__slide-thumb">
                  {drawPage && item && s.page ? (
                    <PageThumbnail pdf={item.primary} thumbnail={null} page={s.page} width={64} height={48} />
                  ) : thumb ? (
                    <img src={thumb} alt="" loading="lazy" decoding="async" width={96} height={72} draggable={false} />
                  ) : null}
                </span>
                <span className="presenter-view__slide-text">
                  <span className="presenter-view__slide-title">
                    {index + 1}. {s.title}
                  </span>
                  {/* Spaces between the parts, so a screen reader reads "… brochure p. 2", not "brochurep. 2". */}
                  {s.page ? <span className="presenter-view__slide-page"> p. {s.page}</span> : null}
                  {hidden ? <span className="presenter-view__hidden-mark"> hidden</span> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
