import { describe, expect, it } from 'vitest';
import {
  endpointProblems,
  endpointUrlProblem,
  folderPathProblem,
  isLoopbackHost,
  noKeptSecrets,
  originOf,
  problemLine,
} from '#shared/delivery';

/** The rules every door (screen, API, core, CLI) applies to a delivery destination. */
describe('endpointUrlProblem', () => {
  it.each([
    ['https://crm.example.com/hooks/pitchcase', null],
    ['https://crm.example.com:8443/in?tenant=acme', null],
    ['http://127.0.0.1:4000/in', null],
    ['http://127.8.9.10/in', null],
    ['http://localhost:4000/in', null],
    ['http://[::1]:4000/in', null],
    ['', 'Enter the webhook URL'],
    ['   ', 'Enter the webhook URL'],
    ['crm.example.com/in', 'The webhook URL is not a valid URL (e.g. https://crm.example.com/hooks/pitchcase)'],
    [
      'http://crm.example.com/in',
      'The webhook URL must start with https:// (http:// only for this computer: localhost, 127.0.0.1)',
    ],
    [
      'http://127.0.0.1.nip.io/in',
      'The webhook URL must start with https:// (http:// only for this computer: localhost, 127.0.0.1)',
    ],
    ['ftp://crm.example.com/in', 'The webhook URL must start with https://'],
    ['file:///etc/passwd', 'The webhook URL must start with https://'],
    [
      'https://user:secret@crm.example.com/in',
      'The webhook URL must not contain a user name or password: put credentials in the Authorization header or token fields',
    ],
    ['https://crm.example.com/in#top', 'The webhook URL must not contain a #fragment'],
    [`https://crm.example.com/${'a'.repeat(2048)}`, 'The webhook URL is longer than 2048 characters'],
  ])('%s', (url, problem) => {
    expect(endpointUrlProblem(url, 'webhook URL')).toBe(problem);
  });

  it('knows loopback from look-alikes', () => {
    expect(['localhost', 'app.localhost', '127.0.0.1', '[::1]', '::1'].every(isLoopbackHost)).toBe(true);
    expect(['localhost.example.com', '128.0.0.1', '10.0.0.1', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
  });

  it('compares origins, not paths', () => {
    expect(originOf('https://crm.example.com/a')).toBe(originOf('https://crm.example.com/b?x=1'));
    expect(originOf('https://crm.example.com/a')).not.toBe(originOf('https://crm.example.com:8443/a'));
    expect(originOf('not a url')).toBeNull();
  });
});

describe('folderPathProblem', () => {
  it.each([
    ['/mnt/crm-drop', null],
    ['/home/rep/OneDrive - Acme/Pitchcase', null],
    ['C:\\Users\\rep\\OneDrive - Acme\\Pitchcase', null],
    ['d:/exports', null],
    ['\\\\fileserver\\crm\\in', null],
    ['//fileserver/crm/in', null],
    ['  /mnt/crm-drop  ', null],
    ['', 'Enter the folder'],
    ['   ', 'Enter the folder'],
    [
      'exports',
      'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
    ],
    [
      './exports',
      'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
    ],
    [
      'C:exports',
      'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
    ],
    [
      '\\\\fileserver',
      'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
    ],
    [
      'file:///mnt/crm-drop',
      'The folder must be a full path, e.g. C:\\Users\\you\\OneDrive - Acme\\Pitchcase, \\\\server\\share\\crm or /mnt/crm-drop',
    ],
    ['/mnt/crm\0drop', 'The folder path contains a NUL, line break or other control character'],
    ['/mnt/crm\ndrop', 'The folder path contains a NUL, line break or other control character'],
    ['\\\\?\\C:\\exports', 'Write the folder as C:\\… or \\\\server\\share\\…, without the \\\\?\\ or \\\\.\\ prefix'],
    [
      '\\\\.\\PhysicalDrive0',
      'Write the folder as C:\\… or \\\\server\\share\\…, without the \\\\?\\ or \\\\.\\ prefix',
    ],
    ['/mnt/crm-drop/../etc', 'The folder path must not contain ".." segments'],
    ['C:\\exports\\..\\Windows', 'The folder path must not contain ".." segments'],
    [`/${'a'.repeat(1024)}`, 'The folder path is longer than 1024 characters'],
  ])('%j', (value, problem) => {
    expect(folderPathProblem(value)).toBe(problem);
  });

  it('is the folder rule of every kind, activity included', () => {
    expect(endpointProblems('event', { type: 'folder', path: '/mnt/crm-drop' })).toEqual([]);
    expect(endpointProblems('meeting', { type: 'folder', path: 'crm' }, noKeptSecrets).map((p) => p.field)).toEqual([
      'path',
    ]);
    expect(problemLine(endpointProblems('lead', { type: 'folder', path: '' })[0]!)).toBe('Leads: Enter the folder');
  });
});

describe('endpointProblems', () => {
  const salesforce = { type: 'salesforce' as const, instanceUrl: 'https://acme.my.salesforce.com' };
  const messages = (...args: Parameters<typeof endpointProblems>) =>
    endpointProblems(...args).map((p) => `${p.field}: ${p.message}`);

  it('checks webhook headers and the Authorization value', () => {
    expect(messages('event', { type: 'webhook', url: 'https://h.example.com', authorization: 'Bearer ok' })).toEqual(
      [],
    );
    expect(messages('event', { type: 'webhook', url: 'https://h.example.com', headers: { 'X Bad': 'v' } })).toEqual([
      'headers: "X Bad" is not a header name (letters, digits and -)',
    ]);
    expect(
      messages('event', { type: 'webhook', url: 'https://h.example.com', authorization: 'Bearer a\nInjected: 1' }),
    ).toEqual(['authorization: The Authorization header contains a line break or control character']);
    expect(messages('event', { type: 'webhook', url: 'https://h.example.com', authorization: '  ' })).toEqual([
      'authorization: The Authorization header is empty: leave it out to keep the stored one, or clear it',
    ]);
  });

  it('refuses Salesforce for activity', () => {
    expect(problemLine(endpointProblems('event', { ...salesforce, accessToken: 't' } as never)[0]!)).toBe(
      'Activity: Salesforce does not take activity events: send them to a webhook or a folder',
    );
  });

  it('judges Salesforce credentials on what is given and what is kept', () => {
    // Form only (the API boundary): completeness is left to the core, which knows what is stored.
    expect(messages('lead', salesforce)).toEqual([]);
    expect(messages('lead', salesforce, noKeptSecrets)).toEqual([
      'accessToken: Salesforce needs an access token, or OAuth refresh credentials (client id and refresh token)',
    ]);
    expect(messages('lead', { ...salesforce, accessToken: 't' }, noKeptSecrets)).toEqual([]);
    expect(messages('lead', salesforce, { ...noKeptSecrets, accessToken: true })).toEqual([]);
    expect(messages('lead', { ...salesforce, accessToken: null }, { ...noKeptSecrets, accessToken: true })).toEqual([
      'accessToken: Salesforce needs an access token, or OAuth refresh credentials (client id and refresh token)',
    ]);
    expect(messages('meeting', { ...salesforce, clientId: 'app', refreshToken: 'r' }, noKeptSecrets)).toEqual([]);
    expect(messages('meeting', { ...salesforce, clientId: 'app' }, { ...noKeptSecrets, refreshToken: true })).toEqual(
      [],
    );
    expect(messages('meeting', { ...salesforce, refreshToken: 'r' }, noKeptSecrets)).toEqual([
      'clientId: A refresh token needs the client id (consumer key) of the connected app',
    ]);
    expect(messages('meeting', { ...salesforce, clientId: 'app' }, noKeptSecrets)).toEqual([
      'refreshToken: Enter the refresh token the connected app issued, or remove the client id',
    ]);
    expect(messages('meeting', { ...salesforce, clientId: 'two words', refreshToken: 'r' }, noKeptSecrets)).toEqual([
      'clientId: The client id is the consumer key of the connected app: one word, at most 512 characters',
    ]);
  });

  it('checks the Salesforce addresses and names', () => {
    expect(
      messages('lead', { type: 'salesforce', instanceUrl: 'http://acme.my.salesforce.com', accessToken: 't' }),
    ).toEqual([
      'instanceUrl: The Salesforce instance URL must start with https:// (http:// only for this computer: localhost, 127.0.0.1)',
    ]);
    expect(
      messages('lead', { ...salesforce, instanceUrl: 'https://acme.my.salesforce.com/?x=1', accessToken: 't' }),
    ).toEqual([
      'instanceUrl: The Salesforce instance URL is the address of your org, e.g. https://mycompany.my.salesforce.com, without a query',
    ]);
    expect(messages('lead', { ...salesforce, accessToken: 't', tokenUrl: 'http://login.example.com/token' })).toEqual([
      'tokenUrl: The token URL must start with https:// (http:// only for this computer: localhost, 127.0.0.1)',
    ]);
    expect(messages('lead', { ...salesforce, accessToken: 't', apiVersion: 'v61', externalIdField: '1bad' })).toEqual([
      'apiVersion: The API version looks like 61.0',
      'externalIdField: The external-id field is an API name such as Pitchcase_Id__c',
    ]);
  });
});
