/**
 * The Studio address and the enrolment code, as on the first-run "Connect to your company"
 * screen, in settings and on the kiosk's staff screen. Props only: the caller says how to
 * connect. The address is checked as the core checks it before anything is sent; the core's
 * answer (a used or expired code, Studio unreachable) is shown as it comes.
 */
import { useState, type FormEvent } from 'react';
import type { FleetStatus } from '#shared/contract/fleet';
import { studioRules } from '#shared/connectors/studio';
import { readEnrolLink } from '#shared/enrol-link';
import { describeError } from '../api/deadline';

export interface ConnectFormProps {
  connect(arg: { studioUrl: string; code: string }): Promise<FleetStatus>;
  onConnected(status: FleetStatus): void;
  /** Pre-filled Studio address (a revoked device's previous one, or an enrolment link's). */
  studioUrl?: string;
  /** Pre-filled code (an enrolment link's). */
  code?: string;
  submitLabel?: string;
}

export function ConnectForm({
  connect,
  onConnected,
  studioUrl = '',
  code: linkCode = '',
  submitLabel = 'Connect',
}: ConnectFormProps) {
  const [url, setUrl] = useState(studioUrl);
  const [code, setCode] = useState(linkCode);
  // Studio's enrolment link (or the app's own) pasted into the address: its Studio goes in the
  // address and its code in the code field, unless the rep already typed a code.
  const changeUrl = (value: string) => {
    const link = readEnrolLink(value);
    setUrl(link ? link.studioUrl : value);
    if (link && !code.trim()) setCode(link.code);
  };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [urlProblem, setUrlProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = studioRules.urlProblem(url);
    setUrlProblem(problem);
    if (problem || code.trim().length < 4) {
      if (!problem) setError('Enter the code Studio showed (at least 4 characters)');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onConnected(await connect({ studioUrl: url.trim(), code: code.trim() }));
    } catch (failure) {
      setError(describeError(failure).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="fleet-connect" onSubmit={(e) => void submit(e)} noValidate data-testid="fleet-connect-form">
      <label className="sync-field">
        <span className="sync-field__label">Studio address</span>
        <input
          className="sync-input"
          type="url"
          inputMode="url"
          autoComplete="url"
          placeholder="https://studio.example.com"
          value={url}
          onChange={(e) => changeUrl(e.target.value)}
          aria-invalid={urlProblem ? true : undefined}
          aria-describedby={urlProblem ? 'fleet-url-problem' : undefined}
          data-testid="fleet-studio-url"
        />
      </label>
      {urlProblem ? (
        <p className="sync-inline-error" id="fleet-url-problem" role="alert" data-testid="fleet-url-problem">
          {urlProblem}
        </p>
      ) : null}
      <label className="sync-field">
        <span className="sync-field__label">Enrolment code</span>
        <input
          className="sync-input fleet-connect__code"
          type="text"
          autoComplete="one-time-code"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          data-testid="fleet-code"
        />
      </label>
      <button type="submit" className="button button--primary" disabled={busy} data-testid="fleet-connect">
        {busy ? 'Connecting…' : submitLabel}
      </button>
      {error ? (
        <p className="sync-inline-error" role="alert" data-testid="fleet-connect-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
