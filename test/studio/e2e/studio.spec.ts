import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { studioPassword as password } from '../../support/studio-server';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startTestProvider } from '../oidc-provider';
import { expect, test } from './fixtures';
import { StudioPage } from './studio-page';

/**
 * Studio in Chromium at laptop size: the first admin from the set-up link, an editor and an
 * approver invited, a PDF uploaded and edited (alone and in bulk), the draft submitted,
 * approved by the other person, published; the channel then holds that release.
 */

async function pdf(title: string, pages: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) doc.addPage([400, 300]).drawText(text, { x: 20, y: 250, size: 14, font });
  return Buffer.from(await doc.save());
}

// One person's whole day in Studio, a preview of the draft included: longer than the default minute.
test.setTimeout(180_000);

test('admin invites, editor uploads and edits, approver approves, the release is published', async ({
  page,
  studio,
}) => {
  const ui = new StudioPage(page);
  await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
  await ui.addPerson({ name: 'Ed', email: 'ed@example.com', role: 'editor', password });
  await ui.addPerson({ name: 'Amy', email: 'amy@example.com', role: 'approver', password });
  await ui.expectAccessible('people');
  await ui.signOut();
  await ui.expectAccessible('sign-in');

  await ui.signIn('ed@example.com', password);
  await ui.upload([
    {
      name: 'service-plan.pdf',
      mimeType: 'application/pdf',
      buffer: await pdf('Service plan', ['Plans', 'Lamps inspected fortnightly']),
    },
    { name: 'price-list.pdf', mimeType: 'application/pdf', buffer: await pdf('Price list', ['Prices']) },
    // Past 16 MB the UI sends resumable parts.
    {
      name: 'demo-clip.mp4',
      mimeType: 'video/mp4',
      buffer: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(17 * 1024 * 1024)]),
    },
  ]);
  await expect(page.getByRole('list', { name: 'Uploads' }).getByText('done')).toHaveCount(3);
  await expect(ui.row('demo-clip.mp4')).toContainText('17.8 MB');
  await expect(ui.row('service-plan.pdf')).toBeVisible();
  await ui.expectAccessible('library');
  await ui.editTitle('service-plan.pdf', 'Lighthouse service plan');
  await expect(ui.row('Lighthouse service plan')).toBeVisible();
  const item = await ui.itemHistory('Lighthouse service plan');
  await expect(item.getByRole('listitem')).toHaveText([/Edited by Ed: title/, /File uploaded by Ed: service-plan.pdf/]);
  await ui.expectAccessible('item editor');
  await ui.closeItem();
  await ui.bulkAddTag(['Lighthouse service plan', 'price-list.pdf'], 'q3');
  await expect(ui.row('Lighthouse service plan')).toContainText('q3');
  await expect(ui.row('price-list.pdf')).toContainText('q3');

  await ui.addCollection('field-kit', 'Field kit');
  await ui.addGlossaryTerm({ id: 'lamp-room', term: 'Lamp room', definition: 'Where the light lives.' });
  await ui.expectAccessible('library with collections and glossary open');
  await page.getByRole('searchbox', { name: 'Search the library' }).fill('lighthouse');
  await expect(page.getByRole('button', { name: 'price-list.pdf' })).toBeHidden();
  await expect(page.getByText('1–1 of 1')).toBeVisible();

  await ui.tab('Review & publish').click();
  await expect(page.getByText('3 new, 0 changed, 0 removed')).toBeVisible();
  await ui.expectAccessible('review');
  // The draft in the real app at Surface size, before anything is published.
  const tablet = await ui.previewAs('tablet');
  await expect(tablet.getByText('Lighthouse service plan').first()).toBeVisible();
  await ui.expectAccessible('review with the tablet preview open');
  await ui.closePreview();
  await page.getByRole('button', { name: 'Submit draft for approval' }).click();
  await expect(ui.releaseRow('submitted')).toBeVisible();
  // An editor is offered no Approve button, and the server would refuse one anyway.
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await ui.signOut();

  await ui.signIn('amy@example.com', password);
  await ui.tab('Review & publish').click();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(ui.releaseRow('approved')).toBeVisible();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  // The publish runs in the background; the page follows it and says how it ended.
  await expect(page.getByRole('status')).toHaveText('Published version 1.');
  await expect(ui.releaseRow('published').getByRole('cell').first()).toHaveText('1');
  await ui.tab('Library').click();
  await page.getByRole('searchbox', { name: 'Search the library' }).fill('');
  // Published files show the thumbnail the publisher made.
  await expect
    .poll(() =>
      ui
        .row('Lighthouse service plan')
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBeGreaterThan(0);
  await ui.tab('Review & publish').click();
  await page.getByText('Point devices at this channel').click();
  await expect(page.getByText(`${studio.url}/channels/default/`, { exact: true })).toBeVisible();
  await expect(page.getByText(/BEGIN PUBLIC KEY/)).toBeVisible();

  const manifest = JSON.parse(
    await readFile(path.join(studio.dataDir, 'channels', 'default', 'channel.json'), 'utf8'),
  ) as { version: number; items: { title: string; tags: string[] }[]; collections: unknown[]; glossary: unknown[] };
  expect(manifest.version).toBe(1);
  expect(manifest.collections).toEqual([{ id: 'field-kit', title: 'Field kit', description: '' }]);
  expect(manifest.glossary).toEqual([
    { id: 'lamp-room', term: 'Lamp room', definition: 'Where the light lives.', aliases: [] },
  ]);
  expect(manifest.items.map((i) => i.title).sort()).toEqual(['Demo clip', 'Lighthouse service plan', 'Price list']);
  expect(
    manifest.items
      .filter((i) => i.tags.includes('q3'))
      .map((i) => i.title)
      .sort(),
  ).toEqual(['Lighthouse service plan', 'Price list']);
});

