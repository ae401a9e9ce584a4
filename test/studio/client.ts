import type { PublishJobView } from '#shared/studio';

/**
 * A browser-like client for Studio's API: keeps the session cookie, sends the CSRF token on
 * writes (unless a test leaves it out on purpose), and returns status plus the JSON envelope.
 */
export interface Answer<T = unknown> {
  status: number;
  ok: boolean;
  value: T;
  error?: { code: string; message: string };
  headers: Headers;
}

export class StudioClient {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(readonly base: string) {}

  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; raw?: Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && options.csrf !== false && this.csrf) headers['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (options.raw) {
      headers['content-type'] = 'application/octet-stream';
      payload = options.raw as unknown as BodyInit;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const json = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
    const value = json.value as T;
    if (json.ok && value && typeof value === 'object' && 'csrfToken' in value)
      this.csrf = (value as { csrfToken: string }).csrfToken;
    return {
      status: response.status,
      ok: json.ok,
      value,
      ...(json.error ? { error: json.error } : {}),
      headers: response.headers,
    };
  }

  async signIn(email: string, password: string): Promise<Answer> {
    return this.call('POST', '/api/session', { email, password });
  }

  upload<T = unknown>(channel: string, name: string, data: Uint8Array, extra = ''): Promise<Answer<T>> {
    return this.call<T>(
      'POST',
      `/api/channels/${channel}/uploads?name=${encodeURIComponent(name)}${extra}`,
      undefined,
      { raw: data },
    );
  }

  /**
   * A publish or roll back (`path` is /api/releases/<id>/publish or …/rollback): the request's
   * answer, and the background job followed (long polls) until it ended.
   */
  async publish(path: string): Promise<{ accepted: Answer<PublishJobView>; job: PublishJobView | null }> {
    const accepted = await this.call<PublishJobView>('POST', path, {});
    if (accepted.status !== 202) return { accepted, job: null };
    return { accepted, job: await this.followJob(accepted.value) };
  }

  /** Waits (server-side long polls, no sleeping here) until the job is no longer running. */
  async followJob(job: PublishJobView): Promise<PublishJobView> {
    let seen = job;
    while (seen.state === 'running') {
      const next = await this.call<PublishJobView>(
        'GET',
        `/api/publish-jobs/${seen.id}?after=${seen.revision}&waitMs=20000`,
      );
      if (next.status !== 200) throw new Error(`publish job ${seen.id}: ${next.error?.message ?? next.status}`);
      seen = next.value;
    }
    return seen;
  }
}
