/**
 * The "Where records go" form: what it starts from (settings read back without secrets), the
 * change it sends, the problems it shows beside a field (the core's own rules, from shared), and
 * the card's summary lines. Pure, so the wording and the secret handling are unit-tested.
 */
import {
  DEFAULT_SALESFORCE_TOKEN_URL,
  endpointProblems,
  keptSecrets,
  noKeptSecrets,
  type KeptSecrets,
} from '#shared/delivery';
import { droppedByChange, rulesOf, secretNames, type ConnectorType, type SecretName } from '#shared/connectors/index';
import type { DeliveryKind, EndpointSettings, EndpointView, SalesforceEndpointSettings } from '#shared/sync';

/** A write-only secret in the form: left as stored, replaced by what was typed, or cleared. */
export type SecretEdit = { mode: 'keep' } | { mode: 'replace'; value: string } | { mode: 'clear' };

export type { SecretName };

export interface DestinationForm {
  type: 'none' | ConnectorType;
  url: string;
  /** The folder CSV files go to (type folder). */
  path: string;
  authorization: SecretEdit;
  instanceUrl: string;
  /** How Salesforce signs in: an access token as it is, or OAuth refresh credentials. */
  auth: 'token' | 'refresh';
  accessToken: SecretEdit;
  clientId: string;
  clientSecret: SecretEdit;
  refreshToken: SecretEdit;
  tokenUrl: string;
  apiVersion: string;
  externalIdField: string;
}

const keep: SecretEdit = { mode: 'keep' };

const blank: DestinationForm = {
  type: 'none',
  url: '',
  path: '',
  authorization: keep,
  instanceUrl: '',
  auth: 'refresh',
  accessToken: keep,
  clientId: '',
  clientSecret: keep,
  refreshToken: keep,
  tokenUrl: DEFAULT_SALESFORCE_TOKEN_URL,
  apiVersion: '',
  externalIdField: '',
};

type ViewOf<K> = Extract<EndpointView, { type: K }>;

/**
 * Each connector's part of the form: what it starts from (its settings read back) and the
 * change it sends. A new connector adds its entry (and its fields in DeliverySettingsDialog).
 */
interface ConnectorForm<K extends ConnectorType> {
  fromView(view: ViewOf<K>): Partial<DestinationForm>;
  /** `stored` is the view of this connector when one is stored. */
  toSettings(form: DestinationForm, stored: ViewOf<K> | null): Extract<EndpointSettings, { type: K }>;
  /** Where a problem shows when the form has no field of that name (and what it says there). */
  placeProblem?(form: DestinationForm, field: string): { field: string; message: string } | null;
}

const connectorForms: { [K in ConnectorType]: ConnectorForm<K> } = {
  webhook: {
    fromView: (view) => ({ url: view.url }),
    toSettings: (form) =>
      withSecret({ type: 'webhook' as const, url: form.url.trim() }, 'authorization', form.authorization),
  },
  folder: {
    fromView: (view) => ({ path: view.path }),
    toSettings: (form) => ({ type: 'folder', path: form.path.trim() }),
  },
  salesforce: {
    fromView: (view) => ({
      instanceUrl: view.instanceUrl,
      auth: view.hasRefreshToken || view.clientId ? 'refresh' : view.hasAccessToken ? 'token' : 'refresh',
      clientId: view.clientId ?? '',
      tokenUrl: view.tokenUrl,
      apiVersion: view.apiVersion ?? '',
      externalIdField: view.externalIdField ?? '',
    }),
    toSettings(form, stored) {
      let endpoint: SalesforceEndpointSettings = {
        type: 'salesforce',
        instanceUrl: form.instanceUrl.trim(),
        ...(form.apiVersion.trim() ? { apiVersion: form.apiVersion.trim() } : {}),
        ...(form.externalIdField.trim() ? { externalIdField: form.externalIdField.trim() } : {}),
      };
      if (form.auth === 'token') {
        endpoint = withSecret(endpoint, 'accessToken', form.accessToken);
        // Switching to a plain token: refresh credentials stored before go.
        if (stored?.hasRefreshToken) endpoint = { ...endpoint, refreshToken: null };
        if (stored?.hasClientSecret) endpoint = { ...endpoint, clientSecret: null };
        return endpoint;
      }
      const tokenUrl = form.tokenUrl.trim();
      const clientId = form.clientId.trim();
      endpoint = {
        ...endpoint,
        ...(clientId ? { clientId } : {}),
        ...(tokenUrl && tokenUrl !== DEFAULT_SALESFORCE_TOKEN_URL ? { tokenUrl } : {}),
      };
      endpoint = withSecret(withSecret(endpoint, 'clientSecret', form.clientSecret), 'refreshToken', form.refreshToken);
      // A token stored before is dropped: the refresh credentials get fresh ones.
      if (stored?.hasAccessToken) endpoint = { ...endpoint, accessToken: null };
      return endpoint;
    },
    // Signing in with refresh credentials, the form has no access-token field to show it beside.
    placeProblem: (form, field) =>
      form.auth === 'refresh' && field === 'accessToken'
        ? { field: 'clientId', message: 'Enter the client id (consumer key) and refresh token of the connected app' }
        : null,
  },
};

