/**
 * "Where records go": for leads, meetings (with their follow-ups) and activity, nothing, an
 * HTTPS webhook, Salesforce or a folder of CSV files, with "Test connection" before or after saving. Secrets are
 * write-only: the screen shows "Set" for a stored one, with Replace and Clear, and never gets
 * its value. Problems show beside their field, worded by the same rules the core applies.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import {
  DEFAULT_SALESFORCE_API_VERSION,
  DEFAULT_EXTERNAL_ID_FIELD,
  DEFAULT_SALESFORCE_TOKEN_URL,
  deliveryKindLabels,
  deliveryKinds,
} from '#shared/delivery';
import { connectorsFor, rulesOf, type ConnectorType } from '#shared/connectors/index';
import type { ConnectionTestResult, DeliveryKind, DeliverySettingsView } from '#shared/sync';
import { client } from '../api/client';
import { describeError } from '../api/deadline';
import { CloseIcon } from '../ui/icons';
import {
  droppedSecrets,
  endpointFromForm,
  formFromView,
  formProblems,
  keptByForm,
  secretState,
  type DestinationForm,
  type SecretEdit,
  type SecretName,
} from './delivery-form';

export interface DeliverySettingsDialogProps {
  settings: DeliverySettingsView;
  onSaved(settings: DeliverySettingsView): void;
  onClose(): void;
}

const secretLabels: Record<SecretName, string> = {
  authorization: 'Authorization header',
  accessToken: 'Access token',
  clientSecret: 'Client secret',
  refreshToken: 'Refresh token',
};

/** The choice's words: the connector names itself. */
const typeLabel = (type: DestinationForm['type']) =>
  type === 'none' ? 'Nowhere (keep on this device)' : rulesOf(type).label;

type Forms = Record<DeliveryKind, DestinationForm>;

function formsOf(settings: DeliverySettingsView): Forms {
  return {
    lead: formFromView(settings.lead),
    meeting: formFromView(settings.meeting),
    event: formFromView(settings.event),
  };
}

