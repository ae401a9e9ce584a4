import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { focusedDictionary, focusedLanguageModel, promptSentences, readDictionary } from './prompt-model.ts';

/**
 * Speech to text for rehearsal recordings, in Studio: ffmpeg decodes whatever the device
 * recorded (WebM/Opus from MediaRecorder, or any audio/video) to 16 kHz mono WAV, and Debian's
 * CMU PocketSphinx transcribes it. No npm package ships recognition weights (see the README),
 * so the engine is a system program, run as a child process without a shell, with time limits.
 */

export interface TranscribedWord {
  word: string;
  startMs: number;
  endMs: number;
}

export interface Transcript {
  /** What was said, as the open-vocabulary pass heard it. */
  text: string;
  words: TranscribedWord[];
  engine: string;
  durationMs: number;
  /**
   * The focused pass: the same audio decoded with the prompt's own words only, so a key message
   * a general model mishears is still recognised (null when no prompt words were given).
   */
  focusedText: string | null;
}

export interface SpeechTools {
  ffmpeg: string;
  pocketsphinx: string;
  /** The acoustic model folder, its language model and its pronunciation dictionary. */
  acousticModel: string;
  languageModel: string;
  dictionary: string;
}

export interface TranscribeOptions {
  /** The prompt's title and key messages: the focused pass listens for these words. */
  promptText?: readonly string[];
  tools?: SpeechTools;
  /** Longer recordings are transcribed up to this length only. Default 20 minutes. */
  maxDurationSeconds?: number;
  /** Per external program: a fixed allowance plus a multiple of the audio's length. */
  timeoutMs?: (durationMs: number) => number;
  signal?: AbortSignal;
}

/** The tools are missing or unusable here: the recording stays, marked "not transcribed". */
export class TranscriptionUnavailableError extends Error {
  override readonly name = 'TranscriptionUnavailableError';
}

export const INSTALL_HINT =
  'install them (Debian/Ubuntu: apt-get install ffmpeg pocketsphinx pocketsphinx-en-us), or point PITCHCASE_FFMPEG, PITCHCASE_POCKETSPHINX and PITCHCASE_POCKETSPHINX_MODEL at them';

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const names = process.platform === 'win32' ? [`${name}.exe`, name] : [name];
  for (const dir of (env.PATH ?? '').split(path.delimiter))
    for (const n of names) if (dir && existsSync(path.join(dir, n))) return path.join(dir, n);
  return null;
}

/** Where ffmpeg, PocketSphinx and its English model are, or why transcription cannot run here. */
export function findSpeechTools(env: NodeJS.ProcessEnv = process.env): SpeechTools {
  const ffmpeg = env.PITCHCASE_FFMPEG?.trim() || onPath('ffmpeg', env);
  const pocketsphinx = env.PITCHCASE_POCKETSPHINX?.trim() || onPath('pocketsphinx_continuous', env);
  const modelDir = env.PITCHCASE_POCKETSPHINX_MODEL?.trim() || '/usr/share/pocketsphinx/model/en-us';
  const missing: string[] = [];
  if (!ffmpeg || !existsSync(ffmpeg)) missing.push('ffmpeg');
  if (!pocketsphinx || !existsSync(pocketsphinx)) missing.push('pocketsphinx');
  const tools = {
    ffmpeg: ffmpeg ?? '',
    pocketsphinx: pocketsphinx ?? '',
    acousticModel: path.join(modelDir, 'en-us'),
    languageModel: path.join(modelDir, 'en-us.lm.bin'),
    dictionary: path.join(modelDir, 'cmudict-en-us.dict'),
  };
  if (![tools.acousticModel, tools.languageModel, tools.dictionary].every((f) => existsSync(f)))
    missing.push(`the English speech model (${modelDir})`);
  if (missing.length > 0)
    throw new TranscriptionUnavailableError(
      `Transcription needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed: ${INSTALL_HINT}.`,
    );
  return tools;
}

const outputLimit = 8 * 1024 * 1024;

