import { describe, expect, it } from 'vitest';
import { howRepsSayIt, repPhrases } from '#studio/rehearse/transcription/phrases';

/** "How reps say it": the phrases reps use that marketing's message does not. */
const prompt = {
  id: 'aquacore-pitch',
  title: "The AquaCore 500's twin-train redundancy in 60 seconds",
  keyMessages: ['Twin-train redundancy', 'Saves 60% of the water'],
};
const official = [prompt.title, ...prompt.keyMessages];

describe('repPhrases', () => {
  it('counts phrases across transcripts and how many reps said each', () => {
    const phrases = repPhrases(
      [
        { rep: 'Ana', text: 'It never stops, one train keeps running while you clean the other.' },
        { rep: 'Ana', text: 'one train keeps running, so it never stops' },
        { rep: 'Ben', text: 'basically a backup line, one train keeps running' },
      ],
      official,
    );
    expect(phrases).toContainEqual({ phrase: 'one train keeps running', count: 3, reps: 2 });
    expect(phrases).toContainEqual({ phrase: 'never stops', count: 2, reps: 1 });
    // Said inside the longer phrase exactly as often: not listed again.
    expect(phrases.find((p) => p.phrase === 'keeps running')).toBeUndefined();
    expect(phrases[0]!.phrase).toBe('one train keeps running');
  });

  it('leaves out stop-word-only phrases and the official message, however it is written', () => {
    const phrases = repPhrases(
      [
        { rep: 'Ana', text: 'and it is in the the twin train redundancy saves sixty percent of the water' },
        { rep: 'Ben', text: 'and it is in the twin train redundancy saves sixty percent of the water' },
      ],
      official,
      { minCount: 1 },
    );
    const listed = phrases.map((p) => p.phrase);
    expect(listed).not.toContain('and it is');
    expect(listed).not.toContain('twin train redundancy');
    expect(listed).not.toContain('sixty percent');
    expect(listed).not.toContain('saves sixty percent');
    // A phrase does not begin or end with a small word.
    expect(listed.every((p) => !/^(and|the|of|in|it|is) | (and|the|of|in|it|is)$/.test(p))).toBe(true);
    expect(listed).toEqual([]);
  });

  it('keeps a phrase that mixes the official words with the rep’s own', () => {
    const phrases = repPhrases(
      [
        { rep: 'Ana', text: 'a spare train on standby' },
        { rep: 'Ben', text: 'there is a spare train on standby' },
      ],
      official,
    );
    expect(phrases).toContainEqual({ phrase: 'spare train on standby', count: 2, reps: 2 });
  });

  it('lists nothing said only once unless asked to', () => {
    const rows = [{ rep: 'Ana', text: 'a unique way of putting it' }];
    expect(repPhrases(rows, official)).toEqual([]);
    expect(repPhrases(rows, official, { minCount: 1 }).map((p) => p.phrase)).toEqual(['unique way of putting']);
  });
});

describe('howRepsSayIt', () => {
  it('puts the transcripts side by side, newest first, with the key messages each said', () => {
    const view = howRepsSayIt(prompt, [
      {
        recordingId: 'r1',
        rep: 'Ana',
        team: 'North',
        recordedAt: '2026-03-01T10:00:00.000Z',
        text: 'twin train redundancy means one train keeps running',
        keyMessages: [
          { message: 'Twin-train redundancy', said: true, heard: 'twin train redundancy', score: 1 },
          { message: 'Saves 60% of the water', said: false, score: 0 },
        ],
      },
      {
        recordingId: 'r2',
        rep: 'Ben',
        team: 'South',
        recordedAt: '2026-03-02T10:00:00.000Z',
        text: 'one train keeps running and it saves sixty percent of the water',
        keyMessages: [
          { message: 'Twin-train redundancy', said: false, score: 0.33, heard: 'train' },
          { message: 'Saves 60% of the water', said: true, heard: 'saves sixty percent of the water', score: 1 },
        ],
      },
    ]);
    expect(view.prompt).toEqual(prompt);
    expect(view.transcripts.map((t) => [t.recordingId, t.rep, t.team, t.keyMessages.map((k) => k.said)])).toEqual([
      ['r2', 'Ben', 'South', [false, true]],
      ['r1', 'Ana', 'North', [true, false]],
    ]);
    expect(view.phrases).toEqual([{ phrase: 'one train keeps running', count: 2, reps: 2 }]);
  });
});
