import { Command, InvalidArgumentError, Option } from 'commander';
import { PitchcaseError } from '#shared/result';
import { defaultProfileDir, resolveProfileDir } from '#core/index';
import { runLaunch, runStart, type StartOptions } from './start.ts';

/**
 * `pitchcase`: one command for IT, marketing and scripts. Every subcommand that touches a
 * profile takes it from --profile DIR, then PITCHCASE_PROFILE, then the OS user-data folder.
 */
function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
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
}

function startOptions(flags: HostFlags): StartOptions {
  return {
    profileDir: profileFrom(flags),
    port: flags.port,
    sitePort: flags.sitePort,
    json: flags.json ?? false,
    open: flags.open ?? false,
    kiosk: flags.kiosk ?? false,
  };
}

export function buildProgram(): Command {
  const program = new Command()
    .name('pitchcase')
    .description('Pitchcase: your sales collateral, on the device, found in one keystroke.')
    .showHelpAfterError()
    .configureHelp({ sortSubcommands: true });

  program
    .command('start')
    .description('serve the app over the browser host on 127.0.0.1 and print its address')
    .addOption(profileOption())
    .option('--port <n>', 'port of the app (0 = any free port)', port, 4317)
    .option('--site-port <n>', 'port of the separate microsite origin (0 = any free port)', port, 0)
    .option('--json', 'print {"url","siteUrl","profileDir"} as one JSON line when ready')
    .option('--open', 'open the address in the default browser when a desktop is available')
    .option('--kiosk', 'use the trade-show kiosk profile (only kiosk items)')
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

  return program;
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
