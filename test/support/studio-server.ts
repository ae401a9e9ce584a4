import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from '@playwright/test';
import { StudioClient } from '../studio/client';

/**
 * A real Studio for one end-to-end test, started as a customer starts it (`pitchcase studio --data
 * <temporary folder> --port 0 --json`), and the set-up most tests begin with: the first admin from
 * the set-up link, people invited by role, a draft published by two people, a rep's enrolment code.
 */
export interface StudioServer {
  url: string;
  /** The one-time link that makes the first admin; its token is after the `#`. */
  setupUrl: string;
  dataDir: string;
}

/** Everyone the set-ups make signs in with this. */
export const studioPassword = 'correct horse battery';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The `studio` fixture: Studio runs for the test, then stops and its data folder is removed. */
// eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
export async function studioServer({}: object, use: (studio: StudioServer) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-studio-e2e-'));
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs'), 'studio', '--data', dataDir, '--port', '0', '--json'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`Studio exited before it listened (code ${code})`)));
    });
    const ready = JSON.parse(line) as { url: string; setupUrl: string };
    await use({ url: ready.url, setupUrl: ready.setupUrl, dataDir });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The first admin (Ada), made with the set-up link's token through the API, and signed in. */
export async function setUpAdmin(studio: StudioServer): Promise<StudioClient> {
  const admin = new StudioClient(studio.url);
  const made = await admin.call('POST', '/api/setup', {
    token: studio.setupUrl.split('#')[1],
    email: 'ada@example.com',
    name: 'Ada',
    password: studioPassword,
  });
  expect(made.status, JSON.stringify(made.error)).toBe(200);
  return admin;
}

export interface InvitedPerson {
  id: string;
  email: string;
  /** Signed in as this person. */
  client: StudioClient;
}

/** One person per role, `<role>@example.com` named by the role, each signed in with a client of their own. */
export async function invite<Role extends string>(
  studio: StudioServer,
  admin: StudioClient,
  roles: readonly Role[],
): Promise<Record<Role, InvitedPerson>> {
  const people = {} as Record<Role, InvitedPerson>;
  for (const role of roles) {
    const email = `${role}@example.com`;
    const made = await admin.call<{ id: string }>('POST', '/api/users', {
      email,
      name: role,
      role,
      password: studioPassword,
    });
    expect(made.status, JSON.stringify(made.error)).toBe(200);
    const client = new StudioClient(studio.url);
    await client.signIn(email, studioPassword);
    people[role] = { id: made.value.id, email, client };
  }
  return people;
}

/** The default channel's draft submitted by the editor, approved and published by the approver (two people). */
export async function publishDraft(editor: StudioClient, approver: StudioClient, note: string): Promise<void> {
  const submitted = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {
    note,
  });
  const release = submitted.value.release.id;
  expect((await approver.call('POST', `/api/releases/${release}/approve`, {})).status).toBe(200);
  expect((await approver.publish(`/api/releases/${release}/publish`)).job?.state).toBe('succeeded');
}

/** An enrolment code for the rep the device tests use: Ana Ortiz of team North. */
export async function repCode(admin: StudioClient): Promise<string> {
  const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', {
    kind: 'rep',
    name: 'Ana Ortiz',
    email: 'ana@acme.example',
    team: 'North',
  });
  expect(made.status).toBe(200);
  return made.value.code;
}
