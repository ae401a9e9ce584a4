/**
 * One slide's content, sized to a box: a PDF page, an image, a video or a microsite. The rep's
 * stage, the presenter view (current and next page) and the audience screen all show slides
 * through this, so the audience sees exactly what the rep would.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AudienceMedia } from '#shared/audience-screen';
import type { ItemDetail } from '#shared/library';
import { contentUrl } from '../library/presentation';
import { StateMessage } from '../ui/StateMessage';
import { PdfPage } from '../viewer/pdf/PdfPage';
import { usePdfDocument } from '../viewer/pdf/usePdfDocument';
import type { DeckSlide } from './deck';
import { slideKey } from './dwell';

export interface SlideContentProps {
  slide: Pick<DeckSlide, 'itemId' | 'page'>;
  item: ItemDetail;
  box: { width: number; height: number };
  onRendered(key: string): void;
  /** The rep's screen: a video tells when it is played, paused or sought. */
  onMedia?(state: AudienceMedia): void;
  /** The rep's copy of a video is silent while an audience screen plays it with sound. */
  muted?: boolean;
  /** The audience screen: its video follows this (no controls of its own); null, stays put. */
  follow?: AudienceMedia | null;
  /**
   * The rep's live copy: where a video starts, asked as it mounts — as soon as its step is shown
   * (null), or where the rep left it when the other view takes over (the last play state). Asked
   * then, not passed as a value: the copy that goes says where it was in that same moment.
   */
  start?: () => AudienceMedia | null;
}

export function SlideContent({ slide, item, box, onRendered, onMedia, muted, follow, start }: SlideContentProps) {
  const key = slideKey(slide);
  switch (item.kind) {
    case 'pdf':
      return item.primary ? (
        <PdfSlide
          url={contentUrl(item.primary.sha256)}
          page={slide.page ?? 1}
          box={box}
          slideKey={key}
          onRendered={onRendered}
        />
      ) : (
        <Missing title={item.title} />
      );
    case 'image':
      return item.primary ? (
        <img
          className="presenter__media"
          src={contentUrl(item.primary.sha256)}
          alt={item.description || item.title}
          draggable={false}
          onLoad={() => onRendered(key)}
        />
      ) : (
        <Missing title={item.title} />
      );
    case 'video':
      return item.primary ? (
        <VideoSlide
          src={contentUrl(item.primary.sha256)}
          poster={item.poster ? contentUrl(item.poster.sha256) : undefined}
          onLoaded={() => onRendered(key)}
          onMedia={onMedia}
          muted={muted ?? false}
          follow={follow}
          start={start}
        />
      ) : (
        <Missing title={item.title} />
      );
    case 'audio':
      // The cover for the audience; the rep plays the recording from the presenter's own controls.
      return item.primary ? (
        <div className="presenter__media presenter__audio" data-testid="slide-audio">
          {(item.poster ?? item.thumbnail) ? (
            <img
              className="presenter__media"
              src={contentUrl((item.poster ?? item.thumbnail)!.sha256)}
              alt=""
              draggable={false}
            />
          ) : (
            <p>{item.title}</p>
          )}
          <audio
            src={contentUrl(item.primary.sha256)}
            controls
            preload="auto"
            muted={muted ?? false}
            onLoadedMetadata={() => onRendered(key)}
          />
        </div>
      ) : (
        <Missing title={item.title} />
      );
    case 'microsite':
      // Same sandbox as the viewer: scripts, but no same-origin rights, popups or navigation.
      return item.siteUrl ? (
        <iframe
          className="presenter__site"
          title={item.title}
          src={item.siteUrl}
          sandbox="allow-scripts"
          referrerPolicy="no-referrer"
          allow=""
          onLoad={() => onRendered(key)}
        />
      ) : (
        <Missing title={item.title} />
      );
  }
}

/** A drift this large (seconds) while both play is corrected by a seek; less is left alone. */
const MAX_DRIFT_S = 0.5;

