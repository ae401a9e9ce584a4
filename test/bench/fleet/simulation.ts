import { StudioClient } from '../../studio/client.ts';
import { SimulatedDevice } from '../../studio/fleet-device.ts';

/**
 * A simulated fleet for the benchmark and the kill test: reps in teams and regions plus booths,
 * each device with a day's worth of realistic records (opens, page views with dwell, meetings,
 * zero-result searches with typos, leads at booths, a status), some of them malformed.
 */
export const TEAMS = ['North', 'South', 'East', 'West', 'Central', 'Enterprise', 'Public', 'Partners'];
export const REGIONS = ['EMEA', 'Americas', 'APAC'];
export const ITEMS = Array.from({ length: 300 }, (_, i) => `item-${String(i).padStart(3, '0')}`);
const QUERIES = Array.from({ length: 200 }, (_, i) => `missing topic ${i}`);

/** A small seeded generator, so a run can be repeated record for record. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

export async function adminOf(
  url: string,
  setupUrl: string | null,
  password = 'benchmark password',
): Promise<StudioClient> {
  const admin = new StudioClient(url);
  if (setupUrl) {
    const token = setupUrl.split('#')[1]!;
    const created = await admin.call('POST', '/api/setup', {
      token,
      email: 'admin@example.com',
      name: 'Admin',
      password,
    });
    if (created.status !== 200) throw new Error(`set-up failed: ${JSON.stringify(created.error)}`);
  } else if ((await admin.signIn('admin@example.com', password)).status !== 200)
    throw new Error('admin sign-in failed');
  return admin;
}

/** Runs tasks with at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
}

export async function enrolFleet(admin: StudioClient, url: string, count: number, concurrency = 16) {
  const devices: SimulatedDevice[] = new Array(count);
  await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const booth = i % 20 === 19;
      const team = TEAMS[i % TEAMS.length]!;
      const made = await admin.call<{ code: string }>(
        'POST',
        '/api/fleet/codes',
        booth
          ? { kind: 'booth', event: `Expo ${i % 3}` }
          : { kind: 'rep', name: `Rep ${i}`, email: `rep${i}@example.com`, team, region: REGIONS[i % REGIONS.length] },
      );
      if (made.status !== 200) throw new Error(`code: ${JSON.stringify(made.error)}`);
      const device = new SimulatedDevice(url, i % 10 === 0 ? '1.3.2' : '1.4.0', i % 7 === 0 ? 2 : 3);
      const enrolled = await device.enrol(made.value.code, booth ? 'kiosk' : 'standard');
      if (enrolled.status !== 200) throw new Error(`enrol: ${JSON.stringify(enrolled.body)}`);
      devices[i] = device;
    },
  );
  return devices;
}

/** A device's records over the last 30 days; `malformed` share are broken in one of several ways. */
export function recordsFor(
  device: SimulatedDevice,
  count: number,
  random: () => number,
  options: { malformed: number; now: number },
): { records: unknown[]; valid: number } {
  const records: unknown[] = [];
  let valid = 0;
  const kiosk = device.enrolment!.identity.booth !== null;
  let meeting: string | null = null;
  const at = () => new Date(options.now - Math.floor(random() * 30 * 86_400_000)).toISOString();
  for (let i = 0; i < count; i++) {
    const when = at();
    const item = ITEMS[Math.floor(random() ** 2 * ITEMS.length)]!;
    const roll = random();
    let record;
    if (i === 0) record = device.status(when, { releaseVersion: device.releaseVersion, ready: random() > 0.1 });
    else if (roll < 0.03) {
      meeting = `m-${device.id}-${i}`;
      record = device.meeting(when, {
        id: meeting,
        account: `Account ${Math.floor(random() * 400)}`,
        outcome: ['won', 'follow-up', 'lost', 'no decision'][Math.floor(random() * 4)]!,
      });
    } else if (roll < 0.06) {
      const query = QUERIES[Math.floor(random() ** 2 * QUERIES.length)]!;
      // Some typed with a slip or in capitals: Studio folds them together.
      const typed = random() < 0.2 ? query.toUpperCase() : random() < 0.2 ? query.replace('topic', 'topci') : query;
      record = device.searchMiss(when, typed, kiosk ? 'kiosk' : 'rep');
    } else if (kiosk && roll < 0.12) {
      record = device.lead(when, {
        id: `${device.id}-${i}`,
        email: `visitor${i}@example.org`,
        consentVersion: random() < 0.9 ? 'v3' : null,
        viewedItems: [item, ITEMS[Math.floor(random() * 20)]!],
      });
    } else if (roll < 0.35) record = device.event(when, { itemId: item });
    else
      record = device.event(when, {
        itemId: item,
        page: 1 + Math.floor(random() ** 1.5 * 12),
        dwellMs: 2000 + Math.floor(random() * 60_000),
        meetingId: random() < 0.5 ? meeting : null,
      });
    if (random() < options.malformed) {
      const broken = { ...(record as object) } as Record<string, unknown>;
      const how = Math.floor(random() * 3);
      if (how === 0) broken.kind = 'nonsense';
      else if (how === 1) broken.at = 'last tuesday';
      else broken.payload = { nothing: true };
      records.push(broken);
    } else {
      records.push(record);
      valid += 1;
    }
  }
  return { records, valid };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
