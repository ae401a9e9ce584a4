import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookRecord {
  kind: string;
  idempotencyKey: string;
  payload: Record<string, unknown>;
}

/** What the webhook answers a request with; records are kept only on a 2xx. */
export interface WebhookAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookRequest {
  headers: IncomingHttpHeaders;
  records: WebhookRecord[];
}

/**
 * A webhook on 127.0.0.1 that answers 200 and keeps every record it is sent; `answer` may
 * answer otherwise (a refusal, a redirect). Every request is kept with its headers.
 */
export async function recordingWebhook(
  options: { answer?(request: WebhookRequest): WebhookAnswer | null } = {},
): Promise<{ url: string; records: WebhookRecord[]; requests: WebhookRequest[]; close(): Promise<void> }> {
  const records: WebhookRecord[] = [];
  const requests: WebhookRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const request: WebhookRequest = {
        headers: req.headers,
        records: text ? (JSON.parse(text) as { records: WebhookRecord[] }).records : [],
      };
      requests.push(request);
      const answer = options.answer?.(request) ?? { status: 200, body: '{}' };
      if (answer.status >= 200 && answer.status <= 299) records.push(...request.records);
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    records,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
