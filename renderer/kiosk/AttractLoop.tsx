/**
 * The booth's screen while nobody is using it: the attract items full-screen, one after the
 * other (pictures edge to edge, the video playing muted, documents as their cover), and an
 * invitation to touch. A tap, click or key anywhere starts a visit.
 */
import { useEffect, useRef, useState } from 'react';
import type { ItemDetail } from '#shared/library';
import { badgeLabel, contentUrl } from '../library/presentation';
import { BrandMark } from '../ui/icons';
import { attractSlide } from './idle';
import { TouchIcon } from './kiosk-icons';

export interface AttractLoopProps {
  /** null while they load. */
  items: ItemDetail[] | null;
  secondsPerItem: number;
  onWake(): void;
}

export function AttractLoop({ items, secondsPerItem, onWake }: AttractLoopProps) {
  const slides = (items ?? []).filter(hasPicture);
  const [startedAt] = useState(() => Date.now());
  const [index, setIndex] = useState(0);
  const count = slides.length;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      const slide = attractSlide(Date.now(), startedAt, count, secondsPerItem);
      setIndex(slide.index);
      if (slide.msToNext !== null) timer = setTimeout(tick, slide.msToNext);
    };
    tick();
    return () => clearTimeout(timer);
  }, [count, secondsPerItem, startedAt]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault();
      onWake();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onWake]);

  const current = slides[index] ?? null;
  return (
    <div
      className="attract"
      data-testid="attract-loop"
      data-slide={current?.id ?? ''}
      role="button"
      tabIndex={0}
      onClick={onWake}
    >
      {slides.map((item, i) => (
        <Slide key={item.id} item={item} current={i === index} />
      ))}
      {count === 0 ? (
        <div className="attract__welcome" aria-hidden="true">
          <BrandMark size={96} />
        </div>
      ) : null}
      <div className="attract__shade" aria-hidden="true" />
      {current ? (
        <p className="attract__caption" aria-hidden="true">
          <span className="attract__caption-kind">{badgeLabel(current)}</span>
          {current.title}
        </p>
      ) : null}
      <div className="attract__cta" data-testid="attract-cta">
        <TouchIcon size={30} />
        Touch to explore
      </div>
      {count > 1 ? (
        <div className="attract__dots" aria-hidden="true">
          {slides.map((item, i) => (
            <span key={item.id} className={i === index ? 'is-current' : undefined} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

function hasPicture(item: ItemDetail): boolean {
  if (item.kind === 'image' || item.kind === 'video') return item.primary !== null;
  return item.thumbnail !== null;
}

function Slide({ item, current }: { item: ItemDetail; current: boolean }) {
  const className = `attract__slide attract__slide--${item.kind}${current ? ' is-current' : ''}`;
  if (item.kind === 'video' && item.primary) {
    return (
      <div className={className} data-testid="attract-slide" data-item-id={item.id} aria-hidden={!current}>
        <LoopVideo
          src={contentUrl(item.primary.sha256)}
          poster={item.poster ? contentUrl(item.poster.sha256) : undefined}
          playing={current}
        />
      </div>
    );
  }
  if (item.kind === 'image' && item.primary) {
    return (
      <div className={className} data-testid="attract-slide" data-item-id={item.id} aria-hidden={!current}>
        <img className="attract__image" src={contentUrl(item.primary.sha256)} alt="" draggable={false} />
      </div>
    );
  }
  // Documents and microsites: their cover, on a soft wash of itself.
  const cover = item.thumbnail ? contentUrl(item.thumbnail.sha256) : '';
  return (
    <div className={className} data-testid="attract-slide" data-item-id={item.id} aria-hidden={!current}>
      <img className="attract__backdrop" src={cover} alt="" draggable={false} />
      <img className="attract__cover" src={cover} alt="" draggable={false} />
    </div>
  );
}

function LoopVideo({ src, poster, playing }: { src: string; poster: string | undefined; playing: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (playing) {
      video.currentTime = 0;
      video.play().catch(() => {
        /* the poster stays; the loop moves on */
      });
    } else {
      video.pause();
    }
  }, [playing]);
  return (
    <video
      ref={ref}
      className="attract__video"
      data-testid="attract-video"
      src={src}
      poster={poster}
      muted
      loop
      playsInline
      preload="auto"
      disablePictureInPicture
      controls={false}
      tabIndex={-1}
    />
  );
}
