import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKeys } from '#publish/keys';
import { publishRelease } from '#publish/publish';
import type { ManifestFormat } from '#shared/manifest';

/** `pitchcase keygen --out DIR`: an ed25519 key pair for signing releases. */
export function runKeygen(outDir: string, force: boolean): void {
  const privateFile = path.join(outDir, 'private.pem');
  const publicFile = path.join(outDir, 'public.pem');
  if (!force && (existsSync(privateFile) || existsSync(publicFile))) {
    throw new Error(`${outDir} already holds a key pair; refusing to overwrite it (use --force to replace it)`);
  }
  mkdirSync(outDir, { recursive: true });
  const keys = generateSigningKeys();
  writeFileSync(privateFile, keys.privatePem, { mode: 0o600 });
  writeFileSync(publicFile, keys.publicPem);
  process.stdout.write(
    `Wrote ${privateFile} (keep it secret) and ${publicFile} (pin it in every device's settings).\n`,
  );
}

export interface PublishCommandOptions {
  sourceDir: string;
  outDir: string;
  keyFile: string;
  channel?: string;
  expires: string;
  format?: ManifestFormat;
  minAppVersion?: string;
}

/** `pitchcase publish`: a progress line per step on a terminal, plain lines otherwise. */
export async function runPublish(options: PublishCommandOptions): Promise<void> {
  let keyPem: string;
  try {
    keyPem = readFileSync(options.keyFile, 'utf8');
  } catch {
    throw new Error(`${options.keyFile}: signing key not found`);
  }
  const tty = Boolean(process.stderr.isTTY);
  let lastStep = '';
  const result = await publishRelease({
    sourceDir: options.sourceDir,
    outDir: options.outDir,
    privateKeyPem: keyPem,
    ...(options.channel ? { channel: options.channel } : {}),
    expires: options.expires,
    ...(options.format ? { format: options.format } : {}),
    ...(options.minAppVersion ? { minAppVersion: options.minAppVersion } : {}),
    onProgress: ({ step, done, total, detail }) => {
      const label = step === 'convert' ? 'Converting' : step === 'analyse' ? 'Reading' : 'Writing';
      if (tty) {
        const width = 24;
        const filled = total === 0 ? width : Math.round((done / total) * width);
        process.stderr.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${(detail ?? '').slice(0, 40).padEnd(40)}`,
        );
        if (done === total) process.stderr.write('\n');
      } else if (step !== lastStep || done === total) {
        if (done === total) process.stderr.write(`${label}: ${total} done\n`);
      }
      lastStep = step;
    },
  });
  process.stdout.write(
    `Published ${result.channel} version ${result.version} (release format ${result.format}): ${result.items} items, ${result.blobsWritten} new files (${(result.bytesWritten / 1e6).toFixed(1)} MB), ${result.blobsReused} unchanged, in ${options.outDir}; ${result.pdfsRead} PDFs read, ${result.pdfsReused} unchanged since the last publish\n`,
  );
}
