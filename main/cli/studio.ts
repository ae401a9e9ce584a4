import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { createUser, openStudio, roles, startStudio, type Role } from '#studio/index';
import type { ManifestFormat } from '#shared/manifest';
import { stopSignal } from './stop-signal.ts';
import { rendererDir, repoRoot } from './paths.ts';

export const studioUiDir = path.join(repoRoot, 'build', 'studio');

export interface StudioCommandOptions {
  dataDir: string;
  port: number;
  host: string;
  database?: string;
  publicUrl?: string;
  /** 1 while the fleet still has apps that read only format 1. */
  releaseFormat?: ManifestFormat;
  json: boolean;
}

/** `pitchcase studio`: runs until SIGINT/SIGTERM; prints where it is and, on first start, the set-up link. */
export async function runStudio(options: StudioCommandOptions): Promise<void> {
  // Listen for the stop signals before saying where Studio is: whoever reads that line may stop
  // it at once, and a signal with no listener yet would kill the process without closing it.
  const stopped = stopSignal();
  const studio = await startStudio({
    dataDir: options.dataDir,
    port: options.port,
    host: options.host,
    database: options.database,
    publicUrl: options.publicUrl,
    uiDir: studioUiDir,
    rendererDir,
    ...(options.releaseFormat ? { config: { releaseFormat: options.releaseFormat } } : {}),
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ url: studio.url, setupUrl: studio.setupUrl, dataDir: path.resolve(options.dataDir) })}\n`,
    );
  } else {
    process.stdout.write(`Studio is at ${studio.url} (data in ${path.resolve(options.dataDir)}).\n`);
    if (studio.setupUrl)
      process.stdout.write(
        `Nobody has an account yet. Create the first admin (this link works once, for 24 hours):\n  ${studio.setupUrl}\n`,
      );
    if (!['127.0.0.1', '::1', 'localhost'].includes(options.host) && !options.publicUrl?.startsWith('https:'))
      process.stdout.write(
        `Listening on ${options.host}: put Studio behind HTTPS before people sign in over a network.\n`,
      );
  }
  await stopped;
  await studio.close();
}

async function readPassword(): Promise<{ password: string; generated: boolean }> {
  if (process.stdin.isTTY) return { password: randomBytes(15).toString('base64url'), generated: true };
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  return { password, generated: false };
}

/** `pitchcase studio user add`: an account without the browser (the first admin, or a script). */
export async function runStudioUserAdd(options: {
  dataDir: string;
  database?: string;
  email: string;
  name: string;
  role: string;
}): Promise<void> {
  const args = z
    .object({ email: z.email(), name: z.string().trim().min(1).max(200), role: z.enum(roles) })
    .safeParse({ email: options.email.trim().toLowerCase(), name: options.name, role: options.role });
  if (!args.success) throw new Error(`${args.error.issues[0]?.path.join('.')}: ${args.error.issues[0]?.message}`);
  const { password, generated } = await readPassword();
  if (password.length < 12)
    throw new Error('The password (first line of standard input) needs at least 12 characters.');
  const studio = await openStudio({ dataDir: options.dataDir, database: options.database });
  try {
    const user = await createUser(
      studio.context,
      { email: args.data.email, name: args.data.name, role: args.data.role as Role, password },
      null,
    );
    process.stdout.write(
      `Added ${user.email} as ${user.role}.${generated ? ` Password (shown once): ${password}` : ''}\n`,
    );
  } finally {
    await studio.close();
  }
}
