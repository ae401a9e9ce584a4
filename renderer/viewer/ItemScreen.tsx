/**
 * Container: fetches one item and hands it to the viewer for its kind. Until the detail
 * arrives the frame already shows the title the home screen knew, never a blank screen.
 */
import { useMemo } from 'react';
import type { ItemSummary } from '#shared/library';
import { useItem } from '../library/queries';
import { StateMessage } from '../ui/StateMessage';
import { ImageViewer } from './ImageViewer';
import { MicrositeViewer } from './MicrositeViewer';
import { PdfViewer } from './pdf/PdfViewer';
import { AudioViewer } from './AudioViewer';
import { PageTargetContext, type PageTarget } from './PageActions';
import { VideoViewer } from './VideoViewer';
import { ViewerFrame } from './ViewerFrame';

export interface ItemScreenProps {
  id: string;
  page: number;
  summary: ItemSummary | null;
  /** The search that opened the item, to mark its terms on the page. */
  highlightQuery?: string | null;
  onPageChange(page: number): void;
  onBack(): void;
  /** The rep's viewer: the page can be added to a pitch and shared (never on the kiosk). */
  pageActions?: boolean;
}

export function ItemScreen(props: ItemScreenProps) {
  const state = useItem(props.id);
  const item = state.status === 'ready' ? state.data : null;
  const target = useMemo<PageTarget | null>(
    () =>
      props.pageActions && item
        ? { itemId: item.id, title: item.title, page: item.kind === 'pdf' ? props.page : null }
        : null,
    [props.pageActions, item, props.page],
  );
  return (
    <PageTargetContext.Provider value={target}>
      <ItemView {...props} state={state} />
    </PageTargetContext.Provider>
  );
}

function ItemView({
  page,
  summary,
  highlightQuery = null,
  onPageChange,
  onBack,
  state,
}: ItemScreenProps & { state: ReturnType<typeof useItem> }) {
  if (state.status === 'ready') {
    const item = state.data;
    switch (item.kind) {
      case 'pdf':
        return item.primary ? (
          <PdfViewer
            item={item}
            page={page}
            highlightQuery={highlightQuery}
            onPageChange={onPageChange}
            onBack={onBack}
          />
        ) : (
          <Problem title={item.title} onBack={onBack} heading="This document has no file on this device" />
        );
      case 'image':
        return <ImageViewer item={item} onBack={onBack} />;
      case 'video':
        return <VideoViewer item={item} onBack={onBack} />;
      case 'audio':
        return <AudioViewer item={item} onBack={onBack} />;
      case 'microsite':
        return <MicrositeViewer item={item} onBack={onBack} />;
    }
  }

  if (state.status === 'error') {
    const gone = state.error.code === 'not-found';
    return (
      <Problem
        title={summary?.title ?? 'Item'}
        onBack={onBack}
        heading={gone ? 'This item is no longer in the library' : 'This item could not be opened'}
        detail={gone ? 'It may have expired or been replaced in the latest release.' : state.error.message}
        onRetry={gone ? undefined : state.retry}
      />
    );
  }

  return (
    <ViewerFrame title={summary?.title ?? ''} onBack={onBack} rootProps={{ 'data-testid': 'item-loading' }}>
      <div className="media-stage">
        <div className="media-stage__hint" role="status">
          Opening…
        </div>
      </div>
    </ViewerFrame>
  );
}

function Problem(props: { title: string; heading: string; detail?: string; onBack(): void; onRetry?: () => void }) {
  return (
    <ViewerFrame title={props.title} onBack={props.onBack} rootProps={{ 'data-testid': 'item-error' }}>
      <div className="media-stage">
        <StateMessage
          tone="error"
          onDark
          title={props.heading}
          onRetry={props.onRetry}
          actions={
            <button type="button" className="button button--ghost-dark" onClick={props.onBack}>
              Back to library
            </button>
          }
        >
          {props.detail}
        </StateMessage>
      </div>
    </ViewerFrame>
  );
}
