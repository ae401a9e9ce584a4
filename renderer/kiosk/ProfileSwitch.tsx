/**
 * Picks the experience before anything else renders: the trade-show kiosk when the profile is
 * a kiosk, the rep's app otherwise. Until the core has answered, a quiet splash; the rep's app
 * never flashes on a kiosk, and a core that does not answer is retried on its own.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { KioskConfig } from '#shared/kiosk';
import { client } from '../api/client';
import { describeError, withDeadline } from '../api/deadline';
import { BrandMark } from '../ui/icons';
import { KioskApp } from './KioskApp';
import './kiosk.css';

type Profile = { status: 'loading' } | { status: 'standard' } | { status: 'kiosk'; config: KioskConfig } | { status: 'error'; message: string };

const retryMs = 5_000;

export function ProfileSwitch({ standard }: { standard: ReactNode }) {
  const [profile, setProfile] = useState<Profile>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    withDeadline(client.getKioskConfig({}), 15_000, 'Starting Pitchcase').then(
      (config) => live && setProfile(config.active ? { status: 'kiosk', config } : { status: 'standard' }),
      (error: unknown) => live && setProfile({ status: 'error', message: describeError(error).message }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(() => {
    if (profile.status !== 'error') return;
    const timer = setTimeout(() => setAttempt((n) => n + 1), retryMs);
    return () => clearTimeout(timer);
  }, [profile.status]);

  switch (profile.status) {
    case 'standard':
      return standard;
    case 'kiosk':
      return <KioskApp config={profile.config} />;
    case 'loading':
      return (
        <div className="kiosk-splash" data-testid="app-starting" aria-busy="true">
          <BrandMark size={44} />
        </div>
      );
    case 'error':
      return (
        <div className="kiosk-splash kiosk-splash--error" data-testid="app-start-error" role="alert">
          <BrandMark size={44} />
          <p className="kiosk-splash__title">Pitchcase is starting…</p>
          <p className="kiosk-splash__detail">{profile.message}. Trying again.</p>
          <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again now
          </button>
        </div>
      );
  }
}
