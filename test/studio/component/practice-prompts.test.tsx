/**
 * Studio's practice prompt editor with a faked API: a prompt typed into the form is saved as
 * exactly the prompt the manifest carries (key messages one a line, page only with an item), and
 * a refusal is shown while everything typed stays in the form.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PracticePrompts } from '../../../renderer/studio/PracticePrompts';
import { studioApi, StudioApiError, type Item, type PracticePrompt } from '../../../renderer/studio/api';

const item = { id: 'aquacore-500', title: 'AquaCore 500', fileName: 'aquacore-500.pdf' } as Item;
const terms = [{ id: 'twin-train', term: 'Twin-train', definition: 'Two trains.', aliases: [] }];

function fakeApi(saved: PracticePrompt[] = []) {
  vi.spyOn(studioApi, 'practicePrompts').mockResolvedValue(saved);
  vi.spyOn(studioApi, 'items').mockResolvedValue({ total: 1, items: [item] });
  vi.spyOn(studioApi, 'glossary').mockResolvedValue(terms);
  return vi.spyOn(studioApi, 'savePracticePrompts');
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Practice prompts in Studio', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an editor adds a prompt on a page of an item and one on a term; both are saved as the manifest has them', async () => {
    const save = fakeApi().mockImplementation((_channel, prompts) => Promise.resolve(prompts));
    render(<PracticePrompts channel="default" canEdit />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add prompt' }));
    type('Id of prompt 1', 'twin-train-60');
    type('What to pitch in prompt 1', "The AquaCore 500's twin-train redundancy in 60 seconds");
    type('Item of prompt 1', 'aquacore-500');
    type('Page of prompt 1', '2');
    type('Key messages of prompt 1', 'Never stops\n\n  Saves 60% of the water ');
    type('Time limit of prompt 1 in seconds', '60');
    fireEvent.click(screen.getByRole('button', { name: 'Add prompt' }));
    type('Id of prompt 2', 'explain-twin-train');
    type('What to pitch in prompt 2', 'Explain twin-train');
    type('What prompt 2 is about', 'term');
    type('Term of prompt 2', 'twin-train');
    type('Key messages of prompt 2', 'Two trains');
    fireEvent.click(screen.getByRole('button', { name: 'Save practice prompts' }));
    await screen.findByText('Practice prompts saved to the draft.');
    expect(save).toHaveBeenCalledWith('default', [
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
        title: 'Explain twin-train',
        term: 'twin-train',
        keyMessages: ['Two trains'],
        timeLimitSeconds: 60,
      },
    ]);
    expect(screen.getByText('Practice prompts (2)')).toBeTruthy();
  });

  it('a refusal is shown as an alert and nothing typed is lost; removing a prompt takes only that one', async () => {
    const existing: PracticePrompt = {
      id: 'old',
      title: 'Old prompt',
      item: 'aquacore-500',
      keyMessages: ['One'],
      timeLimitSeconds: 30,
    };
    fakeApi([existing]).mockRejectedValue(
      new StudioApiError('bad-request', 400, 'prompt 2 ("new"): item: the library has no item "ghost"'),
    );
    render(<PracticePrompts channel="default" canEdit />);
    expect(((await screen.findByLabelText('Id of prompt 1')) as HTMLInputElement).value).toBe('old');
    fireEvent.click(screen.getByRole('button', { name: 'Add prompt' }));
    type('Id of prompt 2', 'new');
    type('Item of prompt 2', 'ghost');
    fireEvent.click(screen.getByRole('button', { name: 'Save practice prompts' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/item: the library has no item "ghost"/);
    expect((screen.getByLabelText('Item of prompt 2') as HTMLInputElement).value).toBe('ghost');
    fireEvent.click(screen.getByRole('button', { name: 'Remove prompt 1' }));
    await waitFor(() => expect((screen.getByLabelText('Id of prompt 1') as HTMLInputElement).value).toBe('new'));
  });

  it('a viewer reads the prompts but cannot change or save them', async () => {
    fakeApi([{ id: 'old', title: 'Old prompt', term: 'twin-train', keyMessages: ['One'], timeLimitSeconds: 30 }]);
    render(<PracticePrompts channel="default" canEdit={false} />);
    // The browser disables every input and button inside a disabled fieldset.
    const id = (await screen.findByLabelText('Id of prompt 1')) as HTMLInputElement;
    expect(id.value).toBe('old');
    expect(id.closest('fieldset')!.disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Add prompt' }).closest('fieldset')!.disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save practice prompts' })).toBeNull();
  });
});
