import { Command, InvalidArgumentError, Option } from 'commander';
import { PitchcaseError } from '#shared/result';
import { defaultProfileDir, resolveProfileDir } from '#core/index';
import { runPreview, runStatus, runSync, runVerify } from './channel.ts';
import { runKeygen, runPublish } from './publish.ts';
import { runLeadsExport } from './leads.ts';
import { runCrmImport } from './crm.ts';
import { runReport } from './report.ts';
import { readStdin, runKioskPin, runKioskSettings } from './kiosk.ts';
import { runDeliverySettings } from './delivery.ts';
import { runEnrol } from './enrol.ts';
import { runSearch } from './search.ts';
import { runLaunch, runStart, type StartOptions } from './start.ts';

/**
 * `pitchcase`: one command for IT, marketing and scripts. Every subcommand that touches a
 * profile takes it from --profile DIR, then PITCHCASE_PROFILE, then the OS user-data folder.
 */
function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return n;
}

const profileOption = () =>
  new Option('--profile <dir>', 'profile directory (database, blobs, settings); or set PITCHCASE_PROFILE').default(
    undefined,
    `$PITCHCASE_PROFILE or ${defaultProfileDir()}`,
  );

function profileFrom(opts: { profile?: string }): string {
  return resolveProfileDir(opts.profile ? ['--profile', opts.profile] : [], process.env);
}

interface HostFlags {
  profile?: string;
  port: number;
  sitePort: number;
  json?: boolean;
  open?: boolean;
  kiosk?: boolean;
  standard?: boolean;
  /** commander's `--no-connect-prompt`: false when given. */
  connectPrompt?: boolean;
}

function startOptions(flags: HostFlags): StartOptions {
  return {
    profileDir: profileFrom(flags),
    port: flags.port,
    sitePort: flags.sitePort,
    json: flags.json ?? false,
    open: flags.open ?? false,
    kiosk: flags.kiosk ? true : flags.standard ? false : null,
    connectPrompt: flags.connectPrompt !== false,
  };
}