export function DeliverySettingsDialog({ settings, onSaved, onClose }: DeliverySettingsDialogProps) {
  const id = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const [stored, setStored] = useState(settings);
  const [kind, setKind] = useState<DeliveryKind>('lead');
  const [forms, setForms] = useState<Forms>(() => formsOf(settings));
  const [shown, setShown] = useState<Partial<Record<string, string>>>({});
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [note, setNote] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);

  useEffect(() => {
    dialogRef.current?.focus({ preventScroll: true });
  }, []);

  const form = forms[kind];
  const view = stored[kind];
  const kept = keptByForm(view, form);
  const dropped = droppedSecrets(view, form);

  const edit = (change: Partial<DestinationForm>) => {
    setForms((all) => ({ ...all, [kind]: { ...all[kind], ...change } }));
    setShown({});
    setNote(null);
    setTest(null);
  };

  const pickKind = (next: DeliveryKind) => {
    setKind(next);
    setShown({});
    setNote(null);
    setTest(null);
  };

  /** Problems to show now; empty when the form may be sent. */
  const check = (): boolean => {
    const problems = formProblems(kind, form, view);
    setShown(problems);
    return Object.keys(problems).length === 0;
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !check()) return;
    setBusy('save');
    setNote(null);
    setTest(null);
    try {
      const next = await client.updateDeliverySettings({ [kind]: endpointFromForm(form, view) });
      setStored(next);
      setForms((all) => ({ ...all, [kind]: formFromView(next[kind]) }));
      onSaved(next);
      setNote({ tone: 'ok', text: `${deliveryKindLabels[kind]}: saved` });
    } catch (failure) {
      setNote({ tone: 'error', text: describeError(failure).message });
    } finally {
      setBusy(null);
    }
  };

  const runTest = async () => {
    const endpoint = endpointFromForm(form, view);
    if (busy || !endpoint || !check()) return;
    setBusy('test');
    setNote(null);
    setTest(null);
    try {
      setTest(await client.testDeliveryConnection({ kind, endpoint }));
    } catch (failure) {
      setTest({ ok: false, status: null, message: describeError(failure).message });
    } finally {
      setBusy(null);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };

  const errorOf = (field: string) =>
    shown[field] ? (
      <p className="sync-field__error" id={`${id}-${field}-error`} role="alert" data-testid={`delivery-error-${field}`}>
        {shown[field]}
      </p>
    ) : null;

  const textField = (
    field: 'url' | 'path' | 'instanceUrl' | 'clientId' | 'tokenUrl' | 'apiVersion' | 'externalIdField',
    label: string,
    options: { placeholder?: string; hint?: string; url?: boolean } = {},
  ) => (
    <div className="sync-field">
      <label className="sync-field__label" htmlFor={`${id}-${field}`}>
        {label}
      </label>
      <input
        id={`${id}-${field}`}
        className={`sync-input${shown[field] ? ' sync-input--invalid' : ''}`}
        data-testid={`delivery-${field}`}
        type="text"
        inputMode={options.url ? 'url' : 'text'}
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        placeholder={options.placeholder}
        value={form[field]}
        aria-invalid={shown[field] ? true : undefined}
        aria-describedby={shown[field] ? `${id}-${field}-error` : undefined}
        onChange={(event) => edit({ [field]: event.target.value })}
      />
      {errorOf(field)}
      {options.hint ? <p className="sync-field__hint">{options.hint}</p> : null}
    </div>
  );

  const secretField = (name: SecretName, hint?: string) => (
    <SecretField
      id={`${id}-${name}`}
      name={name}
      label={secretLabels[name]}
      edit={form[name]}
      kept={kept[name]}
      error={shown[name] ?? (name === 'authorization' ? shown.headers : undefined)}
      hint={hint}
      onChange={(next) => edit({ [name]: next })}
    />
  );

  // Each connector's fields; a new connector adds its own entry.
  const sections: Record<ConnectorType, () => ReactNode> = {
    webhook: () => (
      <>
        {textField('url', 'Webhook URL', {
          placeholder: 'https://crm.example.com/hooks/pitchcase',
          url: true,
          hint: 'Batches of records are POSTed as JSON with an Idempotency-Key. http:// only for this computer.',
        })}
        {secretField('authorization', 'Sent as the Authorization header, e.g. "Bearer …". Optional.')}
      </>
    ),
    folder: () =>
      textField('path', 'Folder', {
        placeholder: 'C:\\Users\\you\\OneDrive - Acme\\Pitchcase  or  \\\\server\\share\\crm',
        hint: 'Each batch becomes one CSV file here, for an importer or a person to pick up: a network share, or a OneDrive or SharePoint folder synced to this device.',
      }),
    salesforce: () => (
      <>
        {textField('instanceUrl', 'Instance URL', { placeholder: 'https://mycompany.my.salesforce.com', url: true })}
        <fieldset className="sync-field">
          <legend className="sync-field__label">Sign in with</legend>
          <div className="delivery-dialog__choices">
            <label className="delivery-dialog__choice">
              <input
                type="radio"
                name={`${id}-auth`}
                checked={form.auth === 'refresh'}
                data-testid="delivery-auth-refresh"
                onChange={() => edit({ auth: 'refresh' })}
              />
              OAuth refresh token (keeps working)
            </label>
            <label className="delivery-dialog__choice">
              <input
                type="radio"
                name={`${id}-auth`}
                checked={form.auth === 'token'}
                data-testid="delivery-auth-token"
                onChange={() => edit({ auth: 'token' })}
              />
              Access token (expires after a few hours)
            </label>
          </div>
        </fieldset>
        {form.auth === 'token' ? (
          secretField('accessToken')
        ) : (
          <>
            {textField('clientId', 'Client id (consumer key)')}
            {secretField('clientSecret', 'Optional: connected apps that require it.')}
            {secretField('refreshToken')}
            {textField('tokenUrl', 'Token URL', {
              placeholder: DEFAULT_SALESFORCE_TOKEN_URL,
              url: true,
              hint: 'A sandbox uses https://test.salesforce.com/services/oauth2/token.',
            })}
          </>
        )}
        <details className="delivery-dialog__advanced">
          <summary>Advanced</summary>
          {textField('apiVersion', 'API version', { placeholder: DEFAULT_SALESFORCE_API_VERSION })}
          {textField('externalIdField', 'External-id field on Lead and Task', {
            placeholder: DEFAULT_EXTERNAL_ID_FIELD,
          })}
        </details>
      </>
    ),
  };

  return (
    <div
      className="delivery-dialog__backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <div
        ref={dialogRef}
        className="delivery-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        tabIndex={-1}
        data-testid="delivery-dialog"
        onKeyDown={onKeyDown}
      >
        <div className="delivery-dialog__bar">
          <h2 className="sync-card__heading" id={`${id}-title`}>
            Where records go
          </h2>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            data-testid="delivery-close"
            onClick={onClose}
          >
            <CloseIcon size={20} />
          </button>
        </div>

        <div className="delivery-dialog__kinds" role="tablist" aria-label="Kind of record">
          {deliveryKinds.map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={k === kind}
              className={`delivery-dialog__kind${k === kind ? ' delivery-dialog__kind--on' : ''}`}
              data-testid={`delivery-kind-${k}`}
              onClick={() => pickKind(k)}
            >
              {deliveryKindLabels[k]}
            </button>
          ))}
        </div>

        <form
          className="sync-settings"
          noValidate
          onSubmit={(event) => void save(event)}
          data-testid="delivery-form"
          data-kind={kind}
        >
          <fieldset className="sync-field">
            <legend className="sync-field__label">Send {deliveryKindLabels[kind].toLowerCase()} to</legend>
            <div className="delivery-dialog__choices">
              {(['none', ...connectorsFor(kind)] as DestinationForm['type'][]).map((type) => (
                <label key={type} className="delivery-dialog__choice">
                  <input
                    type="radio"
                    name={`${id}-type`}
                    value={type}
                    checked={form.type === type}
                    data-testid={`delivery-type-${type}`}
                    onChange={() => edit({ type })}
                  />
                  {typeLabel(type)}
                </label>
              ))}
            </div>
          </fieldset>

          {form.type === 'none' ? null : sections[form.type]()}

          {dropped.length > 0 ? (
            <p className="sync-field__hint" role="status" data-testid="delivery-dropped">
              The address moved to another host: the stored{' '}
              {dropped.map((name) => secretLabels[name].toLowerCase()).join(' and ')} will not be sent there and is
              removed on save. Enter it again if the new host needs it.
            </p>
          ) : null}
          {errorOf('type')}

          {test ? (
            <p
              className={test.ok ? 'delivery-dialog__test delivery-dialog__test--ok' : 'sync-inline-error'}
              role="status"
              data-testid="delivery-test-result"
              data-ok={test.ok}
            >
              {test.ok ? '✓ ' : ''}
              {test.message}
            </p>
          ) : null}
          {note ? (
            <p
              className={note.tone === 'ok' ? 'sync-settings__saved' : 'sync-inline-error'}
              role={note.tone === 'ok' ? 'status' : 'alert'}
              data-testid="delivery-note"
            >
              {note.text}
            </p>
          ) : null}

          <div className="sync-settings__actions">
            <button
              type="button"
              className="button button--secondary"
              data-testid="delivery-test"
              disabled={busy !== null || form.type === 'none'}
              onClick={() => void runTest()}
            >
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <button
              type="submit"
              className="button button--primary"
              data-testid="delivery-save"
              disabled={busy !== null}
            >
              {busy === 'save' ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

interface SecretFieldProps {
  id: string;
  name: SecretName;
  label: string;
  edit: SecretEdit;
  /** A value is stored and would be kept. */
  kept: boolean;
  error: string | undefined;
  hint: string | undefined;
  onChange(edit: SecretEdit): void;
}

/** A write-only secret: "Set" with Replace and Clear, or a password field to type a new one. */
function SecretField({ id, name, label, edit, kept, error, hint, onChange }: SecretFieldProps) {
  const state = secretState(edit, kept);
  return (
    <div className="sync-field" data-testid={`delivery-secret-${name}`} data-state={state}>
      <label className="sync-field__label" htmlFor={id}>
        {label}
      </label>
      {state === 'set' || state === 'clear' ? (
        <div className="delivery-secret">
          <span
            className={`delivery-secret__badge${state === 'clear' ? ' delivery-secret__badge--clear' : ''}`}
            data-testid={`delivery-${name}-state`}
          >
            {state === 'set' ? 'Set' : 'Removed on save'}
          </span>
          {state === 'set' ? (
            <>
              <button
                type="button"
                id={id}
                className="sync-link"
                data-testid={`delivery-${name}-replace`}
                onClick={() => onChange({ mode: 'replace', value: '' })}
              >
                Replace
              </button>
              <button
                type="button"
                className="sync-link"
                data-testid={`delivery-${name}-clear`}
                onClick={() => onChange({ mode: 'clear' })}
              >
                Clear
              </button>
            </>
          ) : (
            <button type="button" id={id} className="sync-link" onClick={() => onChange({ mode: 'keep' })}>
              Undo
            </button>
          )}
        </div>
      ) : (
        <div className="delivery-secret">
          <input
            id={id}
            className={`sync-input${error ? ' sync-input--invalid' : ''}`}
            data-testid={`delivery-${name}`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={edit.mode === 'replace' ? edit.value : ''}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(event) => onChange({ mode: 'replace', value: event.target.value })}
          />
          {kept && edit.mode === 'replace' ? (
            <button type="button" className="sync-link" onClick={() => onChange({ mode: 'keep' })}>
              Keep the stored one
            </button>
          ) : null}
        </div>
      )}
      {error ? (
        <p className="sync-field__error" id={`${id}-error`} role="alert" data-testid={`delivery-error-${name}`}>
          {error}
        </p>
      ) : null}
      {hint ? <p className="sync-field__hint">{hint}</p> : null}
    </div>
  );
}
