import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PublishJobView } from '#shared/studio';
import { makePdf, tempDir } from '../support/release.ts';
import { StudioClient } from './client.ts';
import { spawnStudio, type StudioProcess } from './studio-process.ts';

/**
 * A Studio killed in the middle of a publish: the channel keeps the release it had, and the
 * restarted Studio shows the job as interrupted with a clear reason, frees the channel's lock
 * and publishes the same release when asked again.
 */

const password = 'correct horse battery';

describe('a publish job when its Studio is killed', () => {
  let running: StudioProcess | null = null;
  const data = tempDir('studio-publish-job-');
  afterEach(async () => {
    await running?.kill();
    running = null;
  });

  it('leaves the channel unchanged and the job interrupted; the release publishes after the restart', async () => {
    running = await spawnStudio({ dataDir: data.dir });
    const editor = new StudioClient(running.url);
    await editor.call('POST', '/api/setup', {
      token: running.setupUrl!.split('#')[1],
      email: 'ed@example.com',
      name: 'Ed',
      password,
    });
    await editor.call('POST', '/api/users', { email: 'amy@example.com', name: 'Amy', role: 'approver', password });
    const approver = new StudioClient(running.url);
    await approver.signIn('amy@example.com', password);
    const release = async () => {
      const submitted = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {});
      expect((await approver.call('POST', `/api/releases/${submitted.value.release.id}/approve`, {})).status).toBe(200);
      return submitted.value.release.id;
    };

    await editor.upload('default', 'cover.pdf', await makePdf('Cover', ['One page']));
    expect((await approver.publish(`/api/releases/${await release()}/publish`)).job?.version).toBe(1);
    const channel = path.join(data.dir, 'channels', 'default');
    const v1 = readFileSync(path.join(channel, 'channel.json'));
    const v1sig = readFileSync(path.join(channel, 'channel.json.sig'));

    // Enough documents that the publish is still reading them when the process is killed.
    for (let i = 0; i < 120; i++) {
      const pages = Array.from({ length: 12 }, (_, p) => `Chapter ${p + 1} of manual ${i}, tide tables and charts`);
      expect((await editor.upload('default', `manual-${i}.pdf`, await makePdf(`Manual ${i}`, pages))).status).toBe(200);
    }
    const second = await release();
    const started = await approver.call<PublishJobView>('POST', `/api/releases/${second}/publish`, {});
    expect(started.status).toBe(202);
    let seen = started.value;
    while (seen.state === 'running' && seen.itemsDone === 0) {
      seen = (
        await approver.call<PublishJobView>('GET', `/api/publish-jobs/${seen.id}?after=${seen.revision}&waitMs=20000`)
      ).value;
    }
    expect(seen).toMatchObject({ state: 'running', stage: 'reading', itemsTotal: 121 });
    expect(seen.itemsDone).toBeLessThan(seen.itemsTotal);
    await running.kill();

    expect(readFileSync(path.join(channel, 'channel.json')).equals(v1)).toBe(true);
    expect(readFileSync(path.join(channel, 'channel.json.sig')).equals(v1sig)).toBe(true);

    running = await spawnStudio({ dataDir: data.dir });
    // The same session (it lives in the database) at the restarted Studio's address.
    const approverAgain = new StudioClient(running.url);
    approverAgain.cookie = approver.cookie;
    approverAgain.csrf = approver.csrf;
    // The job's heartbeat stops with its Studio; the restarted one finds it stale and settles it.
    const settled = await approverAgain.followJob(seen);
    expect(settled.state).toBe('interrupted');
    expect(settled.error).toMatch(
      /Studio stopped while this release was being published \(reading, \d+ of 121 items\)/,
    );
    expect(settled.error).toMatch(/The channel was not changed; publish it again\./);
    const releases = await approverAgain.call<{ id: string; state: string }[]>('GET', '/api/channels/default/releases');
    expect(releases.value.find((r) => r.id === second)!.state).toBe('approved');

    const again = await approverAgain.publish(`/api/releases/${second}/publish`);
    expect(again.accepted.status).toBe(202);
    expect(again.job).toMatchObject({ state: 'succeeded', version: 2, itemsDone: 121 });
  }, 240_000);
});