function VideoSlide(props: {
  src: string;
  poster: string | undefined;
  onLoaded(): void;
  onMedia: ((state: AudienceMedia) => void) | undefined;
  muted: boolean;
  follow: AudienceMedia | null | undefined;
  start: (() => AudienceMedia | null) | undefined;
}) {
  const { onMedia, follow } = props;
  const ref = useRef<HTMLVideoElement>(null);
  /** The browser refused to start it with sound: a large play control stands in for a dead frame. */
  const [refused, setRefused] = useState(false);
  const report = () => {
    const video = ref.current;
    if (video && onMedia) onMedia({ playing: !video.paused && !video.ended, at: video.currentTime });
  };
  const playing = follow?.playing;
  const at = follow?.at;
  useEffect(() => {
    const video = ref.current;
    if (!video || playing === undefined || at === undefined) return;
    if (!playing || Math.abs(video.currentTime - at) > MAX_DRIFT_S) video.currentTime = at;
    if (playing && video.paused) {
      // No sound without a gesture in this window (a browser's autoplay rule): play silent then.
      video.play().catch(() => {
        video.muted = true;
        return video.play().catch(() => {});
      });
    } else if (!playing && !video.paused) {
      video.pause();
    }
  }, [playing, at]);

  // The rep's copy starts when its step is shown: the tap or key that advanced is the gesture
  // a browser asks for. Read once, when the video mounts; later changes are the rep's own. As it
  // goes (the other view takes over), it says where it was, so that view carries on from there.
  const startRef = useRef(props.start);
  const onMediaRef = useRef(onMedia);
  onMediaRef.current = onMedia;
  useEffect(() => {
    const video = ref.current;
    if (!video || !startRef.current) return;
    const begin = startRef.current();
    const leave = () => onMediaRef.current?.({ playing: !video.paused && !video.ended, at: video.currentTime });
    if (begin) video.currentTime = begin.at;
    if (begin && !begin.playing) return leave;
    const started = video.play();
    // Older engines (and test DOMs) return nothing from play(): nothing to wait for then.
    if (started && typeof started.catch === 'function')
      started.catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setRefused(true);
      });
    return leave;
  }, []);

  const playByHand = () => {
    const video = ref.current;
    if (!video) return;
    setRefused(false);
    const started = video.play();
    if (started && typeof started.catch === 'function') started.catch(() => setRefused(true));
  };

  const following = follow !== undefined;
  return (
    <>
      <video
        ref={ref}
        className="presenter__media"
        src={props.src}
        poster={props.poster}
        controls={!following}
        muted={props.muted}
        playsInline
        preload="auto"
        controlsList="nodownload noremoteplayback"
        disablePictureInPicture
        data-testid="slide-video"
        onLoadedData={props.onLoaded}
        onPlay={() => {
          setRefused(false);
          report();
        }}
        onPause={report}
        onSeeked={report}
      />
      {refused ? (
        <button
          type="button"
          className="presenter__play"
          data-testid="slide-video-play"
          // The stage reads a press as a tap or a swipe: this one belongs to the button.
          onPointerDown={(event) => event.stopPropagation()}
          onPointerUp={(event) => event.stopPropagation()}
          onClick={playByHand}
        >
          <svg viewBox="0 0 24 24" width={56} height={56} aria-hidden="true">
            <path d="M8 5.5v13l10.5-6.5z" fill="currentColor" />
          </svg>
          <span>Play video</span>
        </button>
      ) : null}
    </>
  );
}

function Missing({ title }: { title: string }) {
  return (
    <StateMessage tone="error" onDark title={`${title} cannot be shown`}>
      Its file is not on this device. It comes back with the next content sync.
    </StateMessage>
  );
}

const stagePadding = 16;

function PdfSlide(props: {
  url: string;
  page: number;
  box: { width: number; height: number };
  slideKey: string;
  onRendered(key: string): void;
}) {
  const { url, page, box, slideKey: key, onRendered } = props;
  const [attempt, setAttempt] = useState(0);
  const doc = usePdfDocument(url, attempt);
  const keyRef = useRef(key);
  keyRef.current = key;
  const rendered = useCallback(
    (pageNumber: number) => {
      if (pageNumber === page) onRendered(keyRef.current);
    },
    [page, onRendered],
  );
  if (doc.status === 'error') {
    return (
      <StateMessage
        tone="error"
        onDark
        title="This document could not be opened"
        onRetry={() => setAttempt((n) => n + 1)}
      >
        {doc.message}
      </StateMessage>
    );
  }
  if (doc.status === 'loading' || box.width <= 0) {
    return (
      <div className="presenter__hint" role="status">
        Opening…
      </div>
    );
  }
  return (
    <PdfPage
      doc={doc.doc}
      pageNumber={page}
      box={{ width: Math.max(1, box.width - stagePadding * 2), height: Math.max(1, box.height - stagePadding * 2) }}
      sharpAtZoom={1}
      enabled
      current
      onRendered={rendered}
    />
  );
}
