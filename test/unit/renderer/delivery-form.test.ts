import { describe, expect, it } from 'vitest';
import type { FolderEndpointView, SalesforceEndpointView, WebhookEndpointView } from '#shared/sync';
import {
  destinationSummary,
  droppedSecrets,
  endpointFromForm,
  formFromView,
  formProblems,
  keptByForm,
  secretState,
} from '../../../renderer/sync/delivery-form';

/** The "Where records go" form: write-only secrets, what it sends, what it shows. */
const hook: WebhookEndpointView = {
  type: 'webhook',
  url: 'https://crm.example.com/in',
  headerNames: ['Authorization'],
  hasAuthorization: true,
};
const org: SalesforceEndpointView = {
  type: 'salesforce',
  instanceUrl: 'https://acme.my.salesforce.com',
  apiVersion: null,
  externalIdField: null,
  hasAccessToken: false,
  clientId: 'app-1',
  hasClientSecret: true,
  hasRefreshToken: true,
  tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
};

const share: FolderEndpointView = { type: 'folder', path: '\\\\fileserver\\crm\\pitchcase' };

describe('delivery form', () => {
  it('starts from the settings read back, with every stored secret kept', () => {
    expect(formFromView(null)).toMatchObject({
      type: 'none',
      auth: 'refresh',
      tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    });
    const form = formFromView(hook);
    expect(form).toMatchObject({ type: 'webhook', url: hook.url, authorization: { mode: 'keep' } });
    // Nothing changed: the change leaves the secret out, so the core keeps it.
    expect(endpointFromForm(form, hook)).toEqual({ type: 'webhook', url: hook.url });
    expect(secretState(form.authorization, keptByForm(hook, form).authorization)).toBe('set');
  });

  it('sends a replaced secret, null for a cleared one, and nothing for an empty replacement', () => {
    const form = formFromView(hook);
    expect(endpointFromForm({ ...form, authorization: { mode: 'replace', value: ' Bearer new ' } }, hook)).toEqual({
      type: 'webhook',
      url: hook.url,
      authorization: 'Bearer new',
    });
    expect(endpointFromForm({ ...form, authorization: { mode: 'clear' } }, hook)).toEqual({
      type: 'webhook',
      url: hook.url,
      authorization: null,
    });
    expect(endpointFromForm({ ...form, authorization: { mode: 'replace', value: '' } }, hook)).toEqual({
      type: 'webhook',
      url: hook.url,
    });
    expect(secretState({ mode: 'clear' }, true)).toBe('clear');
    expect(secretState({ mode: 'keep' }, false)).toBe('empty');
    expect(endpointFromForm({ ...form, type: 'none' }, hook)).toBeNull();
  });

  it('warns that a secret stays behind when the address moves to another host', () => {
    const form = formFromView(hook);
    expect(droppedSecrets(hook, { ...form, url: 'https://crm.example.com/v2' })).toEqual([]);
    expect(droppedSecrets(hook, { ...form, url: 'https://other.example.net/in' })).toEqual(['authorization']);
    const sf = formFromView(org);
    expect(droppedSecrets(org, { ...sf, tokenUrl: 'https://test.salesforce.com/services/oauth2/token' })).toEqual([
      'clientSecret',
      'refreshToken',
    ]);
    expect(formProblems('lead', { ...sf, tokenUrl: 'https://test.salesforce.com/services/oauth2/token' }, org)).toEqual(
      {
        refreshToken: 'Enter the refresh token the connected app issued, or remove the client id',
      },
    );
  });

  it('describes Salesforce with refresh credentials, or a plain token, and drops the other kind on a switch', () => {
    const sf = formFromView(org);
    expect(sf).toMatchObject({ type: 'salesforce', auth: 'refresh', clientId: 'app-1' });
    expect(endpointFromForm(sf, org)).toEqual({ type: 'salesforce', instanceUrl: org.instanceUrl, clientId: 'app-1' });
    expect(
      endpointFromForm(
        {
          ...sf,
          tokenUrl: 'https://test.salesforce.com/services/oauth2/token',
          refreshToken: { mode: 'replace', value: 'r2' },
        },
        org,
      ),
    ).toEqual({
      type: 'salesforce',
      instanceUrl: org.instanceUrl,
      clientId: 'app-1',
      tokenUrl: 'https://test.salesforce.com/services/oauth2/token',
      refreshToken: 'r2',
    });
    const token = { ...sf, auth: 'token' as const, accessToken: { mode: 'replace' as const, value: '00Dtoken' } };
    expect(endpointFromForm(token, org)).toEqual({
      type: 'salesforce',
      instanceUrl: org.instanceUrl,
      accessToken: '00Dtoken',
      refreshToken: null,
      clientSecret: null,
    });
    expect(formProblems('lead', { ...sf, auth: 'token' }, org)).toEqual({
      accessToken: 'Salesforce needs an access token, or OAuth refresh credentials (client id and refresh token)',
    });
  });

  it('asks for refresh credentials beside the client id when none are given', () => {
    const blank = { ...formFromView(null), type: 'salesforce' as const, instanceUrl: 'https://acme.my.salesforce.com' };
    expect(endpointFromForm(blank, null)).toEqual({
      type: 'salesforce',
      instanceUrl: 'https://acme.my.salesforce.com',
    });
    expect(formProblems('lead', blank, null)).toEqual({
      clientId: 'Enter the client id (consumer key) and refresh token of the connected app',
    });
    expect(formProblems('lead', { ...blank, clientId: 'app-1' }, null)).toEqual({
      refreshToken: 'Enter the refresh token the connected app issued, or remove the client id',
    });
  });

  it('puts each problem beside its field', () => {
    const form = { ...formFromView(null), type: 'webhook' as const, url: 'http://crm.example.com/in' };
    expect(formProblems('event', form, null)).toEqual({
      url: 'The webhook URL must start with https:// (http:// only for this computer: localhost, 127.0.0.1)',
    });
    expect(formProblems('event', { ...form, url: 'http://127.0.0.1:4000/in' }, null)).toEqual({});
  });

  it('sends a folder as its trimmed path, with no secret to keep or drop', () => {
    const form = formFromView(share);
    expect(form).toMatchObject({ type: 'folder', path: share.path });
    expect(endpointFromForm(form, share)).toEqual({ type: 'folder', path: share.path });
    expect(endpointFromForm({ ...formFromView(hook), type: 'folder', path: '  /mnt/crm-drop ' }, hook)).toEqual({
      type: 'folder',
      path: '/mnt/crm-drop',
    });
    expect(keptByForm(share, form)).toEqual({
      accessToken: false,
      clientSecret: false,
      refreshToken: false,
      authorization: false,
    });
    expect(droppedSecrets(hook, { ...formFromView(hook), type: 'folder', path: '/mnt/crm-drop' })).toEqual([]);
    expect(formProblems('event', { ...form, path: 'crm\\drop' }, share)).toEqual({
      path: 'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
    });
    expect(formProblems('event', form, share)).toEqual({});
  });

  it('summarises each kind for the card without a secret', () => {
    expect(destinationSummary(share)).toEqual({
      title: 'Folder · pitchcase',
      detail: 'CSV files in \\\\fileserver\\crm\\pitchcase',
    });
    expect(destinationSummary({ type: 'folder', path: '/mnt/crm-drop/' })).toEqual({
      title: 'Folder · crm-drop',
      detail: 'CSV files in /mnt/crm-drop/',
    });
    expect(destinationSummary(null)).toEqual({ title: 'Not sent', detail: 'Records wait on this device' });
    expect(destinationSummary(hook)).toEqual({
      title: 'Webhook · crm.example.com',
      detail: 'Authorization header set',
    });
    expect(destinationSummary(org)).toEqual({
      title: 'Salesforce · acme.my.salesforce.com',
      detail: 'Signs in with refresh credentials',
    });
    expect(destinationSummary({ ...org, hasRefreshToken: false, clientId: null, hasAccessToken: true })).toEqual({
      title: 'Salesforce · acme.my.salesforce.com',
      detail: 'Access token set (expires after a few hours)',
    });
  });
});
