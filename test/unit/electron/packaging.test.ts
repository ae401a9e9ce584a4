import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ENROL_LINK_SCHEME } from '#shared/enrol-link';
import { describe, expect, it } from 'vitest';
import { mergeConfig, packagingOverrides, PackagingConfigError } from '../../../main/electron/tools/package-config.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const configPath = path.join(root, 'electron-builder.yml');

interface WinTarget {
  target: string;
  arch: string[];
}
interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  extraResources: { from: string; to: string }[];
  npmRebuild: boolean;
  directories: { output: string; buildResources: string };
  icon: string;
  electronFuses: Record<string, boolean>;
  win: {
    target: WinTarget[];
    verifyUpdateCodeSignature: boolean;
    signtoolOptions?: { publisherName: string[] | string };
  };
  nsis: Record<string, unknown>;
  protocols: { name: string; schemes: string[] }[];
  publish?: { provider: string; url: string };
}

const checkedIn = parse(readFileSync(configPath, 'utf8')) as BuilderConfig;
/** A release build's environment, as `npm run package:win` reads it. */
const releaseEnv = {
  PITCHCASE_UPDATE_URL: 'https://updates.brightwater-systems.com/pitchcase/',
  PITCHCASE_PUBLISHER_NAME: 'Brightwater Systems Ltd | Brightwater Systems Limited',
};
const config = mergeConfig(
  checkedIn as unknown as Record<string, unknown>,
  packagingOverrides(releaseEnv),
) as unknown as BuilderConfig;

describe('electron-builder.yml', () => {
  it('identifies the app', () => {
    expect(config.appId).toBe('com.pitchcase.app');
    expect(config.productName).toBe('Pitchcase');
  });

  it("registers the enrolment link's scheme with Windows, and not the app's own pages' scheme", () => {
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual([ENROL_LINK_SCHEME]);
  });

  it('packs the app into an asar with native modules unpacked', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.asarUnpack.some((p) => p.includes('better-sqlite3'))).toBe(true);
    expect(config.npmRebuild).toBe(true);
  });

  it('ships only the bundles and the built UI, plus the demo release as a resource', () => {
    expect(config.files).toEqual(expect.arrayContaining(['build/electron/**', 'build/renderer/**', 'package.json']));
    expect(config.files.some((f) => /^(main|renderer|test)\//.test(f))).toBe(false);
    expect(config.extraResources).toContainEqual({ from: 'build/demo-release', to: 'demo-release' });
    expect(config.directories.output).toMatch(/^dist\/?$/);
    // The default buildResources is `build/`, which electron-builder would leave out of the app.
    expect(config.directories.buildResources).not.toMatch(/^build\/?$/);
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds NSIS and portable for Windows x64 and arm64', () => {
    const pairs = config.win.target.flatMap((t) => t.arch.map((arch) => `${t.target}/${arch}`)).sort();
    expect(pairs).toEqual(['nsis/arm64', 'nsis/x64', 'portable/arm64', 'portable/x64']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
  });

  it('lets electron-updater verify the code signature against the publisher named by the build machine', () => {
    expect(config.win.verifyUpdateCodeSignature).not.toBe(false);
    expect(config.win.signtoolOptions?.publisherName).toEqual([
      'Brightwater Systems Ltd',
      'Brightwater Systems Limited',
    ]);
    // Nobody's name is guessed in the checkout: it is the certificate's, given when packaging.
    expect(checkedIn.win.signtoolOptions?.publisherName).toBeUndefined();
  });

  it('publishes app updates through a generic https provider on the host the build machine names', () => {
    expect(config.publish).toEqual({
      provider: 'generic',
      url: 'https://updates.brightwater-systems.com/pitchcase/${os}/${arch}',
    });
    expect(checkedIn.publish).toBeUndefined();
  });

  it('has the icon it names, large enough for a Windows .ico', () => {
    const icon = path.join(root, config.icon);
    expect(existsSync(icon)).toBe(true);
    const png = readFileSync(icon);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(256); // IHDR width
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16));
  });

  it("passes electron-builder's own schema validation", async () => {
    // Catches misspelt or misplaced keys (e.g. publisherName directly under win in v26).
    const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
    const { getConfig, validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config.js') as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<unknown>;
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = requireFromBuilder('builder-util/out/DebugLogger.js') as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    const loaded = await getConfig(root, configPath, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    // And the release build's config, as package:win writes it.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pitchcase-builder-'));
    try {
      const resolved = path.join(dir, 'release.yml');
      writeFileSync(resolved, stringify(config));
      await expect(
        validateConfiguration(await getConfig(root, resolved, null), new DebugLogger(false)),
      ).resolves.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('package:win release settings', () => {
  it.each([
    [{}, ['PITCHCASE_UPDATE_URL is not set', 'PITCHCASE_PUBLISHER_NAME is not set']],
    [
      { PITCHCASE_UPDATE_URL: 'http://updates.brightwater-systems.com', PITCHCASE_PUBLISHER_NAME: 'B' },
      ['must be https'],
    ],
    [
      { PITCHCASE_UPDATE_URL: 'https://updates.pitchcase.example/x', PITCHCASE_PUBLISHER_NAME: 'B' },
      ['reserved or local host: updates.pitchcase.example'],
    ],
    [{ PITCHCASE_UPDATE_URL: 'https://localhost/x', PITCHCASE_PUBLISHER_NAME: 'B' }, ['reserved or local host']],
    [{ PITCHCASE_UPDATE_URL: 'https://127.0.0.1/x', PITCHCASE_PUBLISHER_NAME: 'B' }, ['reserved or local host']],
    [{ PITCHCASE_UPDATE_URL: 'not a url', PITCHCASE_PUBLISHER_NAME: 'B' }, ['not a URL']],
    [
      { PITCHCASE_UPDATE_URL: 'https://u.brightwater-systems.com/?v=1', PITCHCASE_PUBLISHER_NAME: ' | ' },
      ['query or fragment', 'PITCHCASE_PUBLISHER_NAME is not set'],
    ],
  ])('refuses %j, naming every problem', (env, problems) => {
    let message = '';
    try {
      packagingOverrides(env);
    } catch (error) {
      expect(error).toBeInstanceOf(PackagingConfigError);
      message = (error as Error).message;
    }
    for (const p of problems) expect(message).toContain(p);
  });

  it('keeps the rest of electron-builder.yml as it is', () => {
    const { publish, win, ...rest } = config;
    const { win: baseWin, ...baseRest } = checkedIn;
    expect(rest).toEqual(baseRest);
    expect(publish?.provider).toBe('generic');
    expect({ ...win, signtoolOptions: undefined }).toEqual({ ...baseWin, signtoolOptions: undefined });
  });
});
