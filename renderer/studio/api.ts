/**
 * Studio's API as the UI calls it: JSON in and out, the session cookie sent by the browser, the
 * CSRF token (from the session) on every write, and refusals re-thrown as StudioApiError.
 */
import type {
  AttractLoop,
  ChannelView as Channel,
  Collection,
  GlossaryTerm,
  ItemEvent,
  ItemFields,
  PageChange,
  PreviewDevice,
  PreviewView,
  PublishJobView as PublishJob,
  ReleaseDiff,
  ReleaseView as Release,
  SessionUser,
  SignInOptions,
  SsoSettingsView,
  StudioBoot,
  StudioItem as Item,
  StudioRole as Role,
  UserView,
} from '#shared/studio';
import type { ManifestPracticePrompt as PracticePrompt } from '#shared/manifest';

export class StudioApiError extends Error {
  override readonly name = 'StudioApiError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type {
  AttractLoop,
  Collection,
  GlossaryTerm,
  ItemEvent,
  ItemFields,
  PageChange,
  ReleaseDiff,
  SessionUser,
  UserView,
} from '#shared/studio';
export type {
  StudioRole as Role,
  StudioItem as Item,
  ReleaseView as Release,
  ChannelView as Channel,
  PublishJobView as PublishJob,
} from '#shared/studio';
export type { PracticePrompt };

let csrfToken: string | null = null;

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response
    .json()
    .catch(() => ({ ok: false, error: { code: 'internal', message: `Studio answered ${response.status}` } }))) as {
    ok: boolean;
    value: T;
    error?: { code: string; message: string };
  };
  if (!json.ok)
    throw new StudioApiError(
      json.error?.code ?? 'internal',
      response.status,
      json.error?.message ?? 'Something went wrong.',
    );
  return json.value;
}

function remember<T extends { csrfToken: string }>(session: T): T {
  csrfToken = session.csrfToken;
  return session;
}

let boot: StudioBoot | null | undefined;

/** The session, channels and first library rows Studio put in the page, if it did (read once). */
export function bootData(): StudioBoot | null {
  if (boot === undefined) {
    const block = typeof document === 'undefined' ? null : document.getElementById('studio-boot');
    try {
      boot = block?.textContent ? (JSON.parse(block.textContent) as StudioBoot) : null;
    } catch {
      boot = null;
    }
    if (boot) remember(boot.session);
  }
  return boot;
}

/** The page's first library block when it is the one asked for; given out once, later asks go to the server. */
export function bootLibraryPage(
  channel: string,
  args: { q: string; offset: number; limit: number; kind?: string },
): { total: number; items: Item[] } | null {
  const library = bootData()?.library;
  if (!library || library.channel !== channel || args.q !== '' || args.kind) return null;
  if (args.offset !== library.offset || args.limit !== library.limit) return null;
  boot = { ...boot!, library: null };
  return library.page;
}

const q = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

