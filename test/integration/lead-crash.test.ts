import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFileProvider, openLeads } from '#core/kiosk/index';
import { openStorage } from '#core/storage/database';
import { seededRandom as random } from '../support/random.ts';
import { bundleChild } from '../support/bundle-child.ts';
import { tempDir } from '../support/release.ts';

/**
 * Never lose a lead: a kiosk process capturing leads is SIGKILLed at random moments. Every lead
 * whose capture was acknowledged must be there and readable after restart, and no raw byte of
 * the database or its WAL may hold a visitor's e-mail. PITCHCASE_LEAD_CRASH_RUNS raises the count.
 */
const RUNS = Number(process.env.PITCHCASE_LEAD_CRASH_RUNS ?? 200);
const work = tempDir('pitchcase-lead-crash-');
let childScript = '';

beforeAll(async () => {
  childScript = await bundleChild('lead-child');
}, 60_000);

afterAll(() => {
  work.cleanup();
  rmSync(childScript, { force: true });
});

/** Runs a capturing kiosk until killed; resolves with the e-mails it acknowledged. */
function captureUntilKilled(profileDir: string, prefix: string, killAfterMs: number): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, profileDir, prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Map<string, string>();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const match = /^ack (\S+) (\S+)$/.exec(line);
      if (match) acked.set(match[1]!, match[2]!);
    });
    child.on('error', reject);
    child.on('exit', () => resolve(acked));
  });
}

describe('a kiosk killed while capturing leads', () => {
  it(`keeps every acknowledged lead, readable, and never writes an e-mail in clear (${RUNS} SIGKILLs)`, async () => {
    const profileDir = path.join(work.dir, 'kiosk');
    const rand = random(11);
    const acknowledged = new Map<string, string>();
    for (let run = 0; run < RUNS; run++) {
      const acked = await captureUntilKilled(profileDir, `r${run}`, Math.floor(rand() * 60));
      for (const [id, email] of acked) acknowledged.set(id, email);
    }
    expect(acknowledged.size).toBeGreaterThan(RUNS / 4);

    const raw = new Database(path.join(profileDir, 'pitchcase.db'), { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    // Raw bytes first, before anything checkpoints the WAL away.
    for (const file of readdirSync(profileDir).filter((f) => f.startsWith('pitchcase.db'))) {
      const bytes = readFileSync(path.join(profileDir, file)).toString('latin1');
      expect(bytes.includes('@crash-test.example'), file).toBe(false);
    }
    const storage = openStorage(path.join(profileDir, 'pitchcase.db'));
    try {
      const leads = new Map(
        openLeads({ db: storage.write, keys: keyFileProvider(profileDir) }).map((l) => [l.id, l.person.email]),
      );
      for (const [id, email] of acknowledged) expect(leads.get(id), id).toBe(email);
      const outbox = storage.write.prepare(`SELECT count(*) AS n FROM outbox WHERE kind = 'lead'`).get() as {
        n: number;
      };
      expect(outbox.n).toBe(leads.size);
    } finally {
      storage.close();
    }
  }, 900_000);
});
