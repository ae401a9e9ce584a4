/**
 * The staff screen's lead list and export panel, props-only components with fake data: the
 * qualification is saved only with the button and kept on failure, delivery states read as
 * staff need them, days switch, and the export folder defaults to the one used last.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { BoothLead, BoothLeadList, ExportFolders, LeadQualification } from '#shared/kiosk';
import { PitchcaseError } from '#shared/result';
import { StaffExport } from '../../renderer/kiosk/StaffExport';
import { StaffLeads } from '../../renderer/kiosk/StaffLeads';

const lead = (over: Partial<BoothLead> = {}): BoothLead => ({
  id: 'lead-1',
  capturedAt: '2026-05-12T09:30:00.000Z',
  eventName: 'Brau Beviale 2026',
  firstName: 'Ana',
  lastName: 'Lima',
  company: 'Marston Brewery',
  email: 'ana@marston.example',
  viewed: [
    { itemId: 'aquacore-500-brochure', title: 'AquaCore 500 brochure' },
    { itemId: 'gone', title: null },
  ],
  interests: ['AquaCore 500'],
  consentVersion: '2026-01',
  delivery: { state: 'queued', at: '2026-05-12T09:30:00.000Z', attempts: 0, reason: null },
  update: null,
  crm: null,
  rating: null,
  staffNote: '',
  qualifiedAt: null,
  ...over,
});

const list = (leads: BoothLead[], over: Partial<BoothLeadList> = {}): BoothLeadList => ({
  day: '2026-05-12',
  event: { name: 'Brau Beviale 2026' },
  today: '2026-05-12',
  leads,
  days: [
    { day: '2026-05-12', count: leads.length },
    { day: '2026-05-11', count: 4 },
  ],
  events: [{ name: 'Brau Beviale 2026', count: leads.length + 4 }],
  ...over,
});

describe('staff lead list', () => {
  it('shows who, what they looked at, consent and delivery; saves the qualification only on Save', async () => {
    const onQualify = vi.fn(async (q: LeadQualification) =>
      lead({ rating: q.rating, staffNote: q.note.trim(), qualifiedAt: '2026-05-12T10:00:00.000Z' }),
    );
    render(<StaffLeads list={list([lead()])} onFilter={() => {}} onQualify={onQualify} />);
    const row = screen.getByTestId('staff-lead');
    expect(within(row).getByTestId('staff-lead-name').textContent).toBe('Ana Lima');
    expect(within(row).getByTestId('staff-lead-company').textContent).toBe('Marston Brewery');
    expect(within(row).getByTestId('staff-lead-viewed').textContent).toContain('AquaCore 500 brochure');
    expect(within(row).getByTestId('staff-lead-viewed').textContent).toContain('gone (no longer in the library)');
    expect(within(row).getByTestId('staff-lead-consent').textContent).toContain('2026-01');
    expect(within(row).getByTestId('staff-lead-delivery').getAttribute('data-state')).toBe('queued');

    const save = within(row).getByTestId('staff-lead-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.click(within(row).getByTestId('staff-rate-hot'));
    expect(within(row).getByTestId('staff-rate-hot').getAttribute('aria-checked')).toBe('true');
    fireEvent.change(within(row).getByTestId('staff-lead-note'), { target: { value: ' Wants a quote ' } });
    expect(onQualify).not.toHaveBeenCalled();
    fireEvent.click(save);
    await waitFor(() =>
      expect(within(row).getByTestId('staff-lead-saved').textContent).toMatch(/goes out with the lead/),
    );
    expect(onQualify).toHaveBeenCalledWith({ leadId: 'lead-1', rating: 'hot', note: ' Wants a quote ' });
    expect(save.disabled).toBe(true);
  });

  it('keeps what staff typed when saving fails, and says why', async () => {
    const onQualify = vi.fn(async (): Promise<BoothLead> => {
      throw new PitchcaseError('refused', 'Staff only: unlock with the PIN first');
    });
    render(<StaffLeads list={list([lead()])} onFilter={() => {}} onQualify={onQualify} />);
    fireEvent.change(screen.getByTestId('staff-lead-note'), { target: { value: 'Call on Monday' } });
    fireEvent.click(screen.getByTestId('staff-lead-save'));
    await waitFor(() => expect(screen.getByTestId('staff-lead-saved').textContent).toMatch(/^Not saved: Staff only/));
    expect((screen.getByTestId('staff-lead-note') as HTMLTextAreaElement).value).toBe('Call on Monday');
    expect((screen.getByTestId('staff-lead-save') as HTMLButtonElement).disabled).toBe(false);
  });

  it('reads sent, failed and a queued qualification update', () => {
    render(
      <StaffLeads
        list={list([
          lead({
            id: 'a',
            delivery: { state: 'sent', at: '2026-05-12T09:31:00.000Z', attempts: 1, reason: null },
            update: { state: 'queued', at: null, attempts: 0, reason: null },
            rating: 'warm',
          }),
          lead({ id: 'b', delivery: { state: 'failed', at: null, attempts: 2, reason: 'HTTP 409: Duplicate lead' } }),
        ])}
        onFilter={() => {}}
        onQualify={vi.fn()}
      />,
    );
    const [a, b] = screen.getAllByTestId('staff-lead');
    expect(within(a!).getByTestId('staff-lead-delivery').textContent).toMatch(/^Sent /);
    expect(within(a!).getByTestId('staff-lead-update').textContent).toMatch(/^Qualification update: Queued/);
    expect(within(a!).getByTestId('staff-rate-warm').getAttribute('aria-checked')).toBe('true');
    expect(within(b!).getByTestId('staff-lead-delivery').textContent).toBe(
      'Failed (2 tries, tried again): HTTP 409: Duplicate lead',
    );
  });

  it('reads where Studio’s forwarding to the CRM stands, for a booth enrolled with Studio', () => {
    render(
      <StaffLeads
        list={list([
          lead({ id: 'a', crm: { key: 'lead:a', state: 'sent', at: '2026-05-12T09:32:00.000Z', reason: null } }),
          lead({
            id: 'b',
            crm: { key: 'lead:b', state: 'retrying', at: null, reason: 'Salesforce answered HTTP 503' },
          }),
          lead({ id: 'c' }),
        ])}
        onFilter={() => {}}
        onQualify={vi.fn()}
      />,
    );
    const [a, b, c] = screen.getAllByTestId('staff-lead');
    expect(within(a!).getByTestId('staff-lead-crm').textContent).toMatch(/^In the CRM \(via Studio\) since /);
    expect(within(b!).getByTestId('staff-lead-crm').textContent).toBe(
      'Studio is retrying the CRM: Salesforce answered HTTP 503',
    );
    expect(within(c!).queryByTestId('staff-lead-crm')).toBeNull();
  });

  it('offers today, earlier days and all days, and every event', () => {
    const onFilter = vi.fn();
    render(<StaffLeads list={list([])} onFilter={onFilter} onQualify={vi.fn()} />);
    expect(screen.getByTestId('staff-leads-empty').textContent).toBe('No leads today at Brau Beviale 2026.');
    const days = screen.getAllByTestId('staff-day');
    expect(days.map((d) => d.textContent)).toEqual(['Today · 0', 'Yesterday · 4', 'All days']);
    fireEvent.click(days[1]!);
    expect(onFilter).toHaveBeenLastCalledWith({ day: '2026-05-11', event: { name: 'Brau Beviale 2026' } });
    fireEvent.change(screen.getByTestId('staff-leads-event'), { target: { value: 'all' } });
    expect(onFilter).toHaveBeenLastCalledWith({ day: '2026-05-12', event: 'all' });
  });
});

describe('staff export panel', () => {
  const folders = (over: Partial<ExportFolders> = {}): ExportFolders => ({
    volumes: [
      { path: '/media/kiosk/LOCKED', label: 'LOCKED', removable: true, freeBytes: 1e9, writable: false },
      { path: '/media/kiosk/BOOTH', label: 'BOOTH', removable: true, freeBytes: 3.2e9, writable: true },
    ],
    last: null,
    ...over,
  });

  it('picks the first drive that takes files, lists free space, and exports there', () => {
    const onExport = vi.fn();
    render(
      <StaffExport
        folders={folders()}
        what="2 leads"
        pending={false}
        onExport={onExport}
        onRescan={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    const [locked, booth] = screen.getAllByTestId('staff-export-volume');
    expect(locked!.textContent).toContain('read-only');
    expect((within(locked!).getByRole('radio') as HTMLInputElement).disabled).toBe(true);
    expect(booth!.textContent).toContain('3.2 GB free');
    expect((within(booth!).getByRole('radio') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId('staff-export-save'));
    expect(onExport).toHaveBeenCalledWith('/media/kiosk/BOOTH');
  });

  it('remembers a typed folder, and says when no drive is plugged in', () => {
    const onExport = vi.fn();
    render(
      <StaffExport
        folders={folders({ volumes: [], last: '/srv/exports' })}
        what="2 leads"
        pending={false}
        onExport={onExport}
        onRescan={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    expect(screen.getByTestId('staff-export-no-drives')).toBeTruthy();
    expect((screen.getByTestId('staff-export-folder') as HTMLInputElement).value).toBe('/srv/exports');
    fireEvent.change(screen.getByTestId('staff-export-folder'), { target: { value: ' /mnt/usb ' } });
    fireEvent.click(screen.getByTestId('staff-export-save'));
    expect(onExport).toHaveBeenCalledWith('/mnt/usb');
  });
});
