import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

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
  win: { target: WinTarget[]; verifyUpdateCodeSignature: boolean; signtoolOptions: { publisherName: string[] | string } };
  nsis: Record<string, unknown>;
  publish: { provider: string; url: string };
}

const config = parse(readFileSync(configPath, 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('identifies the app', () => {
    expect(config.appId).toBe('com.pitchcase.app');
    expect(config.productName).toBe('Pitchcase');
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

  it('lets electron-updater verify the code signature against a named publisher', () => {
    expect(config.win.verifyUpdateCodeSignature).not.toBe(false);
    const names = [config.win.signtoolOptions.publisherName].flat();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => typeof n === 'string' && n.trim() !== '')).toBe(true);
  });

  it('publishes app updates through a generic https provider', () => {
    expect(config.publish.provider).toBe('generic');
    expect(config.publish.url).toMatch(/^https:\/\//);
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
    const { DebugLogger } = requireFromBuilder('builder-util/out/DebugLogger.js') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await getConfig(root, configPath, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
  });
});
