/**
 * The rep's presenting screens: a video starts when its step is shown, and where the browser
 * refuses to start it with sound a large play control stands in; the presenter view's running
 * order names each step, marks the current one and jumps on a tap.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnnotations } from '../../renderer/presenting/AnnotationLayer';
import { PresenterView } from '../../renderer/presenting/PresenterView';
import { SlideContent } from '../../renderer/presenting/Slide';
import { itemDetail, itemSummary } from './fixtures';

const file = (c: string) => ({ sha256: c.repeat(64), size: 10, mime: 'video/mp4' });
const tour = itemDetail(itemSummary('plant-tour', 'Plant tour', { kind: 'video', pageCount: null }), {
  primary: file('a'),
});
const brochure = itemDetail(
  itemSummary('aquacore', 'AquaCore brochure', {
    kind: 'pdf',
    pageCount: 4,
    thumbnail: { ...file('c'), mime: 'image/png' },
  }),
  { primary: null, pageThumbnails: [1, 2, 3, 4].map(() => ({ ...file('d'), mime: 'image/png' })) },
);

const play = vi.spyOn(HTMLMediaElement.prototype, 'play');
afterEach(() => play.mockReset());

function showVideo(start: { playing: boolean; at: number } | null | undefined) {
  const onMedia = vi.fn();
  render(
    <SlideContent
      slide={{ itemId: 'plant-tour', page: null }}
      item={tour}
      box={{ width: 1440, height: 960 }}
      onRendered={() => {}}
      onMedia={onMedia}
      start={start === undefined ? undefined : () => start}
    />,
  );
  return screen.getByTestId('slide-video') as HTMLVideoElement;
}

describe('a video step', () => {
  it('starts as soon as its step is shown', () => {
    play.mockResolvedValue(undefined);
    showVideo(null);
    expect(play).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('slide-video-play')).toBeNull();
  });

  it('offers a large play control when the browser refuses to start it with sound, and plays on a tap', async () => {
    play.mockRejectedValueOnce(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    showVideo(null);
    const control = await screen.findByRole('button', { name: 'Play video' });
    play.mockResolvedValue(undefined);
    fireEvent.click(control);
    expect(play).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(screen.queryByTestId('slide-video-play')).toBeNull());
  });

  it('carries on where the rep left it when the other view takes over, and stays paused if it was', () => {
    play.mockResolvedValue(undefined);
    const paused = showVideo({ playing: false, at: 12 });
    expect(paused.currentTime).toBe(12);
    expect(play).not.toHaveBeenCalled();
  });

  it('does not start by itself where it is only a preview (the next page)', () => {
    play.mockResolvedValue(undefined);
    showVideo(undefined);
    expect(play).not.toHaveBeenCalled();
  });
});

describe('the running order', () => {
  it('names each step with its title and page, marks the current one, and jumps on a tap', () => {
    play.mockResolvedValue(undefined);
    const onJump = vi.fn();
    const noop = () => {};
    render(
      <PresenterView
        slides={[
          { itemId: 'aquacore', page: 2, step: 0, title: 'AquaCore brochure', kind: 'pdf', note: '' },
          { itemId: 'plant-tour', page: null, step: 1, title: 'Plant tour', kind: 'video', note: '' },
          { itemId: 'aquacore', page: 4, step: 2, title: 'AquaCore brochure', kind: 'pdf', note: '' },
        ]}
        position={{ index: 1, hidden: new Set([2]) }}
        items={
          new Map([
            ['aquacore', brochure],
            ['plant-tour', tour],
          ])
        }
        annotations={createAnnotations()}
        pen={false}
        black={false}
        aspect={16 / 9}
        startedAt={Date.now()}
        stepCount={3}
        audienceLabel="No audience screen"
        onRendered={noop}
        onMedia={noop}
        mediaMuted={false}
        onJump={onJump}
        onPointerDown={noop}
        onPointerUp={noop}
        onPointerCancel={noop}
      />,
    );
    const order = screen.getByRole('list', { name: 'Running order' });
    const steps = within(order).getAllByRole('button');
    expect(steps.map((b) => b.textContent)).toEqual([
      '1. AquaCore brochure p. 2',
      '2. Plant tour',
      '3. AquaCore brochure p. 4 hidden',
    ]);
    expect(steps.map((b) => b.getAttribute('aria-current'))).toEqual([null, 'step', null]);
    // The page's own thumbnail, else the item's cover.
    expect(steps[0]!.querySelector('img')?.getAttribute('src')).toContain('d'.repeat(64));
    expect((steps[2] as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(steps[0]!);
    expect(onJump).toHaveBeenCalledWith(0);
  });
});
