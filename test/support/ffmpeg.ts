import { spawnSync } from 'node:child_process';
import { requireFfmpeg } from '#publish/convert/media';

/**
 * ffmpeg for the media tests: Debian's package is installed when it is missing (we run as root
 * with apt, as CI does on a fresh machine); when that is impossible, callers skip with the reason.
 */
let cached: { ffmpeg: string; ffprobe: string } | { reason: string } | null = null;

function present(): { ffmpeg: string; ffprobe: string } | null {
  try {
    return requireFfmpeg('ffmpeg');
  } catch {
    return null;
  }
}

export function findFfmpeg(): { ffmpeg: string; ffprobe: string } | { reason: string } {
  if (cached) return cached;
  const existing = present();
  if (existing) return (cached = existing);
  if (process.platform !== 'linux')
    return (cached = { reason: `ffmpeg is not installed and ${process.platform} has no apt-get` });
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return (cached = { reason: 'ffmpeg is not installed and installing it needs root' });
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'ffmpeg'], {
      env,
      encoding: 'utf8',
      timeout: 600_000,
    });
  let result = install();
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { env, encoding: 'utf8', timeout: 240_000 });
    result = install();
  }
  const installed = present();
  if (installed) return (cached = installed);
  const tail = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-2).join(' | ');
  return (cached = {
    reason: `ffmpeg is not installed and apt-get could not install it (${tail || `exit ${result.status ?? 'error'}`})`,
  });
}

/** Makes a short test clip or tone with ffmpeg's own generators; `args` pick codecs and length. */
export function generateMedia(ffmpeg: string, out: string, args: string[]): void {
  const result = spawnSync(ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args, out], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`ffmpeg could not make ${out}: ${result.stderr}`);
}
