/**
 * Studio's props-only pieces with fake data: the draft summary, the library table, and the
 * item editor turning its form into exactly the fields the API takes.
 */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { Item } from '../../../renderer/studio/api';
import { ItemEditor, ItemTable } from '../../../renderer/studio/Library';
import { DraftDiff, jobOutcome, PageDiff, PublishProgress } from '../../../renderer/studio/Review';
import type { PublishJob } from '../../../renderer/studio/api';

const item: Item = {
  id: 'tide-tables',
  kind: 'pdf',
  title: null,
  description: '',
  category: null,
  tags: ['q3'],
  products: [],
  audiences: [],
  collections: [],
  validFrom: null,
  validUntil: null,
  kiosk: false,
  shareUrl: null,
  fileName: 'tide-tables.pdf',
  fileSha256: 'a'.repeat(64),
  fileSize: 2_500_000,
  revision: 3,
  updatedAt: '2026-12-01T08:00:00.000Z',
};

describe('Studio screens', () => {
  it('the draft summary counts what changes and what devices download', () => {
    render(
      <DraftDiff
        diff={{
          baseVersion: 4,
          added: [{ id: 'new-deck', title: 'New deck', bytes: 1_200_000 }],
          changed: [{ id: 'tide-tables', title: 'Tide tables', fields: ['title'], fileChanged: true, bytes: 300_000 }],
          removed: [{ id: 'old', title: 'Old leaflet' }],
          unchanged: 7,
          collectionsChanged: false,
          glossaryChanged: true,
          attractChanged: false,
          downloadBytes: 1_500_000,
        }}
      />,
    );
    expect(screen.getByRole('heading').textContent).toBe('Draft against published version 4');
    expect(
      screen.getByText(/1 new, 1 changed, 1 removed, 7 unchanged; glossary changed; devices download 1.5 MB/),
    ).toBeTruthy();
    expect(screen.getByText('Tide tables').parentElement!.textContent).toContain('file, title');
  });

  it('the library table names an untitled item by its file and lets it be selected and opened', () => {
    const onToggle = vi.fn();
    const onOpen = vi.fn();
    render(
      <ItemTable
        channel="default"
        items={[item]}
        selectable
        selected={new Set()}
        onToggle={onToggle}
        onOpen={onOpen}
      />,
    );
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select tide-tables.pdf' }));
    expect(onToggle).toHaveBeenCalledWith('tide-tables');
    fireEvent.click(screen.getByRole('button', { name: 'tide-tables.pdf' }));
    expect(onOpen).toHaveBeenCalledWith(item);
    expect(screen.getByText('2.5 MB')).toBeTruthy();
  });

  it('the item editor sends every catalogue field, lists split on commas and dates as UTC midnight', async () => {
    const onSave = vi.fn(async () => {});
    render(
      <ItemEditor
        item={item}
        history={[]}
        readOnly={false}
        onSave={onSave}
        onRemove={async () => {}}
        onClose={() => {}}
      />,
    );
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: ' Tide tables 2027 ' } });
    fireEvent.change(screen.getByLabelText('Tags'), { target: { value: 'q3, maritime,,' } });
    fireEvent.change(screen.getByLabelText('Valid until'), { target: { value: '2027-03-31' } });
    fireEvent.click(screen.getByLabelText('Show on the kiosk'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave).toHaveBeenCalledWith({
      title: 'Tide tables 2027',
      description: '',
      category: null,
      tags: ['q3', 'maritime'],
      products: [],
      audiences: [],
      collections: [],
      validFrom: null,
      validUntil: '2027-03-31T00:00:00.000Z',
      kiosk: true,
      shareUrl: null,
    });
  });

  it('a viewer sees the item but cannot change or remove it', () => {
    render(
      <ItemEditor
        item={item}
        history={[]}
        readOnly
        onSave={async () => {}}
        onRemove={async () => {}}
        onClose={() => {}}
      />,
    );
    // A disabled fieldset disables every field in it (the browser's rule; the e2e runs a real one).
    expect(screen.getByLabelText('Title').closest('fieldset')!.disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove from draft' })).toBeNull();
  });

  it('the page comparison puts the published page beside the draft one and counts the changed pages', () => {
    const onCompare = vi.fn();
    render(
      <DraftDiff
        diff={{
          baseVersion: 1,
          added: [],
          changed: [{ id: 'tide-tables', title: 'Tide tables', fields: [], fileChanged: true, bytes: 1 }],
          removed: [],
          unchanged: 0,
          collectionsChanged: false,
          glossaryChanged: false,
          attractChanged: false,
          downloadBytes: 1,
        }}
        onComparePages={onCompare}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Compare pages' }));
    expect(onCompare).toHaveBeenCalledWith('tide-tables', 'Tide tables');
    render(
      <PageDiff
        title="Tide tables"
        pages={[
          { page: 1, status: 'same', before: '/b1.png', after: 'data:image/png;base64,AA==' },
          { page: 2, status: 'added', before: null, after: 'data:image/png;base64,AA==' },
        ]}
        onClose={() => {}}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Tide tables: 1 of 2 pages changed' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Page 1 as published' }).getAttribute('src')).toBe('/b1.png');
    expect(screen.queryByRole('img', { name: 'Page 2 as published' })).toBeNull();
    expect(screen.getByRole('img', { name: 'Page 2 in the draft' })).toBeTruthy();
  });

  const job: PublishJob = {
    id: 'job-1',
    channel: 'default',
    kind: 'publish',
    release: 'release-1',
    state: 'running',
    stage: 'reading',
    itemsDone: 37,
    itemsTotal: 120,
    bytesDone: 0,
    bytesTotal: 0,
    version: null,
    error: null,
    startedBy: 'user-1',
    startedAt: '2026-12-01T08:00:00.000Z',
    finishedAt: null,
    revision: 5,
  };

  it('a running publish shows its stage, the items read, then the bytes written', () => {
    const { rerender } = render(<PublishProgress job={job} />);
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Publish running: reading documents');
    expect(status.textContent).toContain('37 of 120 items');
    const bar = screen.getByRole('progressbar', { name: 'Publish progress' }) as HTMLProgressElement;
    expect([bar.value, bar.max]).toEqual([37, 120]);
    rerender(
      <PublishProgress
        job={{
          ...job,
          kind: 'rollback',
          stage: 'writing',
          itemsDone: 120,
          bytesDone: 2_000_000,
          bytesTotal: 8_000_000,
        }}
      />,
    );
    expect(screen.getByRole('status').textContent).toContain('Roll back running: writing files');
    expect(screen.getByRole('status').textContent).toContain('2.0 MB of 8.0 MB written');
    const bytesBar = screen.getByRole('progressbar', { name: 'Roll back progress' }) as HTMLProgressElement;
    expect([bytesBar.value, bytesBar.max]).toEqual([2_000_000, 8_000_000]);
  });

  it('a finished publish says which version is live, or why it did not finish', () => {
    expect(jobOutcome({ ...job, state: 'succeeded', version: 7 })).toEqual({
      error: false,
      text: 'Published version 7.',
    });
    expect(jobOutcome({ ...job, kind: 'rollback', state: 'succeeded', version: 8 }).text).toBe(
      'Rolled back: the earlier content is live as version 8.',
    );
    expect(
      jobOutcome({ ...job, state: 'interrupted', error: 'Studio stopped while this release was being published.' }),
    ).toEqual({ error: true, text: 'Publish interrupted: Studio stopped while this release was being published.' });
  });
});
