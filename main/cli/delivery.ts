import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCore, type KeyProvider } from '#core/index';
import { keyFileProvider, leadKeyKind } from '#core/kiosk/index';
import { deliveryKindLabels, deliveryKinds, isDeliveryKind } from '#shared/delivery';
import { rulesOf } from '#shared/connectors/index';
import { PitchcaseError, unwrap } from '#shared/result';
import type {
  ConnectionTestResult,
  DeliveryKind,
  DeliverySettings,
  DeliverySettingsView,
  EndpointView,
} from '#shared/sync';

/**
 * `pitchcase delivery settings`: IT sets up where a device's records go before handing it out
 * (or looks at it), through the same API and validation as the app's "Where records go".
 * Secrets never go on the command line, where shell history and the process list would keep
 * them: they come in a JSON file (or stdin), and are printed only as "set".
 */
export interface DeliveryFlags {
  profileDir: string;
  json: boolean;
  /** A whole change as the API takes it: {"lead": {...}, "event": null}. */
  setFile?: string;
  webhooks: Partial<Record<DeliveryKind, string>>;
  salesforceFiles: Partial<Record<'lead' | 'meeting', string>>;
  /** Folders for CSV files, as typed (relative to the working directory). */
  folders?: Partial<Record<DeliveryKind, string>>;
  none: string[];
  test: boolean;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as unknown;
  } catch (error) {
    throw new PitchcaseError(
      'bad-request',
      `${file === '-' ? 'stdin' : file}: not readable JSON for ${what} (${(error as Error).message})`,
    );
  }
}

/** The change the flags ask for; a kind named twice is refused rather than guessed. */
export function deliveryChangeFromFlags(
  flags: Omit<DeliveryFlags, 'profileDir' | 'json' | 'test'>,
): Record<string, unknown> {
  const change: Record<string, unknown> = {};
  const setOnce = (kind: string, value: unknown, flag: string) => {
    if (kind in change)
      throw new PitchcaseError(
        'bad-request',
        `${flag}: ${deliveryKindLabels[kind as DeliveryKind]} are set by another flag already`,
      );
    change[kind] = value;
  };
  if (flags.setFile) {
    const whole = readJson(flags.setFile, 'delivery settings');
    if (typeof whole !== 'object' || whole === null || Array.isArray(whole))
      throw new PitchcaseError(
        'bad-request',
        `${flags.setFile}: expected an object such as {"lead": {"type": "webhook", "url": "https://…"}}`,
      );
    Object.assign(change, whole);
  }
  for (const [kind, url] of Object.entries(flags.webhooks))
    setOnce(kind, { type: 'webhook', url }, `--${kind}-webhook`);
  for (const [kind, file] of Object.entries(flags.salesforceFiles)) {
    const endpoint = readJson(file, 'a Salesforce connector');
    if (typeof endpoint !== 'object' || endpoint === null || Array.isArray(endpoint))
      throw new PitchcaseError(
        'bad-request',
        `${file}: expected an object such as {"instanceUrl": "https://…", "clientId": "…", "refreshToken": "…"}`,
      );
    setOnce(kind, { type: 'salesforce', ...endpoint }, `--${kind}-salesforce`);
  }
  // A folder named relative to where IT stands is stored as the full path the app will use.
  for (const [kind, dir] of Object.entries(flags.folders ?? {}))
    setOnce(kind, { type: 'folder', path: dir.trim() ? path.resolve(dir) : dir }, `--${kind}-folder`);
  for (const name of flags.none) {
    const kind = name === 'activity' ? 'event' : name;
    if (!isDeliveryKind(kind))
      throw new PitchcaseError('bad-request', `--none ${name}: a kind is lead, meeting or event (activity)`);
    setOnce(kind, null, `--none ${name}`);
  }
  return change;
}

/** One line per kind, as the settings screen summarises it: the connector words it. */
export function destinationLine(endpoint: EndpointView | null): string {
  if (!endpoint) return 'not sent (records wait on the device)';
  return rulesOf(endpoint.type).line(endpoint as never);
}

/**
 * A profile whose lead key the desktop app sealed in the OS keystore: only the app, as its
 * user, can seal secrets for it. Everything without a secret still works from here.
 */
export function keysFor(profileDir: string): KeyProvider {
  if (leadKeyKind(profileDir) !== 'os-keystore') return keyFileProvider(profileDir);
  return {
    leadKey() {
      throw new PitchcaseError(
        'refused',
        "This profile's key is sealed by the desktop app's OS keystore: set secrets in the app (Content sync → Where records go), or provision them before the app first runs on this profile",
      );
    },
  };
}

export async function runDeliverySettings(flags: DeliveryFlags): Promise<void> {
  const change = deliveryChangeFromFlags(flags);
  const core = await createCore({
    profileDir: flags.profileDir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    keys: keysFor(flags.profileDir),
  });
  try {
    const view = Object.keys(change).length
      ? unwrap<DeliverySettingsView>(await core.handle('updateDeliverySettings', change as DeliverySettings))
      : unwrap<DeliverySettingsView>(await core.handle('getDeliverySettings', {}));
    const tests: Partial<Record<DeliveryKind, ConnectionTestResult>> = {};
    if (flags.test) {
      for (const kind of deliveryKinds)
        if (view[kind])
          tests[kind] = unwrap<ConnectionTestResult>(await core.handle('testDeliveryConnection', { kind }));
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(flags.test ? { ...view, tests } : view, null, 2)}\n`);
    } else {
      const width = Math.max(...deliveryKinds.map((k) => deliveryKindLabels[k].length)) + 2;
      for (const kind of deliveryKinds) {
        process.stdout.write(`${deliveryKindLabels[kind].padEnd(width)}${destinationLine(view[kind])}\n`);
        const test = tests[kind];
        if (test) process.stdout.write(`${''.padEnd(width)}${test.ok ? 'test ok' : 'TEST FAILED'}: ${test.message}\n`);
      }
    }
    const failed = Object.entries(tests).filter(([, t]) => !t.ok);
    if (failed.length)
      throw new PitchcaseError(
        'refused',
        `Test connection failed for ${failed.map(([k]) => deliveryKindLabels[k as DeliveryKind].toLowerCase()).join(' and ')}`,
      );
  } finally {
    core.close();
  }
}
