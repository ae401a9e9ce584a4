/**
 * "How reps say it" with made-up data: the official message, the reps' own phrases with counts,
 * and each transcript with who said it, when, and which key messages it hit (in words, not only colour).
 */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HowRepsSayItView } from '../../../renderer/studio/rehearse/HowRepsSayIt';
import type { HowRepsSayItAnswer } from '#shared/studio-rehearse';

const data: HowRepsSayItAnswer = {
  generatedAt: '2026-03-02T09:00:00.000Z',
  prompt: {
    id: 'aquacore-pitch',
    title: "The AquaCore 500's twin-train redundancy in 60 seconds",
    keyMessages: ['Twin-train redundancy', 'Saves 60% of the water'],
  },
  transcripts: [
    {
      recordingId: 'r2',
      rep: 'Ben',
      team: 'South',
      recordedAt: '2026-03-02T10:00:00.000Z',
      text: 'one train keeps running and it saves sixty percent of the water',
      keyMessages: [
        { message: 'Twin-train redundancy', said: false },
        { message: 'Saves 60% of the water', said: true, heard: 'saves sixty percent of the water' },
      ],
    },
    {
      recordingId: 'r1',
      rep: null,
      team: null,
      recordedAt: '2026-03-01T10:00:00.000Z',
      text: '',
      keyMessages: [{ message: 'Twin-train redundancy', said: true }],
    },
  ],
  phrases: [{ phrase: 'one train keeps running', count: 3, reps: 2 }],
};

describe('HowRepsSayItView', () => {
  it('lists the reps’ own phrases with how often and by how many reps', () => {
    render(<HowRepsSayItView data={data} />);
    const phrases = screen.getByRole('region', { name: 'Phrases reps use that the message does not' });
    expect(
      within(phrases)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual(['PhraseTimes saidReps', '“one train keeps running”32']);
    expect(within(phrases).getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(
      '/api/rehearse/prompts/aquacore-pitch/how-reps-say-it?format=csv&table=phrases',
    );
    const official = screen.getByRole('region', { name: 'The official message' });
    expect(
      within(official)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(data.prompt.keyMessages);
  });

  it('shows each transcript with the rep, team, date and the key messages said or missed', () => {
    render(<HowRepsSayItView data={data} />);
    const cards = within(screen.getByRole('region', { name: /^Transcripts/ })).getAllByRole('listitem', {
      name: /, /,
    });
    expect(cards).toHaveLength(2);
    expect(cards[0]!.textContent).toContain('Ben');
    expect(cards[0]!.textContent).toContain('South');
    expect(cards[0]!.textContent).toContain('one train keeps running and it saves sixty percent of the water');
    const said = within(within(cards[0]!).getByRole('list', { name: 'Key messages' }))
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(said).toEqual(['✗ Missed: Twin-train redundancy', '✓ Said: Saves 60% of the water']);
    expect(cards[1]!.textContent).toContain('Unknown rep');
    expect(cards[1]!.textContent).toContain('(nothing recognised)');
  });

  it('says so when no phrase of the reps’ own comes up twice', () => {
    render(<HowRepsSayItView data={{ ...data, phrases: [] }} />);
    expect(screen.getByText('No phrase of the reps’ own comes up more than once yet.')).toBeTruthy();
  });
});
