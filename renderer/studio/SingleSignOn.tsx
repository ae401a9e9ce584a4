import { useEffect, useState, type FormEvent } from 'react';
import { studioRoles, type SsoSettingsView, type StudioRole } from '#shared/studio';
import { studioApi } from './api.ts';
import { useSaveOutcome } from './ListEditor.tsx';

/**
 * Single sign-on as an admin sets it up: the provider's issuer, this Studio's client id and
 * secret (written once, never shown again), what the sign-in button says, and whether people the
 * provider vouches for but nobody invited get an account (with which role) or are refused.
 */
export function SingleSignOn() {
  const [settings, setSettings] = useState<SsoSettingsView | null>(null);
  const [outcome, save] = useSaveOutcome();
  useEffect(() => void studioApi.ssoSettings().then(setSettings), []);
  if (!settings) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const secret = String(form.get('clientSecret') ?? '');
    const defaultRole = String(form.get('defaultRole') ?? '');
    void save(async () => {
      setSettings(
        await studioApi.saveSsoSettings({
          enabled: form.get('enabled') === 'on',
          issuer: String(form.get('issuer')).trim(),
          clientId: String(form.get('clientId')).trim(),
          ...(secret ? { clientSecret: secret } : {}),
          label: String(form.get('label')).trim() || 'your company account',
          defaultRole: defaultRole ? (defaultRole as StudioRole) : null,
        }),
      );
    }, 'Single sign-on saved.');
  };
  return (
    <details className="studio-card studio-card--wide">
      <summary>Single sign-on (OpenID Connect){settings.enabled ? ': on' : ''}</summary>
      <form className="studio-fields" onSubmit={submit} aria-label="Single sign-on settings">
        <p className="studio-note studio-fields__wide">
          Register Studio at your provider (Entra ID, Okta, Google) as a web application with this redirect address:{' '}
          <code>{settings.redirectUri}</code>
        </p>
        <label>
          Issuer URL{' '}
          <input
            name="issuer"
            type="url"
            required
            defaultValue={settings.issuer}
            placeholder="https://login.microsoftonline.com/<tenant>/v2.0"
          />
        </label>
        <label>
          Client id <input name="clientId" required defaultValue={settings.clientId} />
        </label>
        <label>
          Client secret{' '}
          <input
            name="clientSecret"
            type="password"
            autoComplete="off"
            required={!settings.hasClientSecret}
            placeholder={settings.hasClientSecret ? 'Stored; type a new one to replace it' : ''}
          />
        </label>
        <label>
          Button says “Sign in with …” <input name="label" defaultValue={settings.label} maxLength={80} />
        </label>
        <label>
          Someone not invited yet
          <select name="defaultRole" defaultValue={settings.defaultRole ?? ''}>
            <option value="">is refused (invite people first)</option>
            {studioRoles.map((r) => (
              <option key={r} value={r}>
                gets an account as {r}
              </option>
            ))}
          </select>
        </label>
        <label className="studio-check">
          <input name="enabled" type="checkbox" defaultChecked={settings.enabled} /> Offer single sign-on on the sign-in
          page
        </label>
        <div className="studio-actions studio-fields__wide">
          <button type="submit" className="button button--primary">
            Save single sign-on
          </button>
        </div>
        {outcome}
      </form>
    </details>
  );
}
