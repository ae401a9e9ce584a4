/**
 * The kiosk's "Get in touch" form against a fake core: nothing is sent without consent, a
 * failed send is announced and keeps what the visitor typed, and the core's field messages
 * show at their fields.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { defaultLeadForm, type LeadFormConfig, type LeadSubmission } from '#shared/kiosk';
import { LeadForm } from '../../renderer/kiosk/LeadForm';
import { emptyDraft, type LeadDraft } from '../../renderer/kiosk/lead-form';
import { openVisitorSession } from '../../renderer/kiosk/visitor-session';
import { FakeCore, renderWith } from './fake-core';

const form: LeadFormConfig = { ...defaultLeadForm, interests: ['Filtration', 'Service plans'] };

/** The visitor screens keep the draft; this stands in for them. */
function Booth({ core, onCaptured }: { core: FakeCore; onCaptured(): void }) {
  const [draft, setDraft] = useState<LeadDraft>(emptyDraft);
  const [session] = useState(() => openVisitorSession(core.client));
  return (
    <LeadForm
      form={form}
      draft={draft}
      onDraftChange={(update) => setDraft(update)}
      viewedCount={2}
      session={session}
      onSendingChange={() => {}}
      onCaptured={onCaptured}
      onBack={() => {}}
    />
  );
}

function boothCore(): FakeCore {
  return new FakeCore()
    .answer('startVisitorSession', () => ({ sessionId: 'visit-1' }))
    .answer('captureLead', () => ({ leadId: 'lead-1' }));
}

function fill(name: string, value: string) {
  fireEvent.change(screen.getByTestId(`lead-field-${name}`), { target: { value } });
}

function fillRequired() {
  fill('firstName', 'Ada');
  fill('lastName', 'Brewer');
  fill('email', 'ada@marston.example');
  fill('company', 'Marston Brewery');
}

describe('kiosk lead form', () => {
  it('sends nothing without consent and says what is missing', async () => {
    const core = boothCore();
    renderWith(core, <Booth core={core} onCaptured={() => {}} />);
    fillRequired();
    fireEvent.click(screen.getByTestId('lead-submit'));
    expect((await screen.findByTestId('lead-error-consent')).textContent).toContain('tick the box');
    expect(core.callsTo('captureLead')).toEqual([]);
  });

  it('announces a failed send, keeps what the visitor typed, and sends it on the next try', async () => {
    const onCaptured = vi.fn();
    const core = boothCore().refuse('captureLead', 'The database is locked');
    renderWith(core, <Booth core={core} onCaptured={onCaptured} />);
    fillRequired();
    fireEvent.click(screen.getByTestId('lead-consent'));
    fireEvent.click(screen.getByTestId('lead-submit'));

    const failure = await screen.findByTestId('lead-failure');
    expect(failure.getAttribute('role')).toBe('alert');
    expect(failure.textContent).toContain('The database is locked');
    expect((screen.getByTestId('lead-field-email') as HTMLInputElement).value).toBe('ada@marston.example');
    expect(onCaptured).not.toHaveBeenCalled();

    core.answer('captureLead', () => ({ leadId: 'lead-1' }));
    fireEvent.click(screen.getByTestId('lead-submit'));
    await waitFor(() => expect(onCaptured).toHaveBeenCalledTimes(1));
    const sent = core.callsTo('captureLead').at(-1) as LeadSubmission;
    expect(sent.sessionId).toBe('visit-1');
    expect(sent.fields).toMatchObject({ firstName: 'Ada', email: 'ada@marston.example', company: 'Marston Brewery' });
    expect(sent.consent).toEqual({ given: true, version: form.consent.version });
    // A visitor cannot rate themselves: the form has no rating and sends none.
    expect(sent).not.toHaveProperty('rating');
    expect(screen.queryByRole('radiogroup')).toBeNull();
    expect(screen.queryByText(/staff/i)).toBeNull();
  });

  it("shows the core's field messages at their fields", async () => {
    const core = boothCore().answer('captureLead', () => ({
      errors: [{ field: 'email', message: 'This domain does not receive mail' }],
    }));
    renderWith(core, <Booth core={core} onCaptured={() => {}} />);
    fillRequired();
    fireEvent.click(screen.getByTestId('lead-consent'));
    fireEvent.click(screen.getByTestId('lead-submit'));
    expect((await screen.findByTestId('lead-error-email')).textContent).toContain('This domain does not receive mail');
  });
});
