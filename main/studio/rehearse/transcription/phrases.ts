import type { HowRepsSayIt, RepPhrase } from '#shared/studio-rehearse';
import type { KeyMessageResult } from './key-messages.ts';
import { contentTokens, spokenWords, stopWords } from './words.ts';

/**
 * "How reps say it": one prompt's transcripts side by side, and the phrases reps use that the
 * official message does not, so marketing learns the customer's language from the field.
 */

export type { HowRepsSayIt, RepPhrase };

export interface TranscriptRow {
  recordingId: string;
  rep: string | null;
  team: string | null;
  recordedAt: string;
  text: string;
  keyMessages: KeyMessageResult[];
}

export interface PhraseOptions {
  /** A phrase must be said at least this often (default 2) to be listed. */
  minCount?: number;
  /** At most this many phrases (default 50). */
  limit?: number;
}

/**
 * Frequent 2–4-word phrases across the transcripts that are not marketing's: a phrase is left
 * out when it is only stop words, starts or ends with one ("of the water"), or when all its
 * content words are already in the prompt's title or key messages (then it is the official
 * message, maybe reordered). A shorter phrase said exactly as often inside a longer listed one
 * is left out too, so "keeps running" does not repeat "one train keeps running".
 */
export function repPhrases(
  texts: readonly { rep: string | null; text: string }[],
  official: readonly string[],
  options: PhraseOptions = {},
): RepPhrase[] {
  const officialStems = new Set(official.flatMap((t) => contentTokens(t).map((tok) => tok.stem)));
  const seen = new Map<string, { count: number; reps: Set<string> }>();
  const officialGrams = new Map<string, boolean>();
  texts.forEach(({ rep, text }, index) => {
    const words = spokenWords(text);
    for (let n = 2; n <= 4; n++) {
      for (let i = 0; i + n <= words.length; i++) {
        const gram = words.slice(i, i + n);
        if (stopWords.has(gram[0]!) || stopWords.has(gram[n - 1]!)) continue;
        const key = gram.join(' ');
        // Compared as tokens, so "sixty percent" is official where the message says "60%".
        let isOfficial = officialGrams.get(key);
        if (isOfficial === undefined) {
          isOfficial = contentTokens(key).every((t) => officialStems.has(t.stem));
          officialGrams.set(key, isOfficial);
        }
        if (isOfficial) continue;
        const entry = seen.get(key) ?? { count: 0, reps: new Set<string>() };
        entry.count += 1;
        // A transcript without a rep (a booth's device) counts as its own speaker.
        entry.reps.add(rep ?? `#${index}`);
        seen.set(key, entry);
      }
    }
  });
  const minCount = options.minCount ?? 2;
  const frequent = [...seen.entries()]
    .filter(([, e]) => e.count >= minCount)
    .map(([phrase, e]) => ({ phrase, count: e.count, reps: e.reps.size }));
  // Each phrase's count, to find a longer phrase said exactly as often that contains it.
  const counts = new Map(frequent.map((p) => [p.phrase, p.count]));
  const inLonger = new Set<string>();
  for (const p of frequent) {
    const words = p.phrase.split(' ');
    for (let n = 2; n < words.length; n++)
      for (let i = 0; i + n <= words.length; i++) {
        const inner = words.slice(i, i + n).join(' ');
        if (counts.get(inner) === p.count) inLonger.add(inner);
      }
  }
  const kept = frequent.filter((p) => !inLonger.has(p.phrase));
  kept.sort((a, b) => b.reps - a.reps || b.count - a.count || a.phrase.localeCompare(b.phrase));
  return kept.slice(0, options.limit ?? 50);
}

/** The view's data from transcript rows, whatever table they were read from. */
export function howRepsSayIt(
  prompt: { id: string; title: string; keyMessages: string[] },
  rows: readonly TranscriptRow[],
  options: PhraseOptions = {},
): HowRepsSayIt {
  const transcripts = [...rows]
    .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt) || a.recordingId.localeCompare(b.recordingId))
    .map((row) => ({
      recordingId: row.recordingId,
      rep: row.rep,
      team: row.team,
      recordedAt: row.recordedAt,
      text: row.text,
      keyMessages: row.keyMessages.map((k) => ({
        message: k.message,
        said: k.said,
        ...(k.heard !== undefined ? { heard: k.heard } : {}),
      })),
    }));
  return {
    prompt,
    transcripts,
    phrases: repPhrases(rows, [prompt.title, ...prompt.keyMessages], options),
  };
}