export const studioApi = {
  session: async () => remember(await call<{ user: SessionUser; csrfToken: string }>('GET', '/api/session')),
  signIn: async (email: string, password: string) =>
    remember(await call<{ user: SessionUser; csrfToken: string }>('POST', '/api/session', { email, password })),
  signOut: () => {
    // Whoever signs in next gets nothing of this person's page.
    boot = null;
    return call<unknown>('DELETE', '/api/session', {});
  },
  setupStatus: () => call<{ needed: boolean }>('GET', '/api/setup'),
  createAdmin: async (args: { token: string; email: string; name: string; password: string }) =>
    remember(await call<{ user: SessionUser; csrfToken: string }>('POST', '/api/setup', args)),
  channels: () => call<Channel[]>('GET', '/api/channels'),
  createChannel: (args: { id: string; title: string }) => call<Channel>('POST', '/api/channels', args),
  items: (channel: string, args: { q: string; offset: number; limit: number; kind?: Item['kind'] }) =>
    call<{ total: number; items: Item[] }>('GET', `/api/channels/${channel}/items?${q(args)}`),
  updateItem: (channel: string, id: string, revision: number, fields: ItemFields) =>
    call<Item>('PATCH', `/api/channels/${channel}/items/${encodeURIComponent(id)}`, { revision, fields }),
  updateItems: (
    channel: string,
    args: { ids: string[]; fields?: ItemFields; addTags?: string[]; removeTags?: string[]; addCollections?: string[] },
  ) => call<{ updated: number }>('PATCH', `/api/channels/${channel}/items`, args),
  collections: (channel: string) => call<Collection[]>('GET', `/api/channels/${channel}/collections`),
  saveCollections: (channel: string, collections: Collection[]) =>
    call<Collection[]>('PUT', `/api/channels/${channel}/collections`, { collections }),
  glossary: (channel: string) => call<GlossaryTerm[]>('GET', `/api/channels/${channel}/glossary`),
  saveGlossary: (channel: string, terms: GlossaryTerm[]) =>
    call<GlossaryTerm[]>('PUT', `/api/channels/${channel}/glossary`, { terms }),
  attract: (channel: string) => call<{ attract: AttractLoop | null }>('GET', `/api/channels/${channel}/attract`),
  saveAttract: (channel: string, attract: AttractLoop | null) =>
    call<{ attract: AttractLoop | null }>('PUT', `/api/channels/${channel}/attract`, { attract }),
  practicePrompts: (channel: string) => call<PracticePrompt[]>('GET', `/api/channels/${channel}/practice-prompts`),
  savePracticePrompts: (channel: string, prompts: PracticePrompt[]) =>
    call<PracticePrompt[]>('PUT', `/api/channels/${channel}/practice-prompts`, { prompts }),
  expiring: (channel: string, days: number) => call<Item[]>('GET', `/api/channels/${channel}/expiring?days=${days}`),
  history: (channel: string, id: string) =>
    call<ItemEvent[]>('GET', `/api/channels/${channel}/items/${encodeURIComponent(id)}/history`),
  removeItem: (channel: string, id: string) =>
    call<unknown>('DELETE', `/api/channels/${channel}/items/${encodeURIComponent(id)}`, {}),
  draftPages: (channel: string, id: string) =>
    call<{ published: boolean; pages: PageChange[] }>(
      'GET',
      `/api/channels/${channel}/draft/items/${encodeURIComponent(id)}/pages`,
    ),
  draft: (channel: string) => call<ReleaseDiff>('GET', `/api/channels/${channel}/draft`),
  releases: (channel: string) => call<Release[]>('GET', `/api/channels/${channel}/releases`),
  submit: (channel: string, note: string) =>
    call<{ release: Release }>('POST', `/api/channels/${channel}/releases`, { note }),
  approve: (id: string) => call<Release>('POST', `/api/releases/${id}/approve`, {}),
  reject: (id: string, reason: string) => call<Release>('POST', `/api/releases/${id}/reject`, { reason }),
  /** Starts the publish in the background; follow the job it answers with. */
  publish: (id: string) => call<PublishJob>('POST', `/api/releases/${id}/publish`, {}),
  rollback: (id: string) => call<PublishJob>('POST', `/api/releases/${id}/rollback`, {}),
  publishJobs: (channel: string) => call<PublishJob[]>('GET', `/api/channels/${channel}/publish-jobs`),
  /** The job once it moved past `after` (or finished), waiting on the server up to `waitMs`. */
  publishJob: (id: string, after: number, waitMs: number) =>
    call<PublishJob>('GET', `/api/publish-jobs/${id}?${q({ after, waitMs })}`),
  users: () => call<UserView[]>('GET', '/api/users'),
  addUser: (args: { email: string; name: string; role: Role; password: string }) =>
    call<UserView>('POST', '/api/users', args),
  updateUser: (id: string, args: { role?: Role; disabled?: boolean }) =>
    call<UserView>('PATCH', `/api/users/${id}`, args),
  signInOptions: () => call<SignInOptions>('GET', '/api/sso'),
  ssoSettings: () => call<SsoSettingsView>('GET', '/api/sso/settings'),
  saveSsoSettings: (args: {
    enabled: boolean;
    issuer: string;
    clientId: string;
    clientSecret?: string;
    label: string;
    defaultRole: Role | null;
  }) => call<SsoSettingsView>('PUT', '/api/sso/settings', args),
  startPreview: (channel: string, device: PreviewDevice) =>
    call<PreviewView>('POST', `/api/channels/${channel}/previews`, { device }),
  stopPreview: (id: string) => call<unknown>('DELETE', `/api/previews/${id}`, {}),
  settings: () => call<{ twoPersonRule: boolean }>('GET', '/api/settings'),
  updateSettings: (args: { twoPersonRule: boolean }) =>
    call<{ twoPersonRule: boolean }>('PATCH', '/api/settings', args),

  /**
   * A large file in 8 MB parts: after a failed part, asks the server how much it holds and goes
   * on from there (five tries in a row, waiting longer each time).
   */
  async uploadResumable(channel: string, file: File, onProgress: (fraction: number) => void): Promise<Item> {
    const partBytes = 8 * 1024 * 1024;
    const session = await call<{ id: string; offset: number }>('POST', `/api/channels/${channel}/upload-sessions`, {
      name: file.name,
      size: file.size,
    });
    let offset = 0;
    let failures = 0;
    for (;;) {
      try {
        const part = file.slice(offset, Math.min(file.size, offset + partBytes));
        const response = await fetch(`/api/upload-sessions/${session.id}?offset=${offset}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/octet-stream', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) },
          body: part,
        });
        const json = (await response.json()) as {
          ok: boolean;
          value: { offset: number; item: Item | null };
          error?: { code: string; message: string };
        };
        if (!json.ok) {
          if (json.error?.code !== 'conflict')
            throw new StudioApiError(
              json.error?.code ?? 'internal',
              response.status,
              json.error?.message ?? 'Upload refused.',
            );
          offset = (await call<{ offset: number }>('GET', `/api/upload-sessions/${session.id}`)).offset;
          continue;
        }
        failures = 0;
        offset = json.value.offset;
        onProgress(offset / file.size);
        if (json.value.item) return json.value.item;
      } catch (error) {
        if (error instanceof StudioApiError || ++failures >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** failures));
        offset = (await call<{ offset: number }>('GET', `/api/upload-sessions/${session.id}`)).offset;
      }
    }
  },

  /** Uploads one file with progress (fetch cannot report upload progress; XMLHttpRequest can). */
  upload(channel: string, file: File, onProgress: (fraction: number) => void, replace?: string): Promise<Item> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(
        'POST',
        `/api/channels/${channel}/uploads?${q({ name: file.name, ...(replace ? { item: replace } : {}) })}`,
      );
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onerror = () => reject(new StudioApiError('network', 0, 'The upload was interrupted.'));
      xhr.onload = () => {
        let json: { ok: boolean; value: Item; error?: { code: string; message: string } };
        try {
          json = JSON.parse(xhr.responseText) as typeof json;
        } catch {
          reject(new StudioApiError('internal', xhr.status, `Studio answered ${xhr.status}`));
          return;
        }
        if (json.ok) resolve(json.value);
        else
          reject(
            new StudioApiError(json.error?.code ?? 'internal', xhr.status, json.error?.message ?? 'Upload refused.'),
          );
      };
      xhr.send(file);
    });
  },
};

export type StudioApi = typeof studioApi;