const formOf = (type: ConnectorType) => connectorForms[type] as unknown as ConnectorForm<ConnectorType>;

export function formFromView(view: EndpointView | null): DestinationForm {
  if (!view) return blank;
  return { ...blank, type: view.type, ...formOf(view.type).fromView(view) };
}

/**
 * Which stored secrets the core would keep for this form: the connector's own rule (the same
 * connector at the same origins; a secret is never carried to another host). The screen says
 * "set" only for these.
 */
export function keptByForm(view: EndpointView | null, form: DestinationForm): KeptSecrets {
  const change = form.type === 'none' ? null : endpointFromForm(form, view);
  if (!view || !change) return noKeptSecrets;
  return keptSecrets(view, rulesOf(view.type).storedSecrets(view as never), change);
}

/** Stored secrets about to be dropped because the address moved to another host. */
export function droppedSecrets(view: EndpointView | null, form: DestinationForm): SecretName[] {
  const change = form.type === 'none' ? null : endpointFromForm(form, view);
  if (!view || !change) return [];
  const dropped = droppedByChange(view, change);
  return secretNames.filter((name) => dropped[name]);
}

/** A secret edit as the API takes it: absent keeps, a string replaces, null clears. */
function secretChange(edit: SecretEdit): { value?: string | null } {
  if (edit.mode === 'clear') return { value: null };
  if (edit.mode === 'replace' && edit.value.trim() !== '') return { value: edit.value.trim() };
  return {};
}

function withSecret<T extends object>(target: T, name: SecretName, edit: SecretEdit): T {
  const change = secretChange(edit);
  return 'value' in change ? { ...target, [name]: change.value } : target;
}

/** The endpoint the form describes (null: records of this kind wait on the device). */
export function endpointFromForm(form: DestinationForm, view: EndpointView | null): EndpointSettings | null {
  if (form.type === 'none') return null;
  return formOf(form.type).toSettings(form, view?.type === form.type ? view : null);
}

/** The first problem of each field, as the core would word it. */
export function formProblems(
  kind: DeliveryKind,
  form: DestinationForm,
  view: EndpointView | null,
): Partial<Record<string, string>> {
  const endpoint = endpointFromForm(form, view);
  if (!endpoint) return {};
  const problems: Partial<Record<string, string>> = {};
  for (const problem of endpointProblems(kind, endpoint, keptByForm(view, form))) {
    const placed = formOf(endpoint.type).placeProblem?.(form, problem.field) ?? problem;
    problems[placed.field] ??= placed.message;
  }
  return problems;
}

/** What a stored secret field shows: set (kept), about to be replaced or cleared, or empty. */
export function secretState(edit: SecretEdit, kept: boolean): 'set' | 'replace' | 'clear' | 'empty' {
  if (edit.mode === 'clear') return kept ? 'clear' : 'empty';
  if (edit.mode === 'replace') return 'replace';
  return kept ? 'set' : 'empty';
}

/** The card's line for one kind: where it goes and with what credentials, never their values. */
export function destinationSummary(view: EndpointView | null): { title: string; detail: string } {
  if (!view) return { title: 'Not sent', detail: 'Records wait on this device' };
  return rulesOf(view.type).summary(view as never);
}
