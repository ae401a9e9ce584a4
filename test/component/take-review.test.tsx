/**
 * A take's way to review, as the rep sees it: each state in words (with the share uploaded), what
 * can be done in it (send, cancel), and the reviewer's score, rubric and comments, a comment's
 * time seeking the playback.
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { TakeReview } from '#shared/practice-review';
import { TakeReviewPanel } from '../../renderer/rehearse/TakeReview';

const base: TakeReview = {
  state: 'queued',
  sentBytes: 0,
  size: 400_000,
  consentVersion: 1,
  shareAsExample: false,
  queuedAt: '2026-12-06T09:00:00.000Z',
  error: null,
  feedback: null,
};

function show(review: TakeReview | null) {
  const actions = { onSend: vi.fn(), onCancel: vi.fn(), onSeek: vi.fn() };
  const view = render(<TakeReviewPanel review={review} busy={false} {...actions} />);
  return { ...actions, view };
}

describe('a take on its way to review', () => {
  it('offers Send for review when never sent, and again after a cancel', () => {
    const never = show(null);
    fireEvent.click(screen.getByRole('button', { name: 'Send for review' }));
    expect(never.onSend).toHaveBeenCalledOnce();
    never.view.unmount();
    show({ ...base, state: 'cancelled' });
    expect(screen.getByRole('status').textContent).toContain('Send cancelled');
    expect((screen.getByRole('button', { name: 'Send for review' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says queued and uploading n %, each with Cancel send; a failure waiting to retry is said', () => {
    const queued = show({ ...base, error: 'Could not reach Studio at studio.acme.example: connection refused' });
    expect(screen.getByRole('status').textContent).toContain('Waiting to send for review (will retry)');
    expect(screen.getByTestId('take-review-error').textContent).toContain('connection refused');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel send' }));
    expect(queued.onCancel).toHaveBeenCalledOnce();
    queued.view.unmount();
    show({ ...base, state: 'uploading', sentBytes: 100_000 });
    expect(screen.getByRole('status').textContent).toContain('Uploading 25 %');
    expect(screen.queryByRole('button', { name: 'Send for review' })).toBeNull();
  });

  it('shows the score, the rubric and the comments once reviewed; a comment’s time seeks', () => {
    const reviewed = show({
      ...base,
      state: 'reviewed',
      sentBytes: 400_000,
      feedback: {
        recordingId: 'r1',
        takeId: 't1',
        promptId: 'twin-train',
        status: 'reviewed',
        example: false,
        review: {
          overall: 4,
          rubric: [
            { message: 'two trains', rating: 'said' },
            { message: 'one keeps running during service', rating: 'missed' },
          ],
          comments: [{ atMs: 75_000, text: 'Slow down here', by: 'Max', at: '2026-12-06T10:00:00.000Z' }],
          reviewer: 'Max',
          reviewedAt: '2026-12-06T10:00:00.000Z',
        },
        keyMessages: [{ message: 'two trains', said: true, heard: 'we run two trains' }],
      },
    });
    expect(screen.getByRole('status').textContent).toContain('Reviewed');
    expect(screen.getByTestId('take-score').textContent).toContain('4 / 5');
    expect(screen.getByText('one keeps running during service').closest('li')?.getAttribute('data-rating')).toBe(
      'missed',
    );
    expect(screen.getByTestId('take-heard').textContent).toContain('Said: two trains');
    fireEvent.click(screen.getByRole('button', { name: 'Play from 1:15' }));
    expect(reviewed.onSeek).toHaveBeenCalledWith(75_000);
    expect(screen.queryByRole('button', { name: /Send for review|Cancel send/ })).toBeNull();
  });
});
