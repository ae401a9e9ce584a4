import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookRecord {
  kind: string;
  idempotencyKey: string;
  payload: Record<string, unknown>;
}

/** A webhook on 127.0.0.1 that answers 200 and keeps every record it is sent. */
export async function recordingWebhook(): Promise<{ url: string; records: WebhookRecord[]; close(): Promise<void> }> {
  const records: WebhookRecord[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      records.push(...(JSON.parse(Buffer.concat(chunks).toString()) as { records: WebhookRecord[] }).records);
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    records,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
