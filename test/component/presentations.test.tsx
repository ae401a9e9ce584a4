/**
 * What a converted presentation and an audio item look like on the rep's screens: the deck's
 * speaker notes under the step's own note in the presenter view, and a player for audio.
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createAnnotations } from '../../renderer/presenting/AnnotationLayer';
import { PresenterView } from '../../renderer/presenting/PresenterView';
import { AudioViewer } from '../../renderer/viewer/AudioViewer';
import { PageRail } from '../../renderer/viewer/pdf/PageRail';
import { itemDetail, itemSummary } from './fixtures';

const deck = itemDetail(itemSummary('pitch-deck', 'Pitch deck', { kind: 'pdf', pageCount: 2 }), {
  primary: null,
  pages: [
    { title: 'Why Brightwater', notes: 'Ask about their current filters', hidden: false },
    { title: 'Pricing tiers', notes: 'Mention the volume discount', hidden: false },
  ],
});

function presenterOn(page: number, note: string) {
  const noop = () => {};
  render(
    <PresenterView
      slides={[{ itemId: 'pitch-deck', page, step: 0, title: 'Pitch deck', kind: 'pdf', note }]}
      position={{ index: 0, hidden: new Set() }}
      items={new Map([['pitch-deck', deck]])}
      annotations={createAnnotations()}
      pen={false}
      black={false}
      aspect={16 / 9}
      startedAt={Date.now()}
      stepCount={1}
      audienceLabel="Audience on the second display"
      onRendered={noop}
      onMedia={noop}
      mediaMuted={false}
      onJump={noop}
      onPointerDown={noop}
      onPointerUp={noop}
      onPointerCancel={noop}
    />,
  );
}

describe("presentations on the rep's screens", () => {
  it("shows the slide's speaker notes under the step's own note", () => {
    presenterOn(2, 'Pause for questions');
    expect(screen.getByTestId('presenter-notes').textContent).toBe('Pause for questions');
    expect(screen.getByTestId('presenter-speaker-notes').textContent).toBe('Mention the volume discount');
  });

  it('shows the speaker notes alone when the step has no note of its own', () => {
    presenterOn(1, '');
    expect(screen.getByTestId('presenter-speaker-notes').textContent).toBe('Ask about their current filters');
    expect(screen.getByTestId('presenter-notes').textContent).not.toContain('No notes for this step');
  });

  it('names each slide in the page rail by its title', () => {
    const thumb = { sha256: 'b'.repeat(64), size: 10, mime: 'image/png' };
    render(
      <PageRail
        pageCount={2}
        current={1}
        thumbnails={[thumb, thumb]}
        titles={['Why Brightwater', 'Pricing tiers']}
        doc={null}
        onSelect={() => {}}
      />,
    );
    expect(screen.getAllByTestId('page-thumb').map((b) => b.getAttribute('aria-label'))).toEqual([
      'Page 1: Why Brightwater',
      'Page 2: Pricing tiers',
    ]);
  });

  it('gives an audio item a player', () => {
    const audio = itemDetail(itemSummary('elevator-pitch', 'Elevator pitch', { kind: 'audio', pageCount: null }), {
      primary: { sha256: 'a'.repeat(64), size: 1000, mime: 'audio/webm' },
    });
    render(<AudioViewer item={audio} onBack={() => {}} />);
    expect(screen.getByTestId('audio-viewer').getAttribute('data-item-id')).toBe('elevator-pitch');
    expect(screen.getByTestId('audio-player').getAttribute('src')).toBe(`/content/${'a'.repeat(64)}`);
    expect(screen.getByRole('heading', { name: 'Elevator pitch' })).toBeTruthy();
  });
});
