import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import { FakeSalesforceOrg } from '../support/fake-salesforce-oauth.ts';
import { tempDir } from '../support/release.ts';

/**
 * `pitchcase delivery settings`: IT provisions a profile from a terminal, secrets from files,
 * through the same validation as the app; the app then delivers with what was set.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs');
const cleanups: (() => void)[] = [];
const org = new FakeSalesforceOrg();
const hookRequests: IncomingHttpHeaders[] = [];
const hook = createServer((req, res) => {
  hookRequests.push(req.headers);
  req.resume().on('end', () => res.writeHead(200).end('{}'));
});
let hookUrl = '';

beforeAll(async () => {
  await org.start();
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/in`;
});
afterAll(async () => {
  await org.stop();
  hook.closeAllConnections();
  await new Promise((resolve) => hook.close(resolve));
  cleanups.forEach((c) => c());
});

/** Runs the CLI without blocking this process, whose servers must answer its test requests. */
function pitchcase(
  args: string[],
  input?: string,
  cwd?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function profile(): string {
  const p = tempDir('pitchcase-cli-delivery-');
  cleanups.push(p.cleanup);
  return p.dir;
}

describe('pitchcase delivery settings', () => {
  it('provisions a webhook and Salesforce with refresh credentials from a file, tests both, and prints no secret', async () => {
    const dir = profile();
    const sfFile = path.join(dir, 'salesforce.json');
    writeFileSync(
      sfFile,
      JSON.stringify({
        instanceUrl: org.url,
        tokenUrl: org.tokenUrl,
        clientId: org.clientId,
        clientSecret: org.clientSecret,
        refreshToken: org.refreshToken,
      }),
      { mode: 0o600 },
    );
    const result = await pitchcase([
      'delivery',
      'settings',
      '--profile',
      dir,
      '--lead-webhook',
      hookUrl,
      '--meeting-salesforce',
      sfFile,
      '--test',
      '--json',
    ]);
    expect(result.status, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({
      lead: { type: 'webhook', url: hookUrl, hasAuthorization: false },
      meeting: {
        type: 'salesforce',
        instanceUrl: org.url,
        clientId: org.clientId,
        hasRefreshToken: true,
        hasClientSecret: true,
        hasAccessToken: false,
        tokenUrl: org.tokenUrl,
      },
      event: null,
      tests: {
        lead: { ok: true },
        meeting: { ok: true, message: 'Connected to Salesforce: Task records will be upserted by Pitchcase_Id__c' },
      },
    });
    expect(hookRequests.at(-1)?.['pitchcase-test']).toBe('1');
    for (const secret of [org.clientSecret, org.refreshToken, '00Dfake!session'])
      expect(result.stdout + result.stderr).not.toContain(secret);
    for (const file of readdirSync(dir).filter((f) => f.startsWith('pitchcase.db'))) {
      const bytes = readFileSync(path.join(dir, file)).toString('latin1');
      for (const secret of [org.clientSecret, org.refreshToken])
        expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
    }

    // The app on that profile delivers with what IT set (the token the test got is cached).
    const core = await createCore({ profileDir: dir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
    try {
      await core.api.saveMeeting({
        id: 'cli-meeting-01',
        startedAt: '2026-05-12T09:00:00Z',
        endedAt: '2026-05-12T09:30:00Z',
        status: 'logged',
        account: 'Marston Brewery',
        outcome: 'Trial agreed',
      });
      expect((await core.api.deliverNow({})).pendingByKind.meeting ?? 0).toBe(0);
      expect(
        org.upserts.has(
          `/services/data/v61.0/sobjects/Task/Pitchcase_Id__c/${encodeURIComponent('meeting:cli-meeting-01')}`,
        ),
      ).toBe(true);
    } finally {
      core.close();
    }

    const shown = await pitchcase(['delivery', 'settings', '--profile', dir, '--none', 'lead']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^Leads\s+not sent \(records wait on the device\)$/m);
    expect(shown.stdout).toMatch(
      new RegExp(
        `^Meetings and follow-ups\\s+Salesforce ${org.url} \\(refresh credentials set for client ${org.clientId} with secret`,
        'm',
      ),
    );
    expect(shown.stdout).toMatch(/^Activity\s+not sent/m);
  });

  it('takes a whole change from stdin, Authorization header included, and refuses what the app refuses', async () => {
    const dir = profile();
    const set = await pitchcase(
      ['delivery', 'settings', '--profile', dir, '--set', '-', '--json'],
      JSON.stringify({ event: { type: 'webhook', url: hookUrl, authorization: 'Bearer cli-hook-secret' } }),
    );
    expect(set.status, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ event: { hasAuthorization: true, headerNames: ['Authorization'] } });
    expect(set.stdout).not.toContain('cli-hook-secret');
    const tested = await pitchcase(['delivery', 'settings', '--profile', dir, '--test']);
    expect(tested.status, tested.stderr).toBe(0);
    expect(hookRequests.at(-1)?.authorization).toBe('Bearer cli-hook-secret');

    const http = await pitchcase([
      'delivery',
      'settings',
      '--profile',
      dir,
      '--lead-webhook',
      'http://crm.example.com/in',
    ]);
    expect(http.status).toBe(1);
    expect(http.stderr).toMatch(
      /^pitchcase: updateDeliverySettings: lead\.url The webhook URL must start with https:\/\//,
    );
    const noToken = await pitchcase(
      ['delivery', 'settings', '--profile', dir, '--set', '-'],
      JSON.stringify({ lead: { type: 'salesforce', instanceUrl: 'https://acme.my.salesforce.com' } }),
    );
    expect(noToken.status).toBe(1);
    expect(noToken.stderr).toMatch(/Leads: Salesforce needs an access token, or OAuth refresh credentials/);
    const twice = await pitchcase([
      'delivery',
      'settings',
      '--profile',
      dir,
      '--lead-webhook',
      hookUrl,
      '--none',
      'lead',
    ]);
    expect(twice.stderr).toMatch(/--none lead: Leads are set by another flag already/);
    const kind = await pitchcase(['delivery', 'settings', '--profile', dir, '--none', 'visitors']);
    expect(kind.stderr).toMatch(/a kind is lead, meeting or event/);
    // Nothing refused changed anything.
    const after = JSON.parse((await pitchcase(['delivery', 'settings', '--profile', dir, '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(after).toMatchObject({ lead: null, event: { url: hookUrl, hasAuthorization: true } });
  });

  it('sends kinds to folders, a relative one as its full path, tests them, and the app writes its CSV files there', async () => {
    const dir = profile();
    const work = profile();
    const meetings = path.join(work, 'meetings');
    mkdirSync(meetings);
    mkdirSync(path.join(work, 'activity'));
    const set = await pitchcase(
      [
        'delivery',
        'settings',
        '--profile',
        dir,
        '--meeting-folder',
        meetings,
        '--event-folder',
        'activity',
        '--test',
        '--json',
      ],
      undefined,
      work,
    );
    expect(set.status, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      lead: null,
      meeting: { type: 'folder', path: meetings },
      event: { type: 'folder', path: path.join(work, 'activity') },
      tests: { meeting: { ok: true, message: expect.stringMatching(/^Pitchcase can write to /) }, event: { ok: true } },
    });
    expect(readdirSync(meetings)).toEqual([]);

    const missing = path.join(work, 'not-synced-yet');
    const failed = await pitchcase(['delivery', 'settings', '--profile', dir, '--lead-folder', missing, '--test']);
    expect(failed.status).toBe(3);
    expect(failed.stdout).toMatch(new RegExp(`^Leads\\s+folder ${missing} \\(one CSV file per batch\\)$`, 'm'));
    expect(failed.stdout).toContain(`TEST FAILED: The folder ${missing} does not exist`);
    expect(failed.stderr).toMatch(/Test connection failed for leads/);

    const twice = await pitchcase([
      'delivery',
      'settings',
      '--profile',
      dir,
      '--event-webhook',
      hookUrl,
      '--event-folder',
      meetings,
    ]);
    expect(twice.stderr).toMatch(/--event-folder: Activity are set by another flag already/);
    const relative = await pitchcase(
      ['delivery', 'settings', '--profile', dir, '--set', '-'],
      JSON.stringify({ event: { type: 'folder', path: 'activity' } }),
    );
    expect(relative.status).toBe(1);
    expect(relative.stderr).toMatch(/The folder must be a full path/);

    const core = await createCore({ profileDir: dir, shell: 'browser', siteBaseUrl: 'http://127.0.0.1' });
    try {
      await core.api.saveMeeting({
        id: 'cli-folder-meeting',
        startedAt: '2026-05-12T09:00:00Z',
        endedAt: '2026-05-12T09:30:00Z',
        status: 'logged',
        account: 'Marston Brewery',
        outcome: 'Trial agreed',
      });
      expect((await core.api.deliverNow({})).pendingByKind.meeting ?? 0).toBe(0);
    } finally {
      core.close();
    }
    const [file] = readdirSync(meetings);
    expect(file).toMatch(/^pitchcase-meeting-\d{4}-\d{2}-\d{2}-[0-9a-f]{16}\.csv$/);
    expect(readFileSync(path.join(meetings, file!), 'utf8')).toMatch(
      /Meeting with Marston Brewery: Trial agreed.*meeting:cli-folder-meeting/,
    );
  });

  it('on a profile whose key the desktop app sealed in the OS keystore, refuses new secrets but changes the rest', async () => {
    const dir = profile();
    writeFileSync(path.join(dir, 'lead.key.sealed'), 'sealed by the keystore');
    const secret = await pitchcase(
      ['delivery', 'settings', '--profile', dir, '--set', '-'],
      JSON.stringify({ lead: { type: 'webhook', url: hookUrl, authorization: 'Bearer x' } }),
    );
    expect(secret.status).toBe(3);
    expect(secret.stderr).toMatch(/sealed by the desktop app's OS keystore: set secrets in the app/);
    const plain = await pitchcase(['delivery', 'settings', '--profile', dir, '--lead-webhook', hookUrl, '--json']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ lead: { url: hookUrl, hasAuthorization: false } });
    expect(readdirSync(dir)).not.toContain('lead.key');
  });
});