export function buildProgram(): Command {
  const program = new Command()
    .name('pitchcase')
    .description('Pitchcase: your sales collateral, on the device, found in one keystroke.')
    .showHelpAfterError()
    // Lets `studio` and `studio user add` each have their own --data (commander needs it from the root down).
    .enablePositionalOptions()
    .configureHelp({ sortSubcommands: true });

  program
    .command('start')
    .description('serve the app over the browser host on 127.0.0.1 and print its address')
    .addOption(profileOption())
    .option('--port <n>', 'port of the app (0 = any free port)', port, 4317)
    .option('--site-port <n>', 'port of the separate microsite origin (0 = any free port)', port, 0)
    .option('--json', 'print {"url","siteUrl","profileDir"} as one JSON line when ready')
    .option('--open', 'open the address in the default browser when a desktop is available')
    .option('--kiosk', 'use the trade-show kiosk profile (only kiosk items); remembered in the profile')
    .option('--standard', "use the rep's profile; remembered in the profile")
    .option('--no-connect-prompt', 'do not show the first-run "Connect to your company" screen on this profile')
    .action(async (flags: HostFlags) => runStart(startOptions(flags)));

  program
    .command('launch', { hidden: true })
    .description('what `npm start` runs: Electron where its binary exists, else the browser host')
    .addOption(profileOption())
    .option('--port <n>', 'port of the browser host fallback', port, 4317)
    .option('--site-port <n>', 'port of the microsite origin', port, 0)
    .option('--kiosk', 'kiosk profile')
    .action(async (flags: HostFlags) => {
      const passThrough = [...(flags.profile ? ['--profile', flags.profile] : []), ...(flags.kiosk ? ['--kiosk'] : [])];
      await runLaunch(passThrough, startOptions(flags));
    });

  program
    .command('keygen')
    .description('create an ed25519 key pair for signing releases: DIR/private.pem and DIR/public.pem')
    .requiredOption('--out <dir>', 'where to write the keys')
    .option('--force', 'replace an existing key pair')
    .action((flags: { out: string; force?: boolean }) => runKeygen(flags.out, flags.force ?? false));

  program
    .command('publish')
    .description(
      'build a signed release from a folder of collateral (its catalogue.yaml, or without one every PDF, image, video and microsite folder in it)',
    )
    .argument('<source-dir>', 'the collateral and its catalogue.yaml')
    .requiredOption(
      '--out <release-dir>',
      'the release folder to write (its previous version is read to number this one)',
    )
    .requiredOption('--key <private-key>', 'the private.pem made by `pitchcase keygen`')
    .option('--channel <id>', 'channel id (default: the catalogue\'s, else "default")')
    .option('--expires <duration>', 'how long the release stays valid: 30d, 12h, 90m', '30d')
    .addOption(
      new Option('--format <n>', 'release format: 2 stores page text compressed; 1 for apps that read only format 1')
        .choices(['1', '2'])
        .default('2'),
    )
    .option('--min-app-version <version>', 'the oldest app version that may install this release (format 2)')
    .action(
      async (
        sourceDir: string,
        flags: { out: string; key: string; channel?: string; expires: string; format: string; minAppVersion?: string },
      ) =>
        runPublish({
          sourceDir,
          outDir: flags.out,
          keyFile: flags.key,
          ...(flags.channel ? { channel: flags.channel } : {}),
          expires: flags.expires,
          format: flags.format === '1' ? 1 : 2,
          ...(flags.minAppVersion ? { minAppVersion: flags.minAppVersion } : {}),
        }),
    );

  const collect = (value: string, previous: string[]) => [...previous, value];

  program
    .command('sync')
    .description('check a channel and install its newest release into a profile (IT pre-provisioning, scripts)')
    .addOption(profileOption())
    .requiredOption('--channel <url-or-dir>', 'https:// or file:// URL of the release folder, or a folder path')
    .option('--pubkey <file>', 'pinned public key of the channel (repeatable)', collect, [])
    .option('--json', 'progress and result as JSON lines on stdout')
    .action(async (flags: { profile?: string; channel: string; pubkey: string[]; json?: boolean }) =>
      runSync({
        profileDir: profileFrom(flags),
        channel: flags.channel,
        pubkeys: flags.pubkey,
        json: flags.json ?? false,
      }),
    );

  program
    .command('status')
    .description('the current release, last sync, storage used and pending uploads of a profile')
    .addOption(profileOption())
    .option('--json', 'print one JSON object')
    .action(async (flags: { profile?: string; json?: boolean }) =>
      runStatus({ profileDir: profileFrom(flags), json: flags.json ?? false }),
    );

  program
    .command('verify')
    .description("check a release's signature and every file's size and hash, as devices will")
    .argument('<release>', 'a release folder or its URL')
    .option('--pubkey <file>', 'the public key it must be signed with (repeatable)', collect, [])
    .option('--json', 'print one JSON object')
    .action(async (location: string, flags: { pubkey: string[]; json?: boolean }) =>
      runVerify({ location, pubkeys: flags.pubkey, json: flags.json ?? false }),
    );

  program
    .command('preview')
    .description('serve the app with exactly this release, as reps will see it, on a throwaway profile')
    .argument('<release-dir>', 'the release folder written by `pitchcase publish`')
    .option('--pubkey <file>', 'the public key (default: public.pem in the release folder)')
    .option('--port <n>', 'port of the app (0 = any free port)', port, 4318)
    .option('--json', 'print {"url","siteUrl","channel","version"} when ready')
    .action(async (releaseDir: string, flags: { pubkey?: string; port: number; json?: boolean }) =>
      runPreview({
        releaseDir,
        ...(flags.pubkey ? { pubkey: flags.pubkey } : {}),
        port: flags.port,
        json: flags.json ?? false,
      }),
    );
  program
    .command('search')
    .description('search the library of a profile, as the app does (prefix, typos, page text)')
    .argument('<query...>', 'what to look for')
    .addOption(profileOption())
    .option('--json', 'print one JSON array: [{ id, title, kind, score, pages: [{ page, snippet }] }], best first')
    .option(
      '--limit <n>',
      'how many items',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 200) throw new InvalidArgumentError('a whole number from 1 to 200');
        return n;
      },
      10,
    )
    .option('--kind <kind>', 'only this kind or category (repeatable)', collect, [])
    .option('--product <name>', 'only items for this product (repeatable)', collect, [])
    .option('--collection <id>', 'only items in this collection (repeatable)', collect, [])
    .option('--tag <tag>', 'only items with this tag (repeatable)', collect, [])
    .action(
      async (
        words: string[],
        flags: {
          profile?: string;
          json?: boolean;
          limit: number;
          kind: string[];
          product: string[];
          collection: string[];
          tag: string[];
        },
      ) =>
        runSearch({
          profileDir: profileFrom(flags),
          query: words.join(' '),
          json: flags.json ?? false,
          limit: flags.limit,
          kinds: flags.kind,
          products: flags.product,
          collections: flags.collection,
          tags: flags.tag,
        }),
    );

  program
    .command('leads')
    .description("the kiosk's leads")
    .command('export')
    .description('write every lead of a profile as CSV (Salesforce and HubSpot import columns)')
    .addOption(profileOption())
    .requiredOption('--out <file>', 'the CSV file to write')
    .action((flags: { profile?: string; out: string }) =>
      runLeadsExport({ profileDir: profileFrom(flags), out: flags.out }),
    );

  program
    .command('crm')
    .description("the CRM cache the rep's meeting wrap-up picks accounts, contacts and opportunities from")
    .command('import')
    .description('add accounts, contacts and opportunities exported from a CRM (CSV or JSON) to the cache of a profile')
    .argument(
      '<file>',
      'CSV with a header row (type,id,name,email,title,stage,account id,account name), or JSON: a list of such records or {"accounts":[],"contacts":[],"opportunities":[]}',
    )
    .addOption(profileOption())
    .option('--replace', 'replace the records of earlier file imports instead of adding to them')
    .option('--json', 'print the result as one JSON object')
    .action((file: string, flags: { profile?: string; replace?: boolean; json?: boolean }) =>
      runCrmImport({
        profileDir: profileFrom(flags),
        file,
        replace: flags.replace ?? false,
        json: flags.json ?? false,
      }),
    );

  const whole = (min: number, max: number) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    return n;
  };
  const kiosk = program.command('kiosk').description('the trade-show kiosk of a profile');
  kiosk
    .command('pin')
    .description(
      'set or change the staff PIN a kiosk needs before it runs; reads the new PIN from stdin (after the current one, when a PIN is set)',
    )
    .addOption(profileOption())
    .action(async (flags: { profile?: string }) =>
      runKioskPin({ profileDir: profileFrom(flags), input: await readStdin() }),
    );
  kiosk
    .command('settings')
    .description('show or change idle timings, lead retention and the lead form (fields, consent text) of a profile')
    .addOption(profileOption())
    .option('--idle-seconds <n>', 'idle time before the attract loop and reset', whole(15, 3600))
    .option('--warning-seconds <n>', 'how long the reset countdown shows', whole(5, 120))
    .option('--retention-days <n>', 'days delivered leads are kept', whole(1, 3650))
    .option('--event <name>', 'the trade show the kiosk stands at; new leads are filed under it ("" clears it)')
    .option(
      '--form <file.json>',
      'the lead form: {"fields":[{"name","label","required"}],"consent":{"version","text"}}',
    )
    .action(
      async (flags: {
        profile?: string;
        idleSeconds?: number;
        warningSeconds?: number;
        retentionDays?: number;
        event?: string;
        form?: string;
      }) =>
        runKioskSettings({
          profileDir: profileFrom(flags),
          ...(flags.idleSeconds !== undefined ? { idleSeconds: flags.idleSeconds } : {}),
          ...(flags.warningSeconds !== undefined ? { warningSeconds: flags.warningSeconds } : {}),
          ...(flags.retentionDays !== undefined ? { retentionDays: flags.retentionDays } : {}),
          ...(flags.event !== undefined ? { eventName: flags.event.trim() === '' ? null : flags.event } : {}),
          ...(flags.form ? { formFile: flags.form } : {}),
        }),
    );

  program
    .command('delivery')
    .description("where a profile's leads, meetings (with follow-ups) and activity are sent")
    .command('settings')
    .description('show or change where each kind of record goes; secrets are read from files and shown only as "set"')
    .addOption(profileOption())
    .option('--json', 'print the settings (and test results) as one JSON object')
    .option('--lead-webhook <url>', 'send leads to this HTTPS webhook')
    .option('--meeting-webhook <url>', 'send meetings and follow-ups to this HTTPS webhook')
    .option('--event-webhook <url>', 'send activity to this HTTPS webhook')
    .option(
      '--lead-salesforce <file.json>',
      'send leads to Salesforce: {"instanceUrl", "accessToken"} or {"instanceUrl", "clientId", "clientSecret", "refreshToken", "tokenUrl"} ("-" reads stdin)',
    )
    .option(
      '--meeting-salesforce <file.json>',
      'send meetings and follow-ups to Salesforce (same file as --lead-salesforce)',
    )
    .option(
      '--lead-folder <dir>',
      'write leads as CSV files (one per batch) into this folder: a network share or a synced OneDrive/SharePoint folder',
    )
    .option('--meeting-folder <dir>', 'write meetings and follow-ups as CSV files into this folder')
    .option('--event-folder <dir>', 'write activity as CSV files into this folder')
    .option(
      '--set <file.json>',
      'a whole change as the app\'s API takes it, e.g. {"lead": {"type": "webhook", "url": "https://…", "authorization": "Bearer …"}, "event": null}',
    )
    .option(
      '--none <kind>',
      'send this kind nowhere: its records wait on the device (lead, meeting, event; repeatable)',
      collect,
      [],
    )
    .option(
      '--test',
      'after any change, send each configured endpoint a harmless test request and report; exit code 3 if one fails',
    )
    .action(
      async (flags: {
        profile?: string;
        json?: boolean;
        leadWebhook?: string;
        meetingWebhook?: string;
        eventWebhook?: string;
        leadSalesforce?: string;
        meetingSalesforce?: string;
        leadFolder?: string;
        meetingFolder?: string;
        eventFolder?: string;
        set?: string;
        none: string[];
        test?: boolean;
      }) =>
        runDeliverySettings({
          profileDir: profileFrom(flags),
          json: flags.json ?? false,
          ...(flags.set ? { setFile: flags.set } : {}),
          webhooks: {
            ...(flags.leadWebhook ? { lead: flags.leadWebhook } : {}),
            ...(flags.meetingWebhook ? { meeting: flags.meetingWebhook } : {}),
            ...(flags.eventWebhook ? { event: flags.eventWebhook } : {}),
          },
          salesforceFiles: {
            ...(flags.leadSalesforce ? { lead: flags.leadSalesforce } : {}),
            ...(flags.meetingSalesforce ? { meeting: flags.meetingSalesforce } : {}),
          },
          folders: {
            ...(flags.leadFolder !== undefined ? { lead: flags.leadFolder } : {}),
            ...(flags.meetingFolder !== undefined ? { meeting: flags.meetingFolder } : {}),
            ...(flags.eventFolder !== undefined ? { event: flags.eventFolder } : {}),
          },
          none: flags.none,
          test: flags.test ?? false,
        }),
    );

  program
    .command('enrol')
    .description("connect a device to your company's Studio with an enrolment code (channel, keys, identity, uploads)")
    .addOption(profileOption())
    .requiredOption('--studio <url>', 'the Studio address, e.g. https://studio.example.com')
    .requiredOption('--code <code>', 'the enrolment code Studio showed (single use)')
    .option('--name <name>', "this device's name in Studio (default: the computer's name)")
    .option('--json', 'print the fleet status as one JSON object')
    .action(async (flags: { profile?: string; studio: string; code: string; name?: string; json?: boolean }) =>
      runEnrol({
        profileDir: profileFrom(flags),
        studio: flags.studio,
        code: flags.code,
        ...(flags.name !== undefined ? { name: flags.name } : {}),
        json: flags.json ?? false,
      }),
    );

  program
    .command('report')
    .description(
      'usage for marketing: most and least used items, page dwell and drop-off, searches that found nothing, items never opened',
    )
    .addOption(profileOption())
    .option('--csv <file>', 'also write the figures as CSV')
    .option('--json', 'print the report as one JSON object')
    .option('--from <iso-date>', 'only activity from this time on')
    .option('--to <iso-date>', 'only activity up to this time')
    .action(async (flags: { profile?: string; csv?: string; json?: boolean; from?: string; to?: string }) =>
      runReport({
        profileDir: profileFrom(flags),
        json: flags.json ?? false,
        ...(flags.csv ? { csv: flags.csv } : {}),
        ...(flags.from ? { from: flags.from } : {}),
        ...(flags.to ? { to: flags.to } : {}),
      }),
    );

  const studio = program
    .command('studio')
    .description("Studio: marketing's web console to upload, review, publish and host releases")
    // `studio user add --data …`: options after a subcommand belong to it, not to `studio`.
    .enablePositionalOptions()
    // Checked in the action, not by commander: a required option here would also be demanded of `studio user add`.
    .option('--data <dir>', 'where Studio keeps its database, files, keys and published channels (required)')
    .option('--port <n>', 'port to listen on (0 = any free port)', port, 4400)
    .option('--host <host>', 'address to listen on; anything but loopback needs HTTPS in front', '127.0.0.1')
    .option('--database <url>', 'postgres://… to use PostgreSQL instead of the SQLite file in --data')
    .option(
      '--public-url <url>',
      'the https:// address people use when Studio is behind a TLS proxy (secure cookies, same-origin checks, links)',
      (v) => {
        if (!/^https?:\/\/[^/]+\/?$/.test(v))
          throw new InvalidArgumentError('an origin such as https://studio.example.com');
        return v;
      },
    )
    .addOption(
      new Option('--release-format <n>', 'release format: 2 stores page text compressed; 1 for apps that read only 1')
        .choices(['1', '2'])
        .default('2'),
    )
    .option('--json', 'print {"url","setupUrl","dataDir"} as one JSON line when ready')
    .action(
      async (flags: {
        data?: string;
        port: number;
        host: string;
        database?: string;
        publicUrl?: string;
        releaseFormat: string;
        json?: boolean;
      }) => {
        if (!flags.data) throw new InvalidArgumentError('give Studio its data folder: pitchcase studio --data DIR');
        const { runStudio } = await studioCommands();
        await runStudio({
          dataDir: flags.data,
          port: flags.port,
          host: flags.host,
          ...(flags.database ? { database: flags.database } : {}),
          ...(flags.publicUrl ? { publicUrl: flags.publicUrl } : {}),
          releaseFormat: flags.releaseFormat === '1' ? 1 : 2,
          json: flags.json ?? false,
        });
      },
    );
  studio
    .command('user')
    .description("Studio's accounts")
    .command('add')
    .description(
      'add an account; the password is the first line of standard input (on a terminal, one is generated and shown once)',
    )
    .requiredOption('--data <dir>', "Studio's data folder")
    .option('--database <url>', 'postgres://… when Studio runs on PostgreSQL')
    .requiredOption('--email <email>', 'the sign-in e-mail')
    .option('--name <name>', 'the name shown in Studio', 'Admin')
    .requiredOption('--role <role>', 'admin, editor, approver, manager or viewer')
    .action(async (flags: { data: string; database?: string; email: string; name: string; role: string }) =>
      (await studioCommands()).runStudioUserAdd({
        dataDir: flags.data,
        ...(flags.database ? { database: flags.database } : {}),
        email: flags.email,
        name: flags.name,
        role: flags.role,
      }),
    );

  return program;
}

/** Studio (Kysely, the PostgreSQL driver, its HTTP server) loads only for the commands that run it. */
function studioCommands() {
  return import('./studio.ts');
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    const message = error instanceof PitchcaseError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`pitchcase: ${message}\n`);
    return error instanceof PitchcaseError && error.code === 'refused' ? 3 : 1;
  }
}