/** Runs a program (no shell), bounded in time and in what it may print. */
function run(program: string, args: string[], timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let out = '';
    let err = '';
    let failure: Error | null = null;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.length > outputLimit) stop(new Error(`${path.basename(program)} printed more than 8 MB; stopped.`));
    });
    // Only the end of the log matters when something fails.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-2000)));
    const timer = setTimeout(
      () => stop(new Error(`${path.basename(program)} took longer than ${Math.round(timeoutMs / 1000)} s; stopped.`)),
      timeoutMs,
    );
    const onAbort = () => stop(new Error('Transcription was cancelled (Studio is closing).'));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => stop(error));
    child.once('close', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure);
      else if (code !== 0) {
        const tail = err.trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`${path.basename(program)} failed (exit ${code}): ${tail}`));
      } else resolve(out);
    });
  });
}

/** Markers the recogniser puts between words: silence, noise, sentence bounds. */
const notAWord = /^(<s>|<\/s>|<sil>|\[[A-Z_]+\]|\+\+.*\+\+|\(NULL\))$/;

/** Reads `pocketsphinx_continuous -time yes`: a hypothesis line, then "word start end confidence" lines. */
export function parseTimedOutput(stdout: string): TranscribedWord[] {
  const words: TranscribedWord[] = [];
  for (const line of stdout.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 4) continue;
    const [raw, start, end, confidence] = parts as [string, string, string, string];
    if (![start, end, confidence].every((n) => /^-?\d+(\.\d+)?(e-?\d+)?$/.test(n))) continue;
    if (notAWord.test(raw)) continue;
    words.push({
      word: raw.replace(/\(\d+\)$/, ''),
      startMs: Math.round(Number(start) * 1000),
      endMs: Math.round(Number(end) * 1000),
    });
  }
  return words;
}

const defaultTimeout = (durationMs: number) => 60_000 + 4 * durationMs;

/**
 * Transcribes one recording. `file` is the recording on disk, `mime` what the device said it is
 * (checked only for being audio or video: ffmpeg reads the container itself). Throws
 * TranscriptionUnavailableError when the tools are missing, an Error when the file cannot be read.
 */
export async function transcribeRecording(
  file: string,
  mime: string,
  options: TranscribeOptions = {},
): Promise<Transcript> {
  if (!/^(audio|video)\//i.test(mime))
    throw new Error(`A recording must be audio or video; this one is "${mime.slice(0, 80)}".`);
  const tools = options.tools ?? findSpeechTools();
  const timeout = options.timeoutMs ?? defaultTimeout;
  const maxSeconds = options.maxDurationSeconds ?? 20 * 60;
  const work = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-transcribe-'));
  try {
    const wav = path.join(work, 'speech.wav');
    // The recording's own length is unknown until decoded: allow for the longest one we take.
    await run(
      tools.ffmpeg,
      ['-nostdin', '-v', 'error', '-i', file, '-t', String(maxSeconds), '-vn', '-ac', '1', '-ar', '16000'].concat([
        '-c:a',
        'pcm_s16le',
        '-f',
        'wav',
        '-y',
        wav,
      ]),
      timeout(maxSeconds * 1000),
      options.signal,
    );
    // 16-bit mono at 16 kHz is 32 bytes a millisecond after the 44-byte header.
    const durationMs = Math.max(0, Math.round(((await stat(wav)).size - 44) / 32));
    const decode = (extra: string[]) =>
      run(
        tools.pocketsphinx,
        ['-infile', wav, '-time', 'yes', '-hmm', tools.acousticModel, '-logfn', path.join(work, 'log.txt'), ...extra],
        timeout(durationMs),
        options.signal,
      );
    const words = parseTimedOutput(await decode(['-lm', tools.languageModel, '-dict', tools.dictionary]));
    let focusedText: string | null = null;
    if (options.promptText && options.promptText.length > 0) {
      const dictionary = await readDictionary(tools.dictionary);
      const sentences = promptSentences(options.promptText, dictionary);
      if (sentences.length > 0) {
        const lm = path.join(work, 'prompt.lm');
        const dict = path.join(work, 'prompt.dict');
        await writeFile(lm, focusedLanguageModel(sentences, dictionary));
        await writeFile(dict, focusedDictionary(sentences, dictionary));
        focusedText = parseTimedOutput(await decode(['-lm', lm, '-dict', dict]))
          .map((w) => w.word)
          .join(' ');
      }
    }
    return {
      text: words.map((w) => w.word).join(' '),
      words,
      engine: 'pocketsphinx en-us',
      durationMs,
      focusedText,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
