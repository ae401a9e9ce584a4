/**
 * The wrap-up's CRM field against a fake core: suggestions from the cache on the device, asked
 * again when the cache is refilled, and a cache that cannot be searched says so.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { CrmRecord } from '#shared/crm';
import { CrmPicker } from '../../renderer/presenting/CrmPicker';
import { FakeCore, renderWith } from './fake-core';

const cachedAt = '2026-12-01T08:00:00.000Z';
function contact(id: string, name: string): CrmRecord {
  return {
    kind: 'contact',
    id,
    name,
    email: `${id}@marston.example`,
    title: 'Head brewer',
    stage: '',
    accountId: '001A',
    accountName: 'Marston Brewery',
    source: 'salesforce',
    cachedAt,
  };
}

function Field({ onPick }: { onPick(record: CrmRecord): void }) {
  const [value, setValue] = useState('');
  return (
    <CrmPicker
      label="Contact"
      kind="contact"
      value={value}
      pickedId={null}
      accountId={null}
      onType={setValue}
      onPick={onPick}
    />
  );
}

const options = () => screen.queryAllByTestId('crm-option').map((option) => option.textContent);

describe('CRM picker', () => {
  it('suggests cached records as the rep types, and picks one', async () => {
    const onPick = vi.fn();
    const core = new FakeCore().answer('searchCrm', ({ query }) => ({
      records: query ? [contact('003A', 'Ada Brewer')] : [],
      cachedAt,
    }));
    renderWith(core, <Field onPick={onPick} />);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'ada' } });
    await waitFor(() => expect(options()).toHaveLength(1));
    fireEvent.click(screen.getByTestId('crm-option'));
    expect(onPick).toHaveBeenCalledWith(expect.objectContaining({ id: '003A' }));
  });

  it('asks again when the cache is refilled', async () => {
    const core = new FakeCore().answer('searchCrm', () => ({ records: [contact('003A', 'Ada Brewer')], cachedAt }));
    renderWith(core, <Field onPick={() => {}} />);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'brewer' } });
    await waitFor(() => expect(options()).toHaveLength(1));

    core.answer('searchCrm', () => ({
      records: [contact('003A', 'Ada Brewer'), contact('003B', 'Ben Brewer')],
      cachedAt,
    }));
    core.emit('crm.changed', {
      counts: { account: 0, contact: 2, opportunity: 0 },
      cachedAt,
      sources: [],
      salesforceConfigured: true,
    });
    await waitFor(() => expect(options()).toHaveLength(2));
  });

  it('says when the cache cannot be searched, and keeps what was typed', async () => {
    const core = new FakeCore().refuse('searchCrm', 'The CRM cache is being rebuilt');
    renderWith(core, <Field onPick={() => {}} />);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'ada' } });
    await waitFor(() =>
      expect(screen.getByTestId('crm-cached').textContent).toContain('The CRM cache is being rebuilt'),
    );
    expect((screen.getByRole('combobox') as HTMLInputElement).value).toBe('ada');
  });
});
