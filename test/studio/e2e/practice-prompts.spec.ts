import { studioPassword as password } from '../../support/studio-server';
import { makePdf } from '../../support/release';
import { StudioClient } from '../client';
import { expect, test } from './fixtures';
import { StudioPage } from './studio-page';

/**
 * Writing practice prompts in Studio's UI: an editor adds a prompt on a page of a brochure and
 * one on a glossary term, saves them to the draft, and a prompt naming a page the brochure does
 * not have is refused with the prompt and field named while the form keeps it. Checked with axe.
 */

test('practice prompts are written in the library and saved to the draft; a page past the end is refused', async ({
  page,
  studio,
}) => {
  const ui = new StudioPage(page);
  await ui.createFirstAdmin(studio.setupUrl, { name: 'Ada', email: 'ada@example.com', password });
  const api = new StudioClient(studio.url);
  await api.signIn('ada@example.com', password);
  const brochure = await makePdf('AquaCore 500', ['Overview', 'Twin-train redundancy']);
  expect((await api.upload('default', 'aquacore-500.pdf', brochure)).status).toBe(200);
  const terms = [
    { id: 'twin-train', term: 'Twin-train', definition: 'Two trains: one runs while the other is serviced.' },
  ];
  expect((await api.call('PUT', '/api/channels/default/glossary', { terms })).status).toBe(200);

  await page.reload();
  await page.getByText(/^Practice prompts \(0\)/).click();
  await page.getByRole('button', { name: 'Add prompt' }).click();
  await page.getByLabel('Id of prompt 1').fill('twin-train-60');
  await page.getByLabel('What to pitch in prompt 1').fill("The AquaCore 500's twin-train redundancy in 60 seconds");
  await page.getByLabel('Item of prompt 1').fill('aquacore-500');
  await page.getByLabel('Page of prompt 1').fill('2');
  await page.getByLabel('Key messages of prompt 1').fill('Never stops\nSaves 60% of the water');
  await page.getByRole('button', { name: 'Add prompt' }).click();
  await page.getByLabel('Id of prompt 2').fill('explain-twin-train');
  await page.getByLabel('What to pitch in prompt 2').fill('Explain twin-train to a plant manager');
  await page.getByLabel('What prompt 2 is about').selectOption('term');
  await page.getByLabel('Term of prompt 2').selectOption('twin-train');
  await page.getByLabel('Key messages of prompt 2').fill('One runs while the other is serviced');
  await page.getByLabel('Time limit of prompt 2 in seconds').fill('30');
  await ui.expectAccessible('the practice prompt editor with two prompts');
  await page.getByRole('button', { name: 'Save practice prompts' }).click();
  await expect(page.getByRole('status')).toContainText('Practice prompts saved to the draft.');
  const saved = await api.call<unknown[]>('GET', '/api/channels/default/practice-prompts');
  expect(saved.value).toEqual([
    {
      id: 'twin-train-60',
      title: "The AquaCore 500's twin-train redundancy in 60 seconds",
      item: 'aquacore-500',
      page: 2,
      keyMessages: ['Never stops', 'Saves 60% of the water'],
      timeLimitSeconds: 60,
    },
    {
      id: 'explain-twin-train',
      title: 'Explain twin-train to a plant manager',
      term: 'twin-train',
      keyMessages: ['One runs while the other is serviced'],
      timeLimitSeconds: 30,
    },
  ]);

  await page.getByLabel('Page of prompt 1').fill('5');
  await page.getByRole('button', { name: 'Save practice prompts' }).click();
  await expect(page.getByRole('alert')).toContainText(
    'prompt 1 ("twin-train-60"): page: "aquacore-500" has 2 pages, not 5',
  );
  await expect(page.getByLabel('Page of prompt 1')).toHaveValue('5');
  await ui.expectAccessible('a refused practice prompt');
});
