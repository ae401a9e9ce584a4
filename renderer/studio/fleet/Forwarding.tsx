/**
 * Forwarding (admins): where Studio sends the leads and meetings devices upload — the same
 * connectors and form rules as a device's "Where records go" (renderer/sync/delivery-form), so a
 * booth needs no CRM credential. Secrets are write-only ("Set"; type to replace), "Test
 * connection" tries the form as it is, and the list says where each lead and meeting stands.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { connectorsFor, rulesOf, type ConnectorType } from '#shared/connectors/index';
import type { ConnectionTestResult, EndpointView } from '#shared/sync';
import { formatWhen } from '../format.ts';
import {
  endpointFromForm,
  formFromView,
  formProblems,
  keptByForm,
  secretState,
  type DestinationForm,
  type SecretName,
} from '../../sync/delivery-form.ts';
import type { ForwardingKind, ForwardingOverview, ForwardView } from '#shared/studio-fleet';
import { fleetApi } from './api.ts';

const kindLabels: Record<ForwardingKind, string> = { lead: 'Leads', meeting: 'Meetings and follow-ups' };
const stateLabels: Record<ForwardView['state'], string> = {
  sent: 'Sent',
  waiting: 'Waiting for a destination',
  queued: 'Queued',
  retrying: 'Retrying',
  held: 'Not forwarded',
};

function SecretInput(props: {
  name: SecretName;
  label: string;
  form: DestinationForm;
  kept: boolean;
  onChange(form: DestinationForm): void;
}) {
  const edit = props.form[props.name];
  const state = secretState(edit, props.kept);
  return (
    <label>
      {props.label}
      <input
        type="password"
        autoComplete="off"
        placeholder={state === 'set' ? 'Set — type to replace' : ''}
        value={edit.mode === 'replace' ? edit.value : ''}
        onChange={(e) =>
          props.onChange({
            ...props.form,
            [props.name]: e.target.value ? { mode: 'replace', value: e.target.value } : { mode: 'keep' },
          })
        }
      />
    </label>
  );
}

function DestinationEditor({
  kind,
  view,
  onSaved,
}: {
  kind: ForwardingKind;
  view: EndpointView | null;
  onSaved(): void;
}) {
  const [form, setForm] = useState<DestinationForm>(() => formFromView(view));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  useEffect(() => setForm(formFromView(view)), [view]);
  const problems = formProblems(kind, form, view);
  const kept = keptByForm(view, form);
  const field = (name: keyof DestinationForm, label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={String(form[name])}
        aria-invalid={problems[name] ? true : undefined}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
      {problems[name] && <span className="studio-error">{problems[name]}</span>}
    </label>
  );
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await fleetApi.saveForwarding({ [kind]: endpointFromForm(form, view) });
      setTest(null);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  const tryIt = async () => {
    setTest(null);
    setError(null);
    try {
      const endpoint = endpointFromForm(form, view);
      setTest(await fleetApi.testForwarding(kind, endpoint ?? undefined));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form
      className="studio-card fleet-forwarding__kind"
      onSubmit={(e) => void save(e)}
      aria-label={`Forward ${kindLabels[kind].toLowerCase()}`}
    >
      <fieldset className="studio-fieldset">
        <legend>
          <strong>{kindLabels[kind]}</strong>
        </legend>
        <label>
          Send to
          <select
            value={form.type}
            onChange={(e) => setForm({ ...formFromView(null), type: e.target.value as ConnectorType | 'none' })}
          >
            <option value="none">Nowhere (kept in Studio)</option>
            {connectorsFor(kind).map((type) => (
              <option key={type} value={type}>
                {rulesOf(type).label}
              </option>
            ))}
          </select>
        </label>
        {form.type === 'webhook' && (
          <>
            {field('url', 'URL', 'url')}
            <SecretInput
              name="authorization"
              label="Authorization header"
              form={form}
              kept={kept.authorization}
              onChange={setForm}
            />
          </>
        )}
        {form.type === 'salesforce' && (
          <>
            {field('instanceUrl', 'Instance URL', 'url')}
            <label>
              Signs in with
              <select
                value={form.auth}
                onChange={(e) => setForm({ ...form, auth: e.target.value as 'token' | 'refresh' })}
              >
                <option value="refresh">OAuth refresh credentials</option>
                <option value="token">An access token</option>
              </select>
            </label>
            {form.auth === 'token' ? (
              <SecretInput
                name="accessToken"
                label="Access token"
                form={form}
                kept={kept.accessToken}
                onChange={setForm}
              />
            ) : (
              <>
                {field('clientId', 'Client id')}
                <SecretInput
                  name="clientSecret"
                  label="Client secret"
                  form={form}
                  kept={kept.clientSecret}
                  onChange={setForm}
                />
                <SecretInput
                  name="refreshToken"
                  label="Refresh token"
                  form={form}
                  kept={kept.refreshToken}
                  onChange={setForm}
                />
                {field('tokenUrl', 'Token URL', 'url')}
              </>
            )}
            {problems.accessToken && <p className="studio-error">{problems.accessToken}</p>}
          </>
        )}
        {form.type === 'folder' && field('path', 'Folder on the Studio server')}
        <div className="studio-actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={saving || Object.keys(problems).length > 0}
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
          {form.type !== 'none' && (
            <button type="button" className="button" onClick={() => void tryIt()}>
              Test connection
            </button>
          )}
        </div>
        {test && (
          <p role="status" className={test.ok ? 'studio-ok' : 'studio-error'} data-testid={`forwarding-test-${kind}`}>
            {test.message}
          </p>
        )}
        {error && (
          <p role="alert" className="studio-error">
            {error}
          </p>
        )}
      </fieldset>
    </form>
  );
}

export function Forwarding() {
  const [overview, setOverview] = useState<ForwardingOverview | null>(null);
  const [records, setRecords] = useState<ForwardView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);
  const load = useCallback(async () => {
    try {
      const [o, r] = await Promise.all([fleetApi.forwarding(), fleetApi.forwards()]);
      setOverview(o);
      setRecords(r);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 30_000);
    return () => clearInterval(timer);
  }, [load]);
  const retry = async () => {
    setRetrying(true);
    try {
      await fleetApi.retryForwarding();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRetrying(false);
      await load();
    }
  };
  if (!overview)
    return error ? (
      <p role="alert" className="studio-error">
        {error}
      </p>
    ) : (
      <p className="studio-muted">Loading…</p>
    );
  const c = overview.counts;
  return (
    <div className="fleet-view">
      <p className="studio-muted">
        Studio forwards each lead and meeting devices upload to your CRM, once, so booths and reps need no CRM
        credentials. Leads without consent are never forwarded.
      </p>
      <div className="fleet-forwarding">
        <DestinationEditor kind="lead" view={overview.destinations.lead} onSaved={() => void load()} />
        <DestinationEditor kind="meeting" view={overview.destinations.meeting} onSaved={() => void load()} />
      </div>
      <p data-testid="forwarding-counts">
        {c.sent} sent · {c.queued} queued · {c.retrying} retrying · {c.waiting} waiting for a destination · {c.held} not
        forwarded{' '}
        <button type="button" className="button" disabled={retrying} onClick={() => void retry()}>
          {retrying ? 'Sending…' : 'Retry now'}
        </button>
      </p>
      {overview.lastError && (
        <p role="alert" className="studio-error">
          Last error: {overview.lastError}
        </p>
      )}
      {error && (
        <p role="alert" className="studio-error">
          {error}
        </p>
      )}
      <table className="studio-table" aria-label="Forwarded records">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Booth or rep</th>
            <th scope="col">Made</th>
            <th scope="col">State</th>
            <th scope="col">Attempts</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={`${r.deviceId}/${r.key}`}>
              <td>{r.kind}</td>
              <td>{r.booth ?? r.rep ?? '—'}</td>
              <td>{formatWhen(r.at)}</td>
              <td>{stateLabels[r.state]}</td>
              <td>{r.attempts}</td>
              <td>
                {r.state === 'sent'
                  ? `${r.sentTo ?? ''} ${formatWhen(r.sentAt)}`
                  : r.state === 'retrying'
                    ? `${r.lastError ?? ''} · next try ${formatWhen(r.nextAttemptAt)}`
                    : (r.lastError ?? '')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {records.length === 0 && <p className="studio-muted">No lead or meeting has arrived yet.</p>}
    </div>
  );
}
