/**
 * A device syncing a channel, as a separate process the crash tests can SIGKILL at any moment.
 * argv: PROFILE_DIR CHANNEL_URL PUBLIC_KEY_FILE. Prints "ready" once the core is open and
 * "done <version>" when the release is applied.
 */
import { readFileSync } from 'node:fs';
import { createCore } from '#core/index';

const [profileDir, channelUrl, keyFile] = process.argv.slice(2);
const core = await createCore({
  profileDir: profileDir!,
  shell: 'browser',
  siteBaseUrl: 'http://127.0.0.1',
  sync: { concurrency: 2 },
});
process.stdout.write('ready\n');
await core.api.updateChannelSettings({
  channelUrl: channelUrl!,
  publicKeys: [readFileSync(keyFile!, 'utf8')],
  autoApply: true,
});
const status = await core.api.applyContent({});
const library = await core.api.getLibrary({});
core.close();
process.stdout.write(
  status.state === 'error' ? `error ${status.lastError?.message}\n` : `done ${library.release?.version}\n`,
);
