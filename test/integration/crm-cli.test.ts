import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '#core/index';
import { tempDir } from '../support/release.ts';

/** `pitchcase crm import`: another CRM's export into a profile's CRM cache, or nothing at all. */
const bin = path.resolve(import.meta.dirname, '..', '..', 'main', 'cli', 'pitchcase.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'crm', 'import', ...args], { encoding: 'utf8' });

async function contacts(profileDir: string, query: string): Promise<string[]> {
  const core = await createCore({ profileDir, shell: 'browser', siteBaseUrl: 'http://x' });
  try {
    return (await core.api.searchCrm({ kind: 'contact', query })).records.map(
      (r) => `${r.name} <${r.id}> ${r.accountName}`,
    );
  } finally {
    core.close();
  }
}

describe('pitchcase crm import', () => {
  it('adds a CSV, then a JSON file, to the cache the picker reads; --replace swaps the file records', async () => {
    const profile = tempDir('pitchcase-cli-crm-');
    cleanups.push(profile.cleanup);
    (await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' })).close();
    const csv = path.join(profile.dir, 'hubspot.csv');
    writeFileSync(
      csv,
      'Record type,Record ID,First Name,Last Name,Email,Company name\ncontact,501,Dana,Whitfield,dana@marston.example,Marston Brewery\ncompany,9001,,,,Marston Brewery\n',
    );
    const first = run('--profile', profile.dir, csv);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /Imported 1 account, 1 contact and 0 opportunities into the CRM cache \(now 1 account, 1 contact, 0 opportunities\)/,
    );

    const json = path.join(profile.dir, 'more.json');
    writeFileSync(
      json,
      JSON.stringify({
        contacts: [{ id: '502', name: 'Daniel Marsh' }],
        opportunities: [{ id: '7001', name: 'Line 2', stage: 'Proposal' }],
      }),
    );
    const second = run('--profile', profile.dir, '--json', json);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      imported: 2,
      counts: { account: 1, contact: 2, opportunity: 1 },
      cachedAt: expect.any(String),
    });
    expect(await contacts(profile.dir, 'dan')).toEqual(['Dana Whitfield <501> Marston Brewery', 'Daniel Marsh <502> ']);

    const replaced = run('--profile', profile.dir, '--replace', json);
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(await contacts(profile.dir, 'dan')).toEqual(['Daniel Marsh <502> ']);
  });

  it('refuses a bad file with the row that is wrong, and changes nothing', async () => {
    const profile = tempDir('pitchcase-cli-crm-bad-');
    cleanups.push(profile.cleanup);
    (await createCore({ profileDir: profile.dir, shell: 'browser', siteBaseUrl: 'http://x' })).close();
    const csv = path.join(profile.dir, 'bad.csv');
    writeFileSync(csv, 'type,id,name\ncontact,501,Dana Whitfield\nlead,502,Bo\n');
    const result = run('--profile', profile.dir, csv);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/^pitchcase: row 3: "lead" is not an account, contact or opportunity\n$/);
    expect(await contacts(profile.dir, '')).toEqual([]);
    const missing = run('--profile', path.join(profile.dir, 'nowhere'), csv);
    expect(missing.stderr).toMatch(/holds no Pitchcase profile/);
  });
});
