import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PublishError } from '../catalogue.ts';

/**
 * Video and audio marketing has in other containers become WebM: VP9 video and Opus audio.
 * Every Chromium plays them — Electron's and Debian's alike — while H.264 and AAC play only in
 * builds that carry proprietary codecs, which Debian's and other open builds may not. ffmpeg
 * (Debian's package) converts; a poster frame and the duration come out of the same pass.
 */
export const convertedVideoExtensions = new Set(['.mov', '.m4v', '.avi', '.mkv']);
export const audioExtensions = new Set(['.mp3', '.m4a', '.wav']);

export const FFMPEG_INSTALL_HINT =
  'install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install Gyan.FFmpeg) or set PITCHCASE_FFMPEG to the ffmpeg program';

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  const names = process.platform === 'win32' ? [`${name}.exe`] : [name];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    for (const candidate of names) if (dir && existsSync(path.join(dir, candidate))) return path.join(dir, candidate);
  }
  return null;
}

/** ffmpeg and its ffprobe: PITCHCASE_FFMPEG when set (ffprobe beside it), else from PATH. */
export function requireFfmpeg(file: string, env: NodeJS.ProcessEnv = process.env): { ffmpeg: string; ffprobe: string } {
  const configured = env.PITCHCASE_FFMPEG?.trim();
  const ffmpeg = configured ? (existsSync(configured) ? configured : null) : onPath('ffmpeg', env);
  const ffprobe = ffmpeg
    ? configured
      ? path.join(path.dirname(configured), path.basename(configured).replace('ffmpeg', 'ffprobe'))
      : onPath('ffprobe', env)
    : null;
  if (ffmpeg && ffprobe && existsSync(ffprobe)) return { ffmpeg, ffprobe };
  throw new PublishError(
    `${file}: converting it needs ffmpeg and ffprobe, which are not installed: ${FFMPEG_INSTALL_HINT}`,
  );
}

export interface ConvertedMedia {
  kind: 'video' | 'audio';
  media: Uint8Array;
  mime: 'video/webm' | 'audio/webm';
  /** A frame one second in (or the first frame of a shorter clip); null for audio. */
  poster: Uint8Array | null;
  durationSeconds: number;
}

function run(program: string, args: string[], timeoutMs: number, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new PublishError(`${label}: could not start ${path.basename(program)} (${error.message})`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL')
        reject(
          new PublishError(
            `${label}: ${path.basename(program)} did not finish within ${Math.round(timeoutMs / 1000)} s`,
          ),
        );
      else if (code !== 0) {
        const reason = err.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit ${code}`;
        reject(
          new PublishError(
            `${label}: ${path.basename(program)} could not read it (${reason.replace(/^.*\/in\.[a-z0-9]+:\s*/i, '')})`,
          ),
        );
      } else resolve(out);
    });
  });
}

/** Converts one file; `ext` says what it claims to be, `label` names it in messages. */
export async function convertMedia(
  data: Uint8Array,
  ext: string,
  label: string,
  tools: { ffmpeg: string; ffprobe: string },
  timeoutMs = 600_000,
): Promise<ConvertedMedia> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pitchcase-media-'));
  try {
    const input = path.join(dir, `in${ext}`);
    await writeFile(input, data);
    const probe = JSON.parse(
      await run(
        tools.ffprobe,
        ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input],
        60_000,
        label,
      ),
    ) as {
      format?: { duration?: string };
      streams?: { codec_type?: string }[];
    };
    const hasVideo = (probe.streams ?? []).some((s) => s.codec_type === 'video') && convertedVideoExtensions.has(ext);
    const hasAudio = (probe.streams ?? []).some((s) => s.codec_type === 'audio');
    const durationSeconds = Number(probe.format?.duration ?? NaN);
    if (!hasVideo && !hasAudio)
      throw new PublishError(`${label}: has no ${convertedVideoExtensions.has(ext) ? 'video' : 'audio'} to convert`);
    if (!Number.isFinite(durationSeconds) || durationSeconds <= 0)
      throw new PublishError(`${label}: its duration cannot be read`);
    const output = path.join(dir, 'out.webm');
    // Realtime VP9 settings: marketing waits for a publish, and a sales video needs no archive quality.
    const videoArgs = hasVideo
      ? [
          '-c:v',
          'libvpx-vp9',
          '-b:v',
          '0',
          '-crf',
          '33',
          '-deadline',
          'realtime',
          '-cpu-used',
          '8',
          '-row-mt',
          '1',
          '-pix_fmt',
          'yuv420p',
        ]
      : ['-vn'];
    const audioArgs = hasAudio ? ['-c:a', 'libopus', '-b:a', '128k'] : ['-an'];
    await run(
      tools.ffmpeg,
      ['-v', 'error', '-nostdin', '-y', '-i', input, ...videoArgs, ...audioArgs, '-f', 'webm', output],
      timeoutMs,
      label,
    );
    let poster: Uint8Array | null = null;
    if (hasVideo) {
      const frame = path.join(dir, 'poster.png');
      const at = durationSeconds > 2 ? '1' : '0';
      await run(
        tools.ffmpeg,
        [
          '-v',
          'error',
          '-nostdin',
          '-y',
          '-ss',
          at,
          '-i',
          input,
          '-frames:v',
          '1',
          '-vf',
          'scale=min(960\\,iw):-2',
          frame,
        ],
        60_000,
        label,
      );
      poster = new Uint8Array(await readFile(frame));
    }
    return {
      kind: hasVideo ? 'video' : 'audio',
      media: new Uint8Array(await readFile(output)),
      mime: hasVideo ? 'video/webm' : 'audio/webm',
      poster,
      durationSeconds: Math.round(durationSeconds * 10) / 10,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
