import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { FLEET_PATHS, type EnrolAnswer } from '#shared/fleet';
import { PRACTICE_CHUNK_BYTES, PRACTICE_CONSENT, PRACTICE_PATHS } from '#shared/practice-review';
import { tempDir } from '../../support/release.ts';
import { StudioClient } from '../../studio/client.ts';
import { spawnStudio } from '../../studio/studio-process.ts';

/**
 * npm run bench:practice [-- --mb 190]
 * One practice recording the size of a five-minute 720p video (190 MB by default) uploaded by a
 * device to a Studio process on loopback, in the protocol's 1 MiB chunks, each acknowledged before
 * the next: the throughput of the chunk protocol itself, and how long the last chunk takes
 * (Studio reads the whole file back for its sha256 and stores it). The last line is one JSON object.
 */
const { values } = parseArgs({ options: { mb: { type: 'string', default: '190' } } });
const size = Math.round(Number(values.mb) * 1e6);
const log = (line: string) => process.stdout.write(`${line}\n`);

const data = tempDir('bench-practice-');
const studio = await spawnStudio({ dataDir: data.dir });
try {
  const admin = new StudioClient(studio.url);
  await admin.call('POST', '/api/setup', {
    token: studio.setupUrl!.split('#')[1],
    email: 'ada@example.com',
    name: 'Ada',
    password: 'correct horse battery',
  });
  const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', {
    kind: 'rep',
    name: 'Bench Rep',
    email: 'bench@acme.example',
    team: 'North',
  });
  const enrolled = (await (
    await fetch(`${studio.url}${FLEET_PATHS.enrol}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: made.value.code,
        device: { name: 'bench', platform: 'linux', appVersion: '0.0.0', profileKind: 'standard' },
      }),
    })
  ).json()) as EnrolAnswer;
  const auth = { authorization: `Device ${enrolled.credential}` };

  const file = randomBytes(size);
  file.writeUInt32BE(0x1a45dfa3, 0);
  const sha256 = createHash('sha256').update(file).digest('hex');
  const started = performance.now();
  const opened = (await (
    await fetch(`${studio.url}${PRACTICE_PATHS.uploads}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        takeId: 'bench-take',
        promptId: 'bench',
        promptTitle: 'Bench',
        keyMessages: [],
        releaseVersion: null,
        recordedAt: new Date().toISOString(),
        mime: 'video/webm',
        durationMs: 300_000,
        size,
        sha256,
        consent: { version: PRACTICE_CONSENT.version, shareAsExample: false },
      }),
    })
  ).json()) as { uploadId: string; offset: number };
  let offset = opened.offset;
  let chunks = 0;
  let lastChunkMs = 0;
  let recordingId: string | null = null;
  while (recordingId === null) {
    const chunk = file.subarray(offset, Math.min(size, offset + PRACTICE_CHUNK_BYTES));
    const at = performance.now();
    const answer = (await (
      await fetch(`${studio.url}${PRACTICE_PATHS.uploads}/${opened.uploadId}?offset=${offset}`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(chunk),
      })
    ).json()) as { offset: number; recordingId: string | null; error?: string };
    if (answer.error) throw new Error(`Studio refused a chunk: ${answer.error}`);
    lastChunkMs = performance.now() - at;
    offset = answer.offset;
    recordingId = answer.recordingId;
    chunks++;
  }
  const totalMs = performance.now() - started;
  const summary = {
    bench: 'practice-upload',
    bytes: size,
    chunk_bytes: PRACTICE_CHUNK_BYTES,
    chunks,
    total_ms: Math.round(totalMs),
    mb_per_s: Number((size / 1e6 / (totalMs / 1000)).toFixed(1)),
    last_chunk_ms: Math.round(lastChunkMs),
  };
  log(
    `${(size / 1e6).toFixed(0)} MB in ${chunks} chunks: ${summary.total_ms} ms (${summary.mb_per_s} MB/s), ` +
      `the last chunk (checksum and store) ${summary.last_chunk_ms} ms`,
  );
  log(JSON.stringify(summary));
} finally {
  await studio.stop();
  data.cleanup();
}
