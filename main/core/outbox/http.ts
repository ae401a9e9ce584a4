import { originOf } from '#shared/delivery';

/**
 * One request of a connector: bounded in time, and never following a redirect. fetch would
 * follow a 30x with the same body and, to the same origin, the same credentials; a redirect is
 * instead reported (answer.location) and the caller refuses it, so records and secrets only
 * ever go to the address that was configured for them.
 */
export interface Answer {
  status: number;
  body: string;
  /** Where a 30x pointed, made absolute; null for any other answer. */
  location: string | null;
}

export async function exchange(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  who: string,
): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await doFetch(url, { ...init, redirect: 'manual', signal: controller.signal });
    const redirected = response.status >= 300 && response.status <= 399;
    const target = redirected ? response.headers.get('location') : null;
    let location: string | null = null;
    if (target !== null) {
      try {
        location = new URL(target, url).href;
      } catch {
        location = target;
      }
    }
    return {
      status: response.status,
      body: redirected ? (await response.body?.cancel(), '') : await response.text(),
      location,
    };
  } catch (error) {
    if (controller.signal.aborted)
      throw new Error(`${who} did not answer within ${Math.round(timeoutMs / 1000)} s`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Why a 30x answer is not followed, in words that say what to change; null for other answers. */
export function redirectProblem(url: string, answer: Answer, who: string): string | null {
  if (answer.status < 300 || answer.status > 399) return null;
  const to = answer.location ? originOf(answer.location) : null;
  if (to !== null && to === originOf(url)) {
    return `${who} answered HTTP ${answer.status}, a redirect to ${new URL(answer.location!).pathname}: Pitchcase does not follow redirects; set that address as the URL`;
  }
  return `${who} answered HTTP ${answer.status}, a redirect to ${to ?? 'another address'}: records and credentials are never sent on to another host; set the final URL if it is right`;
}

/**
 * What an endpoint said when it refused: the `message` or `error` of a JSON body (Salesforce
 * answers a list of them), else the text itself, on one line and short enough for a panel.
 */
export function endpointMessage(body: string): string {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text) as unknown;
    const messages = (Array.isArray(parsed) ? parsed : [parsed])
      .map((entry) => {
        if (typeof entry !== 'object' || entry === null) return '';
        const { message, error, errorCode } = entry as { message?: unknown; error?: unknown; errorCode?: unknown };
        const nested =
          typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
        const said = [message, error, nested].find((m): m is string => typeof m === 'string') ?? '';
        return said && typeof errorCode === 'string' ? `${said} (${errorCode})` : said;
      })
      .filter(Boolean);
    if (messages.length > 0) return messages.join('; ').slice(0, 300);
  } catch {
    // Not JSON: the text as it came.
  }
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

/** Why a request never got an answer, in words: "connection refused", "no answer within 10 s". */
export function networkReason(error: unknown): string {
  const cause = (error as Error).cause as { code?: unknown; message?: unknown } | undefined;
  if (/did not answer within/.test((error as Error).message)) return (error as Error).message;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  return typeof cause?.message === 'string' ? cause.message : (error as Error).message;
}
