import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore, readPackageVersion, stderrLog } from '#core/index';
import { fetchVerifiedRelease, parsePublicKey, sourceFor } from '#core/channel/index';
import { parsePageText } from '#core/library/index';
import { startHost } from '#host/server';
import { stopSignal } from './stop-signal.ts';
import { PitchcaseError } from '#shared/result';
import type { SyncStatus } from '#shared/sync';
import { assertBuilt, rendererDir } from './paths.ts';

function readKeys(files: readonly string[]): string[] {
  if (files.length === 0) throw new PitchcaseError('bad-request', "Give the channel's public key with --pubkey FILE");
  return files.map((file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new PitchcaseError('bad-request', `${file}: public key not found`);
    }
  });
}

/** A folder path or a URL, as a channel URL. */
export function channelUrlOf(location: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : pathToFileURL(path.resolve(location)).href;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** `pitchcase sync`: what the app does on "Check now", headless, for IT and scripts. */
export async function runSync(options: {
  profileDir: string;
  channel: string;
  pubkeys: string[];
  json: boolean;
}): Promise<void> {
  const core = await createCore({
    profileDir: options.profileDir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    log: options.json ? { info() {}, warn() {}, error() {} } : stderrLog,
  });
  const tty = !options.json && Boolean(process.stderr.isTTY);
  const emit = (event: string, body: Record<string, unknown>) =>
    process.stdout.write(`${JSON.stringify({ event, ...body })}\n`);
  const off = core.events.on('sync.status', (status: SyncStatus) => {
    if (options.json) {
      emit('status', {
        state: status.state,
        progress: status.progress,
        plan: status.plan ? { toVersion: status.plan.toVersion, downloadBytes: status.plan.downloadBytes } : null,
      });
    } else if (tty && status.state === 'downloading' && status.progress) {
      const p = status.progress;
      const width = 28;
      const filled = p.bytesTotal === 0 ? width : Math.round((p.bytesDone / p.bytesTotal) * width);
      process.stderr.write(
        `\rDownloading [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${mb(p.bytesDone)} / ${mb(p.bytesTotal)}  ${p.filesDone}/${p.filesTotal} files${p.etaSeconds !== null ? `  ${p.etaSeconds} s left` : ''}   `,
      );
    }
  });
  try {
    const before = await core.api.getLibrary({});
    await core.api.updateChannelSettings({
      channelUrl: channelUrlOf(options.channel),
      publicKeys: readKeys(options.pubkeys),
      autoApply: true,
    });
    await core.api.applyContent({});
    // Exit only once the new files are on disk: a device provisioned by IT may be unplugged
    // next. A disk that fails them rolls the switch back, and that is a failure too.
    await core.settled();
    const status = await core.api.getSyncStatus({});
    if (tty) process.stderr.write('\n');
    if (status.state === 'error' || status.lastError) {
      const reason = status.lastError?.message ?? 'sync failed';
      if (options.json) emit('error', { message: reason });
      throw new PitchcaseError(
        /refused|signature|expired|older|malformed|hash|larger/i.test(reason) ? 'refused' : 'internal',
        reason,
      );
    }
    const after = await core.api.getLibrary({});
    const changed =
      after.release?.version !== before.release?.version || after.release?.channel !== before.release?.channel;
    if (options.json) {
      emit('done', {
        channel: after.release?.channel ?? null,
        version: after.release?.version ?? null,
        items: after.release?.itemCount ?? 0,
        changed,
        storageBytes: status.storageBytes,
      });
    } else {
      process.stdout.write(
        changed
          ? `Installed ${after.release?.channel} version ${after.release?.version} (${after.release?.itemCount} items); ${mb(status.storageBytes)} on this device.\n`
          : `Already up to date: ${after.release?.channel} version ${after.release?.version}.\n`,
      );
    }
  } finally {
    off();
    core.close();
  }
}

/** `pitchcase status`: what a profile holds and owes, for IT. */
export async function runStatus(options: { profileDir: string; json: boolean }): Promise<void> {
  const core = await createCore({ profileDir: options.profileDir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
  try {
    const library = await core.api.getLibrary({});
    const sync = await core.api.getSyncStatus({});
    const report = {
      profileDir: options.profileDir,
      release: library.release
        ? {
            channel: library.release.channel,
            version: library.release.version,
            items: library.release.itemCount,
            publishedAt: library.release.publishedAt,
            expiresAt: library.release.expiresAt,
            installedAt: library.release.installedAt,
          }
        : null,
      channelUrl: sync.channelUrl,
      lastSync: sync.lastSuccessAt,
      lastCheck: sync.lastCheckAt,
      lastError: sync.lastError,
      storageBytes: sync.storageBytes,
      pendingOutbox: sync.pendingUploads,
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const r = report.release;
    process.stdout.write(
      [
        `Profile:      ${report.profileDir}`,
        `Library:      ${r ? `${r.channel} version ${r.version}, ${r.items} items (published ${r.publishedAt})` : 'none installed'}`,
        `Channel:      ${report.channelUrl ?? 'not configured'}`,
        `Last sync:    ${report.lastSync ?? 'never'}${report.lastError ? `  (last error ${report.lastError.at}: ${report.lastError.message})` : ''}`,
        `Storage:      ${mb(report.storageBytes)}`,
        `Outbox:       ${report.pendingOutbox} rows waiting to upload`,
      ].join('\n') + '\n',
    );
  } finally {
    core.close();
  }
}

/** `pitchcase verify`: the device's checks, run by marketing before anyone syncs. */
export async function runVerify(options: { location: string; pubkeys: string[]; json: boolean }): Promise<void> {
  const source = sourceFor(channelUrlOf(options.location));
  const keys = readKeys(options.pubkeys).map((pem) => parsePublicKey(pem));
  const { manifest } = await fetchVerifiedRelease(source, keys, new Date(), readPackageVersion());
  const files = new Map<string, number>();
  /** Page text files, by sha256, with an item that names them: a device unpacks them to search. */
  const texts = new Map<string, string>();
  for (const item of manifest.items)
    for (const f of item.files) {
      files.set(f.sha256, f.size);
      if (f.role === 'text') texts.set(f.sha256, item.id);
    }
  const problems: string[] = [];
  let bytes = 0;
  for (const [sha256, size] of files) {
    try {
      const hash = createHash('sha256');
      const kept: Buffer[] = [];
      let got = 0;
      for await (const chunk of (await source.openBlob(sha256)) as AsyncIterable<Buffer>) {
        got += chunk.length;
        if (got > size) break;
        hash.update(chunk);
        if (texts.has(sha256)) kept.push(chunk);
      }
      if (got !== size) problems.push(`${sha256}: ${got > size ? 'more than' : got} bytes, ${size} declared`);
      else if (hash.digest('hex') !== sha256) problems.push(`${sha256}: content does not match its hash`);
      else if (texts.has(sha256)) {
        try {
          parsePageText(Buffer.concat(kept));
        } catch (error) {
          problems.push(
            `${sha256}: the page text of "${texts.get(sha256)}" is unreadable (${(error as Error).message})`,
          );
        }
      }
      bytes += Math.min(got, size);
    } catch (error) {
      problems.push(`${sha256}: ${(error as Error).message}`);
    }
  }
  const summary = {
    ok: problems.length === 0,
    channel: manifest.channel,
    version: manifest.version,
    items: manifest.items.length,
    files: files.size,
    bytes,
    expiresAt: manifest.expiresAt,
    problems,
  };
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else if (summary.ok)
    process.stdout.write(
      `OK: ${manifest.channel} version ${manifest.version}, signature valid, ${files.size} files (${mb(bytes)}) match their sizes and hashes; expires ${manifest.expiresAt}.\n`,
    );
  if (!summary.ok) {
    if (!options.json) for (const p of problems) process.stderr.write(`  ${p}\n`);
    throw new PitchcaseError('refused', `${problems.length} of ${files.size} files failed verification`);
  }
}

/** `pitchcase preview`: the app, on a throwaway profile holding exactly this release. */
export async function runPreview(options: {
  releaseDir: string;
  pubkey?: string;
  port: number;
  json: boolean;
}): Promise<void> {
  assertBuilt();
  const keyFile = options.pubkey ?? path.join(options.releaseDir, 'public.pem');
  let publicKeyPem: string;
  try {
    publicKeyPem = readFileSync(keyFile, 'utf8');
  } catch {
    throw new PitchcaseError('bad-request', `${keyFile}: public key not found (give it with --pubkey FILE)`);
  }
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-preview-'));
  try {
    const stopped = stopSignal();
    const host = await startHost({
      core: { profileDir, embeddedRelease: { dir: path.resolve(options.releaseDir), publicKeyPem }, log: stderrLog },
      rendererDir,
      port: options.port,
    });
    const library = await host.core.api.getLibrary({});
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ url: host.url, siteUrl: host.siteUrl, channel: library.release?.channel, version: library.release?.version })}\n`,
      );
    else
      process.stdout.write(
        `Previewing ${library.release?.channel} version ${library.release?.version} (${library.release?.itemCount} items) at ${host.url}  (Ctrl+C to stop)\n`,
      );
    await stopped;
    await host.close();
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
}
