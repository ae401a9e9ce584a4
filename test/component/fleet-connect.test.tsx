/**
 * The fleet screens against a fake core: the first-run "Connect to your company" screen (a bad
 * address is caught before anything is sent, a refused code says why and keeps what was typed,
 * "Not now" is remembered), the settings card of a device its company disconnected, and what
 * the privacy screen lists.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FleetStatus } from '#shared/contract/fleet';
import { ConnectFromLink, FirstRunConnect } from '../../renderer/fleet/ConnectScreen';
import { FleetCard } from '../../renderer/fleet/FleetCard';
import { RecordsAboutMeView } from '../../renderer/fleet/PrivacyScreen';
import { FakeCore, renderWith } from './fake-core';

const notConnected: FleetStatus = {
  deviceId: 'local-1',
  enrolled: false,
  revoked: null,
  identity: null,
  studioUrl: null,
  enrolledAt: null,
  disconnected: null,
  connectSkipped: false,
  pending: 0,
  refused: 0,
  lastUploadAt: null,
  lastError: null,
  feed: null,
};

const connected: FleetStatus = {
  ...notConnected,
  deviceId: 'dev-1',
  enrolled: true,
  identity: {
    deviceId: 'dev-1',
    rep: { name: 'Ana Ortiz', email: 'ana@acme.example' },
    booth: null,
    team: 'North',
    region: 'EMEA',
  },
  studioUrl: 'https://studio.acme.example',
  enrolledAt: '2026-11-02T09:00:00.000Z',
};

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('first-run connect screen', () => {
  it('connects with the address and code, then says as whom', async () => {
    const core = new FakeCore().answer('getFleetStatus', () => notConnected).answer('enrolDevice', () => connected);
    renderWith(core, <FirstRunConnect />);
    await screen.findByTestId('fleet-first-run');
    expect(screen.getByRole('heading', { name: 'Connect to your company' })).toBeTruthy();

    type('fleet-studio-url', 'studio.acme.example');
    type('fleet-code', 'K7Q2-M9XD');
    fireEvent.click(screen.getByTestId('fleet-connect'));
    expect((await screen.findByTestId('fleet-url-problem')).textContent).toMatch(/valid URL/);
    expect(core.callsTo('enrolDevice')).toEqual([]);

    type('fleet-studio-url', 'https://studio.acme.example');
    fireEvent.click(screen.getByTestId('fleet-connect'));
    expect((await screen.findByTestId('fleet-connected')).textContent).toContain('Ana Ortiz · North · EMEA');
    expect(core.callsTo('enrolDevice')).toEqual([{ studioUrl: 'https://studio.acme.example', code: 'K7Q2-M9XD' }]);
    fireEvent.click(screen.getByTestId('fleet-continue'));
    await waitFor(() => expect(screen.queryByTestId('fleet-first-run')).toBeNull());
  });

  it('a refused code says why and keeps what was typed', async () => {
    const core = new FakeCore()
      .answer('getFleetStatus', () => notConnected)
      .refuse('enrolDevice', 'Studio refused the code: this code has expired', 'refused');
    renderWith(core, <FirstRunConnect />);
    await screen.findByTestId('fleet-first-run');
    type('fleet-studio-url', 'https://studio.acme.example');
    type('fleet-code', 'OLD12345');
    fireEvent.click(screen.getByTestId('fleet-connect'));
    expect((await screen.findByTestId('fleet-connect-error')).textContent).toMatch(/expired/);
    expect((screen.getByTestId('fleet-code') as HTMLInputElement).value).toBe('OLD12345');
    expect(screen.getByTestId('fleet-first-run')).toBeTruthy();
  });

  it('"Not now" is remembered by the core and the app goes on', async () => {
    const core = new FakeCore()
      .answer('getFleetStatus', () => notConnected)
      .answer('skipFleetConnect', () => ({ ...notConnected, connectSkipped: true }));
    renderWith(core, <FirstRunConnect />);
    fireEvent.click(await screen.findByTestId('fleet-skip'));
    await waitFor(() => expect(screen.queryByTestId('fleet-first-run')).toBeNull());
    expect(core.callsTo('skipFleetConnect')).toHaveLength(1);
  });

  it('is not shown on a connected device, nor after "Not now"', async () => {
    for (const status of [connected, { ...notConnected, connectSkipped: true }]) {
      const core = new FakeCore().answer('getFleetStatus', () => status);
      const view = renderWith(core, <FirstRunConnect />);
      await waitFor(() => expect(core.callsTo('getFleetStatus')).toHaveLength(1));
      expect(screen.queryByTestId('fleet-first-run')).toBeNull();
      view.unmount();
    }
  });
});

describe('connect screen opened by an enrolment link', () => {
  const link = { studioUrl: 'https://studio.acme.example', code: 'ABCDE-FGHJK' };

  it('is filled in, names the Studio, and connects only when the rep taps Connect', async () => {
    let enrolled = false;
    const core = new FakeCore()
      .answer('getFleetStatus', () => (enrolled ? connected : notConnected))
      .answer('enrolDevice', () => ((enrolled = true), connected));
    let closed = 0;
    renderWith(core, <ConnectFromLink link={link} onClose={() => (closed += 1)} />);
    expect((await screen.findByTestId('fleet-link-intro')).textContent).toContain('studio.acme.example');
    expect((screen.getByTestId('fleet-studio-url') as HTMLInputElement).value).toBe(link.studioUrl);
    expect((screen.getByTestId('fleet-code') as HTMLInputElement).value).toBe(link.code);
    expect(core.callsTo('enrolDevice')).toEqual([]);
    fireEvent.click(screen.getByTestId('fleet-connect'));
    expect((await screen.findByTestId('fleet-connected')).textContent).toContain('Ana Ortiz');
    expect(core.callsTo('enrolDevice')).toEqual([link]);
    // The core says the device is now connected: the screen still waits for the rep's Continue.
    core.emit('fleet.changed', { enrolled: true, revoked: false });
    await waitFor(() => expect(core.callsTo('getFleetStatus')).toHaveLength(2));
    expect(screen.queryByTestId('fleet-link-already')).toBeNull();
    fireEvent.click(screen.getByTestId('fleet-continue'));
    expect(closed).toBe(1);
  });

  it('Cancel leaves without connecting and without "Not now" being remembered', async () => {
    const core = new FakeCore().answer('getFleetStatus', () => notConnected);
    let closed = 0;
    renderWith(core, <ConnectFromLink link={link} onClose={() => (closed += 1)} />);
    fireEvent.click(await screen.findByTestId('fleet-skip'));
    await waitFor(() => expect(closed).toBe(1));
    expect(core.callsTo('skipFleetConnect')).toEqual([]);
    expect(core.callsTo('enrolDevice')).toEqual([]);
  });

  it('a connected device says where it is connected and offers nothing to replace it', async () => {
    const core = new FakeCore().answer('getFleetStatus', () => connected);
    renderWith(core, <ConnectFromLink link={{ ...link, studioUrl: 'https://other.example' }} onClose={() => {}} />);
    const notice = await screen.findByTestId('fleet-link-already');
    expect(notice.textContent).toContain('https://studio.acme.example');
    expect(notice.textContent).toContain('https://other.example');
    expect(screen.queryByTestId('fleet-connect')).toBeNull();
  });

  it("Studio's enrolment page address pasted into the address field brings its code", async () => {
    const core = new FakeCore().answer('getFleetStatus', () => notConnected).answer('enrolDevice', () => connected);
    renderWith(core, <FirstRunConnect />);
    await screen.findByTestId('fleet-first-run');
    type('fleet-studio-url', 'https://studio.acme.example/enrol?code=abcde-fghjk');
    expect((screen.getByTestId('fleet-studio-url') as HTMLInputElement).value).toBe('https://studio.acme.example');
    expect((screen.getByTestId('fleet-code') as HTMLInputElement).value).toBe('ABCDE-FGHJK');
    fireEvent.click(screen.getByTestId('fleet-connect'));
    await screen.findByTestId('fleet-connected');
    expect(core.callsTo('enrolDevice')).toEqual([link]);
  });
});

describe('settings card', () => {
  it('a disconnected device says so and offers to connect again at the same Studio', async () => {
    const core = new FakeCore().answer('getFleetStatus', () => ({
      ...connected,
      revoked: { at: '2026-11-03T09:00:00.000Z', message: 'This device was disconnected by your company' },
    }));
    renderWith(core, <FleetCard privacyHref="#/privacy" />);
    expect((await screen.findByTestId('fleet-revoked')).textContent).toMatch(
      /This device was disconnected by your company/,
    );
    expect((screen.getByTestId('fleet-studio-url') as HTMLInputElement).value).toBe('https://studio.acme.example');
    expect(screen.getByTestId('fleet-connect').textContent).toBe('Connect again');
    expect(screen.queryByTestId('fleet-send-now')).toBeNull();
  });

  it('disconnects from Studio only after the person confirms, then says so and offers the same Studio again', async () => {
    let disconnected = false;
    const core = new FakeCore()
      .answer('getFleetStatus', () => connected)
      .answer('disconnectFromStudio', () => {
        disconnected = true;
        return {
          ...notConnected,
          studioUrl: 'https://studio.acme.example',
          disconnected: { at: new Date().toISOString(), studioUrl: 'https://studio.acme.example', studioTold: false },
        };
      });
    renderWith(core, <FleetCard />);
    fireEvent.click(await screen.findByTestId('fleet-disconnect'));
    expect(screen.getByRole('group').textContent).toMatch(/stay on this device/);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(disconnected).toBe(false);
    expect(screen.getByTestId('fleet-send-now')).toBeTruthy();

    fireEvent.click(screen.getByTestId('fleet-disconnect'));
    fireEvent.click(screen.getByTestId('fleet-disconnect-confirm'));
    expect((await screen.findByTestId('fleet-disconnected')).textContent).toMatch(
      /Studio will be told the next time this device is online/,
    );
    expect(disconnected).toBe(true);
    expect((screen.getByTestId('fleet-studio-url') as HTMLInputElement).value).toBe('https://studio.acme.example');
    expect(screen.queryByTestId('fleet-send-now')).toBeNull();
  });

  it('a connected device shows as whom, what waits, and sends on request', async () => {
    const core = new FakeCore()
      .answer('getFleetStatus', () => ({ ...connected, pending: 4 }))
      .answer('syncFleetNow', () => ({ ...connected, pending: 0, lastUploadAt: new Date().toISOString() }));
    renderWith(core, <FleetCard privacyHref="#/privacy" />);
    expect((await screen.findByTestId('fleet-identity')).textContent).toBe('Ana Ortiz · North · EMEA');
    expect(screen.getByTestId('fleet-pending').textContent).toBe('4');
    fireEvent.click(screen.getByTestId('fleet-send-now'));
    await waitFor(() => expect(screen.getByTestId('fleet-pending').textContent).toBe('0'));
    expect(screen.getByTestId('fleet-privacy-link').getAttribute('href')).toBe('#/privacy');
  });
});

describe('what Pitchcase records', () => {
  it('lists each kind with where it goes, and the latest records with Studio’s answer', () => {
    renderWith(
      new FakeCore(),
      <RecordsAboutMeView
        data={{
          source: {
            deviceId: 'dev-1',
            rep: 'ana@acme.example',
            booth: null,
            team: 'North',
            region: 'EMEA',
            appVersion: '3.4.5',
            releaseVersion: 12,
          },
          kinds: [
            {
              kind: 'event',
              label: 'Activity',
              holds: 'Which item and page.',
              destinations: ['Your company (Studio)'],
            },
            { kind: 'search-miss', label: 'Searches that found nothing', holds: 'The words.', destinations: [] },
          ],
          recent: [
            {
              kind: 'search-miss',
              at: '2026-11-02T09:00:00.000Z',
              summary: '“zebra” found nothing',
              source: null,
              studio: { state: 'refused', reason: 'query too long' },
              sentElsewhere: false,
            },
          ],
        }}
      />,
    );
    expect(screen.getByTestId('privacy-source').textContent).toContain('ana@acme.example');
    const kinds = screen.getByTestId('privacy-kinds');
    expect(kinds.querySelector('[data-kind="event"]')!.textContent).toContain('Goes to: Your company (Studio)');
    expect(kinds.querySelector('[data-kind="search-miss"]')!.textContent).toContain('Stays on this device');
    expect(screen.getByTestId('privacy-recent').textContent).toContain('Refused by Studio: query too long');
  });
});
