import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultProfileDir, resolveProfileDir } from '#core/profile/index';

describe('profile directory', () => {
  it.each([
    [['--profile', '/tmp/a'], {}, '/tmp/a'],
    [['--profile=/tmp/b'], {}, '/tmp/b'],
    [['start', '--profile', '/tmp/c', '--json'], { PITCHCASE_PROFILE: '/tmp/env' }, '/tmp/c'],
    [[], { PITCHCASE_PROFILE: '/tmp/env' }, '/tmp/env'],
    [[], {}, '/fallback'],
    [['--profile'], {}, '/fallback'],
  ] as const)('%j with %j -> %s', (argv, env, expected) => {
    expect(resolveProfileDir(argv, env, '/fallback')).toBe(expected);
  });

  it('resolves relative paths against the working directory', () => {
    expect(resolveProfileDir(['--profile', 'rel'], {}, '/x')).toBe(path.resolve('rel'));
  });

  it("matches Electron's userData folder on each OS", () => {
    expect(defaultProfileDir('win32', { APPDATA: 'C:\\Users\\rep\\AppData\\Roaming' }, 'C:\\Users\\rep')).toBe(
      'C:\\Users\\rep\\AppData\\Roaming\\Pitchcase',
    );
    expect(defaultProfileDir('darwin', {}, '/Users/rep')).toBe('/Users/rep/Library/Application Support/Pitchcase');
    expect(defaultProfileDir('linux', {}, '/home/rep')).toBe('/home/rep/.config/Pitchcase');
    expect(defaultProfileDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/rep')).toBe('/cfg/Pitchcase');
  });
});
