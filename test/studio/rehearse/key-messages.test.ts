import { describe, expect, it } from 'vitest';
import { checkKeyMessages, wordsNeeded } from '#studio/rehearse/transcription/key-messages';
import { stem, tokens } from '#studio/rehearse/transcription/words';

/** The key-message check: what a rep said against what marketing asked them to say. */
const said = (transcript: string, message: string) => checkKeyMessages(transcript, [message])[0]!;

describe('words as compared', () => {
  it('reads spelled numbers and digits alike', () => {
    const words = (text: string) => tokens(text).tokens.map((t) => t.word);
    expect(words('sixty percent')).toEqual(['60', 'percent']);
    expect(words('60%')).toEqual(['60', 'percent']);
    expect(words('five hundred and twenty')).toEqual(['520']);
    expect(words('two thousand four hundred')).toEqual(['2400']);
    expect(words('1,000 units')).toEqual(['1000', 'units']);
    expect(words('twenty five six')).toEqual(['25', '6']);
    expect(words('the AquaCore 500')).toEqual(['the', 'aquacore', '500']);
  });

  it('splits hyphens and folds inflections', () => {
    expect(tokens('twin-train').tokens.map((t) => t.word)).toEqual(['twin', 'train']);
    expect(new Set(['installs', 'installed', 'installing', 'install'].map(stem)).size).toBe(1);
    expect(new Set(['running', 'runs', 'run'].map(stem)).size).toBe(1);
    expect(stem('batteries')).toBe(stem('battery'));
  });

  it('needs every word of a short message and tolerates one in three beyond', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(wordsNeeded)).toEqual([1, 2, 2, 3, 4, 4, 6]);
  });
});

describe('checkKeyMessages', () => {
  it('finds a message said exactly and shows what was heard', () => {
    const result = said('and the AquaCore has twin-train redundancy so it never stops', 'Twin-train redundancy');
    expect(result).toEqual({ message: 'Twin-train redundancy', said: true, heard: 'twin train redundancy', score: 1 });
  });

  it('finds a paraphrase with the content words in order', () => {
    const result = said(
      'what you get is a saving of about sixty per cent on the water you use',
      'Saves 60% of water usage',
    );
    expect(result.said).toBe(true);
    expect(result.heard).toBe('saving of about sixty percent on the water');
  });

  it('tolerates one misrecognised word in a longer message', () => {
    const result = said('it goes in within a single day on site', 'Installs on site within one day');
    // "installs" became "goes in" and "one" became "single", and the order changed: too much.
    expect(result.said).toBe(false);
    expect(result.score).toBe(0.4);
    const misheard = said('it installs on sight within one day', 'Installs on site within one day');
    expect(misheard.said).toBe(true);
    expect(misheard.score).toBe(0.8);
    expect(misheard.heard).toBe('installs on sight within one day');
  });

  it('does not count a message partly said', () => {
    const result = said('the train is very reliable', 'Twin-train redundancy');
    expect(result.said).toBe(false);
    expect(result.score).toBe(0.33);
    expect(result.heard).toBe('train');
  });

  it('misses a message that is absent', () => {
    expect(said('we talked about price and delivery', 'Twin-train redundancy')).toEqual({
      message: 'Twin-train redundancy',
      said: false,
      score: 0,
    });
    expect(said('', 'Twin-train redundancy').said).toBe(false);
  });

  it('needs the words near each other, not scattered over the talk', () => {
    const scattered =
      'the twin sisters came to the booth and we talked about trains and timetables and lunch and the weather and then redundancy plans';
    expect(said(scattered, 'twin train redundancy').said).toBe(false);
  });

  it('matches numbers spelled or in digits either way', () => {
    expect(said('it treats 500 cubic metres an hour', 'Five hundred cubic metres per hour').said).toBe(true);
    expect(said('it treats five hundred cubic metres an hour', '500 m³ per hour').said).toBe(false);
    expect(said('sixty seconds to swap a filter', '60 seconds filter swap').said).toBe(true);
    expect(said('six seconds to swap a filter', '60 seconds filter swap').said).toBe(false);
  });

  it('matches a hyphenated word said as two, or two said as one', () => {
    expect(said('twin train redundancy', 'twin-train redundancy').said).toBe(true);
    expect(said('the aqua core five hundred', 'AquaCore 500').said).toBe(true);
    expect(said('the aquacore', 'Aqua-Core').said).toBe(false);
  });

  it('checks every message on its own and keeps their order', () => {
    const results = checkKeyMessages('twin train redundancy and it saves sixty percent of the water', [
      'Saves 60% water',
      'Installs in one day',
      'Twin-train redundancy',
    ]);
    expect(results.map((r) => [r.message, r.said])).toEqual([
      ['Saves 60% water', true],
      ['Installs in one day', false],
      ['Twin-train redundancy', true],
    ]);
  });

  it('never counts a message made only of stop words', () => {
    expect(said('it is what it is', 'It is what it is').said).toBe(false);
  });
});
