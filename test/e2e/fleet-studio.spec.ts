/**
 * The browser host and the real Studio, nothing faked between them: an admin publishes a PDF
 * and makes a rep's code in Studio; on the device's first run, "Connect to your company" takes
 * Studio's address and the code as a person types it; the device gets Studio's release through
 * the channel the enrolment gave it, and Studio's Devices list shows the device.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { StudioClient } from '../studio/client';
import { StudioPage } from '../studio/e2e/studio-page';
import { makePdf } from '../support/release';
import { expect, test } from './fixtures';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const password = 'correct horse battery';

test.describe('connect to a real Studio', () => {
  test.describe.configure({ timeout: 120_000 });
  let dataDir: string;
  let child: ChildProcess;
  let studio: { url: string; setupUrl: string };

  test.beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitchcase-fleet-studio-'));
    child = spawn(
      process.execPath,
      [path.join(repoRoot, 'main', 'cli', 'pitchcase.mjs'), 'studio', '--data', dataDir, '--port', '0', '--json'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve) =>
      createInterface({ input: child.stdout! }).once('line', resolve),
    );
    studio = JSON.parse(line) as { url: string; setupUrl: string };
  });

  test.afterEach(async () => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  test('first run: the code from Studio enrols the device, Studio’s release arrives, Studio lists the device', async ({
    freshApp,
    page,
    context,
  }) => {
    const admin = new StudioClient(studio.url);
    await admin.call('POST', '/api/setup', {
      token: studio.setupUrl.split('#')[1],
      email: 'ada@example.com',
      name: 'Ada',
      password,
    });
    for (const role of ['editor', 'approver'])
      await admin.call('POST', '/api/users', { email: `${role}@example.com`, name: role, role, password });
    const editor = new StudioClient(studio.url);
    const approver = new StudioClient(studio.url);
    await editor.signIn('editor@example.com', password);
    await approver.signIn('approver@example.com', password);
    const pdf = await makePdf('Lighthouse service plan', ['Service plans at a glance', 'Prices']);
    expect((await editor.upload('default', 'lighthouse-service-plan.pdf', pdf)).status).toBe(200);
    const submitted = await editor.call<{ release: { id: string } }>('POST', '/api/channels/default/releases', {
      note: 'service plan',
    });
    const release = submitted.value.release.id;
    expect((await approver.call('POST', `/api/releases/${release}/approve`, {})).status).toBe(200);
    expect((await approver.publish(`/api/releases/${release}/publish`)).job?.state).toBe('succeeded');
    const made = await admin.call<{ code: string }>('POST', '/api/fleet/codes', {
      kind: 'rep',
      name: 'Ana Ortiz',
      email: 'ana@acme.example',
      team: 'North',
    });
    expect(made.status).toBe(200);

    await page.goto(freshApp.url);
    const dialog = page.getByRole('dialog', { name: 'Connect to your company' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Studio address').fill(studio.url);
    // As read off the admin's screen and typed on a tablet: lower case.
    await dialog.getByLabel('Enrolment code').fill(made.value.code.toLowerCase());
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('fleet-connected')).toContainText('Connected as Ana Ortiz · North');
    await page.getByTestId('fleet-continue').click();
    await expect(dialog).toBeHidden();
    // Studio's channel: the release published there arrives on the device.
    await expect(page.getByText(/lighthouse.service.plan/i).first()).toBeVisible({ timeout: 60_000 });

    const studioTab = await context.newPage();
    await studioTab.goto(studio.url);
    await new StudioPage(studioTab).signIn('ada@example.com', password);
    await studioTab.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Fleet' }).click();
    await studioTab.getByRole('navigation', { name: 'Fleet views' }).getByRole('button', { name: 'Devices' }).click();
    const devices = studioTab.getByRole('table', { name: 'Devices' });
    await expect(devices).toContainText('Ana Ortiz');
    await expect(devices).toContainText('North');
  });
});
