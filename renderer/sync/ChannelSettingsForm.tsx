/**
 * Channel URL, pinned public keys, auto-apply and the check interval. The core validates the
 * whole change at once and refuses it without writing anything; its message appears next to
 * the field it is about.
 */
import { useId, useState, type FormEvent } from 'react';
import type { ChannelSettings } from '#shared/sync';
import { describeError } from '../api/deadline';
import { CloseIcon, PlusIcon } from '../ui/icons';
import { settingsErrorField, type SettingsField } from './presentation';

export interface ChannelSettingsFormProps {
  settings: ChannelSettings;
  /** Stores the change; a refusal rejects with the core's message, shown by its field. */
  save(change: Partial<ChannelSettings>): Promise<ChannelSettings>;
  onSaved(settings: ChannelSettings): void;
}

const intervalChoices = [15, 30, 60, 120, 240, 720, 1440];

function intervalLabel(minutes: number): string {
  if (minutes < 60) return `Every ${minutes} minutes`;
  if (minutes === 60) return 'Every hour';
  if (minutes % 1440 === 0) return minutes === 1440 ? 'Once a day' : `Every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}

interface Draft {
  channelUrl: string;
  /** Each key with a stable id, so removing one keeps the others' text fields. */
  keys: { id: number; pem: string }[];
  autoApply: boolean;
  checkIntervalMinutes: number;
}

let nextKeyId = 1;

function draftOf(settings: ChannelSettings): Draft {
  return {
    channelUrl: settings.channelUrl ?? '',
    keys:
      settings.publicKeys.length > 0
        ? settings.publicKeys.map((pem) => ({ id: nextKeyId++, pem: pem.trim() }))
        : [{ id: nextKeyId++, pem: '' }],
    autoApply: settings.autoApply,
    checkIntervalMinutes: settings.checkIntervalMinutes,
  };
}

function changeOf(draft: Draft): Partial<ChannelSettings> {
  const url = draft.channelUrl.trim();
  return {
    channelUrl: url === '' ? null : url,
    publicKeys: draft.keys.map((key) => key.pem.trim()).filter((pem) => pem !== ''),
    autoApply: draft.autoApply,
    checkIntervalMinutes: draft.checkIntervalMinutes,
  };
}

function sameSettings(a: Partial<ChannelSettings>, b: ChannelSettings): boolean {
  return (
    (a.channelUrl ?? null) === b.channelUrl &&
    a.autoApply === b.autoApply &&
    a.checkIntervalMinutes === b.checkIntervalMinutes &&
    JSON.stringify(a.publicKeys) === JSON.stringify(b.publicKeys.map((pem) => pem.trim()))
  );
}

export function ChannelSettingsForm({ settings, save, onSaved }: ChannelSettingsFormProps) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ field: SettingsField; message: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const dirty = !sameSettings(changeOf(draft), settings);

  const edit = (change: Partial<Draft>) => {
    setDraft((previous) => ({ ...previous, ...change }));
    setSaved(false);
  };
  const editKey = (keyId: number, pem: string) =>
    edit({ keys: draft.keys.map((key) => (key.id === keyId ? { ...key, pem } : key)) });
  const removeKey = (keyId: number) => {
    const rest = draft.keys.filter((key) => key.id !== keyId);
    edit({ keys: rest.length > 0 ? rest : [{ id: nextKeyId++, pem: '' }] });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    setError(null);
    save(changeOf(draft)).then(
      (next) => {
        setSaving(false);
        setSaved(true);
        setDraft(draftOf(next));
        onSaved(next);
      },
      (failure: unknown) => {
        setSaving(false);
        const { message } = describeError(failure);
        setError({ field: settingsErrorField(message), message });
      },
    );
  };

  const errorFor = (field: SettingsField) =>
    error?.field === field ? (
      <p className="sync-field__error" id={`${id}-${field}-error`} role="alert" data-testid={`settings-error-${field}`}>
        {error.message}
      </p>
    ) : null;
  const describedBy = (field: SettingsField) => (error?.field === field ? `${id}-${field}-error` : undefined);
  const intervals = intervalChoices.includes(draft.checkIntervalMinutes)
    ? intervalChoices
    : [...intervalChoices, draft.checkIntervalMinutes].sort((a, b) => a - b);

  return (
    <form className="sync-settings" data-testid="channel-settings" noValidate onSubmit={submit}>
      <div className="sync-field">
        <label className="sync-field__label" htmlFor={`${id}-url`}>
          Channel URL
        </label>
        <input
          id={`${id}-url`}
          className={`sync-input${error?.field === 'channelUrl' ? ' sync-input--invalid' : ''}`}
          data-testid="channel-url"
          type="text"
          inputMode="url"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          placeholder="https://content.example.com/pitchcase/ or file:///media/usb/release"
          value={draft.channelUrl}
          aria-invalid={error?.field === 'channelUrl' || undefined}
          aria-describedby={describedBy('channelUrl')}
          onChange={(event) => edit({ channelUrl: event.target.value })}
        />
        {errorFor('channelUrl')}
        <p className="sync-field__hint">
          https:// for a web server or CDN, file:// for a folder on a USB stick or network share.
        </p>
      </div>

      <fieldset className="sync-field sync-keys">
        <legend className="sync-field__label">Public keys</legend>
        <p className="sync-field__hint">
          A release is applied only when one of these keys signed it (PEM, starting with -----BEGIN PUBLIC KEY-----).
        </p>
        {draft.keys.map((key, index) => (
          <div className="sync-key" key={key.id}>
            <textarea
              className={`sync-input sync-input--key${error?.field === 'publicKeys' ? ' sync-input--invalid' : ''}`}
              data-testid="public-key"
              aria-label={`Public key ${index + 1}`}
              rows={4}
              spellCheck={false}
              autoCapitalize="off"
              placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'}
              value={key.pem}
              aria-invalid={error?.field === 'publicKeys' || undefined}
              aria-describedby={describedBy('publicKeys')}
              onChange={(event) => editKey(key.id, event.target.value)}
            />
            <button
              type="button"
              className="icon-button sync-key__remove"
              data-testid="remove-key"
              aria-label={`Remove public key ${index + 1}`}
              onClick={() => removeKey(key.id)}
            >
              <CloseIcon size={20} />
            </button>
          </div>
        ))}
        {errorFor('publicKeys')}
        <button
          type="button"
          className="button button--secondary sync-keys__add"
          data-testid="add-key"
          disabled={draft.keys.length >= 8}
          onClick={() => edit({ keys: [...draft.keys, { id: nextKeyId++, pem: '' }] })}
        >
          <PlusIcon size={18} />
          Add a key
        </button>
      </fieldset>

      <div className="sync-field sync-field--row">
        <div>
          <label className="sync-field__label" htmlFor={`${id}-auto`}>
            Apply new releases automatically
          </label>
          <p className="sync-field__hint">Off: you see what changes and choose when to download.</p>
        </div>
        <input
          id={`${id}-auto`}
          className="sync-switch"
          data-testid="auto-apply"
          type="checkbox"
          role="switch"
          checked={draft.autoApply}
          onChange={(event) => edit({ autoApply: event.target.checked })}
        />
      </div>

      <div className="sync-field sync-field--row">
        <label className="sync-field__label" htmlFor={`${id}-interval`}>
          Check for new content
        </label>
        <select
          id={`${id}-interval`}
          className="sync-input sync-select"
          data-testid="check-interval"
          value={draft.checkIntervalMinutes}
          aria-describedby={describedBy('checkIntervalMinutes')}
          onChange={(event) => edit({ checkIntervalMinutes: Number(event.target.value) })}
        >
          {intervals.map((minutes) => (
            <option key={minutes} value={minutes}>
              {intervalLabel(minutes)}
            </option>
          ))}
        </select>
      </div>
      {errorFor('checkIntervalMinutes')}

      <div className="sync-settings__actions">
        {errorFor('form')}
        {saved && !dirty ? (
          <span className="sync-settings__saved" role="status" data-testid="settings-saved">
            Saved
          </span>
        ) : null}
        <button
          type="submit"
          className="button button--primary"
          data-testid="save-settings"
          disabled={saving || !dirty}
        >
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
