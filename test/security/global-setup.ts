import type { TestProject } from 'vitest/node';
import { hostileChannel, profileKinds, startBatteryHost, type RunningHost } from './battery.ts';

/** One hostile release and one host per profile kind, shared by every file of the battery. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const channel = await hostileChannel();
  const started = await Promise.allSettled(profileKinds.map((kind) => startBatteryHost(channel, kind)));
  const hosts = started
    .filter((s): s is PromiseFulfilledResult<RunningHost> => s.status === 'fulfilled')
    .map((s) => s.value);
  const teardown = async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    channel.cleanup();
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // Leave no host running behind a battery that cannot start.
    await teardown();
    throw failed.reason;
  }
  project.provide('battery', {
    releaseDir: channel.releaseDir,
    hosts: hosts.map(({ kind, url, siteUrl, port }) => ({ kind, url, siteUrl, port })),
  });
  return teardown;
}
