/**
 * Picks the experience before anything else renders: the trade-show kiosk when the profile is
 * a kiosk, the rep's app otherwise. Until the core has answered, a quiet splash; the rep's app
 * never flashes on a kiosk, and a core that does not answer is retried on its own.
 */
import { useEffect, type ReactNode } from 'react';
import { BrandMark } from '../ui/icons';
import { KioskApp } from './KioskApp';
import { useProfile } from './queries';
import './kiosk.css';

const retryMs = 5_000;

export function ProfileSwitch({ standard }: { standard: ReactNode }) {
  const profile = useProfile();
  const { error, retry, refresh } = profile;

  // Each failure arms the next try; the message stays up meanwhile.
  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(refresh, retryMs);
    return () => clearTimeout(timer);
  }, [error, refresh]);

  switch (profile.status) {
    case 'ready':
      return profile.data.active ? <KioskApp config={profile.data} /> : standard;
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
          <p className="kiosk-splash__detail">{profile.error.message}. Trying again.</p>
          <button type="button" className="button button--primary" onClick={retry}>
            Try again now
          </button>
        </div>
      );
  }
}
