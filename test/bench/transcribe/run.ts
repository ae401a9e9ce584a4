/**
 * Rehearsal transcription figures: how long Studio's recogniser takes per minute of speech
 * (wall and CPU of the child programs), and how long the key-message check and the phrase count
 * take on a long talk. Speech is generated with espeak-ng, as in the tests.
 *   npm run bench:transcribe [-- --seconds 60]
 * Prints figures, then one JSON line.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkKeyMessages } from '#studio/rehearse/transcription/key-messages';
import { repPhrases } from '#studio/rehearse/transcription/phrases';
import { transcribeRecording } from '#studio/rehearse/transcription/transcriber';
import { findOrInstall, findOrInstallFile } from '../../support/apt-program.ts';
import { findFfmpeg } from '../../support/ffmpeg.ts';
import { tempDir } from '../../support/release.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const log = (line: string) => process.stdout.write(`${line}\n`);

/** CPU of this process's finished children (Linux: /proc/self/stat cutime + cstime, in ticks of 10 ms). */
function childCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

for (const need of [
  findFfmpeg(),
  findOrInstall('espeak-ng', 'espeak-ng'),
  findOrInstall('pocketsphinx_continuous', 'pocketsphinx'),
  findOrInstallFile('/usr/share/pocketsphinx/model/en-us/en-us.lm.bin', 'pocketsphinx-en-us'),
])
  if ('reason' in need) {
    log(`cannot run: ${need.reason}`);
    process.exit(1);
  }

const sentences = [
  'The AquaCore has twin train redundancy, so one train keeps running while the other is serviced.',
  'It saves sixty percent of the water compared with the unit you have today.',
  'Our engineers install it in one day, and the filters swap in sixty seconds.',
  'Customers tell us the quiet pumps matter as much as the savings.',
];
const keyMessages = ['Twin-train redundancy', 'Saves 60% of the water', 'Installs in one day', 'Remote monitoring'];
const data = tempDir('pitchcase-bench-transcribe-');
try {
  // espeak-ng speaks about 2.3 s a sentence at 140 words a minute: repeat to the wanted length.
  const target = Number(values.seconds);
  const text = Array.from({ length: Math.max(1, Math.round(target / 5.5)) }, (_, i) => sentences[i % 4]).join(' ');
  const wav = path.join(data.dir, 'talk.wav');
  const webm = path.join(data.dir, 'talk.webm');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '140', '-w', wav, text]);
  const { ffmpeg } = findFfmpeg() as { ffmpeg: string };
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-i', wav, '-c:a', 'libopus', '-b:a', '32k', webm]);

  const cpuBefore = childCpuMs();
  const started = performance.now();
  const transcript = await transcribeRecording(webm, 'audio/webm', {
    promptText: ["The AquaCore 500's twin-train redundancy in 60 seconds", ...keyMessages],
  });
  const wallMs = performance.now() - started;
  const cpuAfter = childCpuMs();
  const cpuMs = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  const audioS = transcript.durationMs / 1000;
  log(`speech: ${audioS.toFixed(1)} s, ${transcript.words.length} words recognised`);
  log(
    `transcription (ffmpeg + two PocketSphinx passes): ${(wallMs / 1000).toFixed(1)} s wall, ${cpuMs === null ? '?' : (cpuMs / 1000).toFixed(1)} s CPU`,
  );
  log(`  per minute of speech: ${(((wallMs / audioS) * 60) / 1000).toFixed(1)} s wall`);

  // The check and the phrase count on a 20-minute talk's worth of words.
  const long = Array.from({ length: 300 }, (_, i) => sentences[i % 4]).join(' ');
  const manyMessages = Array.from({ length: 20 }, (_, i) => `${keyMessages[i % 4]} number ${i}`);
  let t = performance.now();
  checkKeyMessages(long, manyMessages);
  const checkMs = performance.now() - t;
  const rows = Array.from({ length: 200 }, (_, i) => ({
    rep: `rep${i % 40}`,
    text: sentences.slice(0, 1 + (i % 4)).join(' '),
  }));
  t = performance.now();
  repPhrases(rows, keyMessages);
  const phrasesMs = performance.now() - t;
  log(`key-message check, ${long.split(' ').length} words x 20 messages: ${checkMs.toFixed(1)} ms`);
  log(`phrases over 200 transcripts: ${phrasesMs.toFixed(1)} ms`);
  log(
    JSON.stringify({
      bench: 'transcribe',
      speech_s: Number(audioS.toFixed(1)),
      wall_s: Number((wallMs / 1000).toFixed(2)),
      child_cpu_s: cpuMs === null ? null : Number((cpuMs / 1000).toFixed(2)),
      realtime_factor: Number((wallMs / 1000 / audioS).toFixed(2)),
      check_ms: Number(checkMs.toFixed(1)),
      phrases_ms: Number(phrasesMs.toFixed(1)),
    }),
  );
} finally {
  data.cleanup();
}
