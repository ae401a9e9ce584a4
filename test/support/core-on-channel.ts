import { createCore, type Core } from '#core/index';
import type { CoreOptions } from '#core/types';
import { makeChannel, tempDir, type TestChannel } from './release.ts';

export interface CoreOnChannel {
  core: Core;
  channel: TestChannel;
  profileDir: string;
  /** Moves the core's clock on. */
  advance(ms: number): void;
  /** Closes the core, then removes the profile and the channel. */
  cleanup(): void;
}

/**
 * A core on a fresh profile whose embedded release is a published test channel, with a clock
 * the test moves by hand: what the presenting, wrap-up and ink tests all start from.
 */
export async function coreOnChannel(options: {
  channel: Parameters<typeof makeChannel>[0];
  start: string;
  profilePrefix?: string;
  core?: Partial<CoreOptions>;
}): Promise<CoreOnChannel> {
  const channel = await makeChannel(options.channel);
  await channel.publish();
  const profile = tempDir(options.profilePrefix ?? 'pitchcase-core-');
  let now = Date.parse(options.start);
  const core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://x',
    embeddedRelease: { dir: channel.releaseDir, publicKeyPem: channel.publicPem },
    clock: { now: () => new Date(now) },
    ...options.core,
  });
  return {
    core,
    channel,
    profileDir: profile.dir,
    advance: (ms) => (now += ms),
    cleanup: () => {
      core.close();
      profile.cleanup();
      channel.cleanup();
    },
  };
}
