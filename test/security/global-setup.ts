import type { TestProject } from 'vitest/node';
import { hostileChannel, profileKinds, startBatteryHost } from './battery.ts';

/** One hostile release and one host per profile kind, shared by every file of the battery. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const channel = await hostileChannel();
  const hosts = await Promise.all(profileKinds.map((kind) => startBatteryHost(channel, kind)));
  project.provide('battery', { releaseDir: channel.releaseDir, hosts: hosts.map(({ kind, url, siteUrl, port }) => ({ kind, url, siteUrl, port })) });
  return async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    channel.cleanup();
  };
}