test('whole folders: picked or dropped, a folder with index.html becomes a microsite, other files their own items', async ({
  page,
  studio,
}) => {
  const ui = new StudioPage(page);
  await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });

  // The folder picker (input webkitdirectory): a kit with a microsite folder and a PDF beside it.
  const kit = path.join(studio.dataDir, '..', `${path.basename(studio.dataDir)}-kit`, 'field-kit');
  await mkdir(path.join(kit, 'harbour-site', 'img'), { recursive: true });
  await writeFile(
    path.join(kit, 'harbour-site', 'index.html'),
    '<!doctype html><title>Harbour</title><h1>Harbour</h1>',
  );
  await writeFile(path.join(kit, 'harbour-site', 'img', 'map.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(path.join(kit, 'tide-card.pdf'), await pdf('Tide card', ['High water']));
  // The browser reads the files when it zips and sends them, so they stay until the test ends.
  await ui.uploadFolder(kit);
  const uploads = page.getByRole('list', { name: 'Uploads' });
  await expect(uploads.getByRole('listitem').filter({ hasText: 'harbour-site/ (microsite, 2 files)' })).toContainText(
    'done',
  );
  await expect(uploads.getByRole('listitem').filter({ hasText: 'tide-card.pdf' })).toContainText('done');
  await expect(ui.row('harbour-site.zip')).toContainText('microsite');
  await expect(ui.row('tide-card.pdf')).toContainText('pdf');

  // Drag and drop of a folder: Chromium hands the page an entry tree, walked batch by batch.
  await ui.dropFolder({
    name: 'booth',
    files: [
      { path: 'kiosk-site/index.html', text: '<!doctype html><title>Booth</title><p>Welcome</p>' },
      { path: 'kiosk-site/app.js', text: 'void 0;' },
      { path: 'booth-price-list.pdf', bytes: [...(await pdf('Booth prices', ['Prices']))] },
    ],
  });
  await expect(uploads.getByRole('listitem').filter({ hasText: 'kiosk-site/ (microsite, 2 files)' })).toContainText(
    'done',
  );
  await expect(uploads.getByRole('listitem').filter({ hasText: 'booth-price-list.pdf' })).toContainText('done');
  await expect(ui.row('kiosk-site.zip')).toContainText('microsite');
  await expect(ui.row('booth-price-list.pdf')).toBeVisible();
  await ui.expectAccessible('library after folder uploads');
  await rm(path.dirname(kit), { recursive: true, force: true });
});

test('single sign-on: an admin sets it up, an invited editor signs in through the provider, a stranger is told why not', async ({
  page,
  studio,
}) => {
  const provider = await startTestProvider({
    redirectUri: `${studio.url}/api/sso/callback`,
    people: {
      ed: { email: 'ed@example.com', email_verified: true, name: 'Ed' },
      sam: { email: 'sam@example.com', email_verified: true, name: 'Sam' },
    },
  });
  try {
    const ui = new StudioPage(page);
    await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
    await ui.addPerson({ name: 'Ed', email: 'ed@example.com', role: 'editor', password });
    await ui.setUpSingleSignOn({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      label: 'Harbour Lights account',
    });
    await ui.expectAccessible('single sign-on settings');
    await ui.signOut();
    await ui.expectAccessible('sign-in with single sign-on offered');

    provider.as.person = 'ed';
    await page.getByRole('link', { name: 'Sign in with Harbour Lights account' }).click();
    await expect(page.getByText('Ed · editor')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible();
    await ui.signOut();

    // The provider remembers Ed (its own session cookie): someone else signs in there afresh.
    await page.context().clearCookies({ name: /^_session/ });
    provider.as.person = 'sam';
    await page.getByRole('link', { name: 'Sign in with Harbour Lights account' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'sam@example.com has no Studio account. Ask an admin to invite you.',
    );
    await expect(page.getByRole('heading', { name: 'Sign in to Pitchcase Studio' })).toBeVisible();
    // Local accounts keep working beside it.
    await ui.signIn('ada@example.com', password);
  } finally {
    await provider.close();
  }
});
