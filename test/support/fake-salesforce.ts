import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Salesforce REST on 127.0.0.1: SOQL queries of Account, Contact and Opportunity
 * answered page by page (nextRecordsUrl), and upserts by external id (PATCH, 201 then 204),
 * remembered by URL. A test sets the org's records, a page size, and a status to fail with.
 */
export interface FakeOrg {
  Account: Record<string, unknown>[];
  Contact: Record<string, unknown>[];
  Opportunity: Record<string, unknown>[];
}

export class FakeSalesforce {
  org: FakeOrg = { Account: [], Contact: [], Opportunity: [] };
  pageSize = 2;
  /** Answer every request with this status while set. */
  failWith: number | null = null;
  readonly requests: { method: string; url: string; auth: string | undefined }[] = [];
  /** Upserted records by request path (`/services/data/v61.0/sobjects/Task/Pitchcase_Id__c/...`). */
  readonly upserts = new Map<string, Record<string, unknown>>();
  private upsertWaiters: {
    match(path: string, body: Record<string, unknown>): boolean;
    resolve(body: Record<string, unknown>): void;
  }[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '';
        this.requests.push({ method: req.method ?? '', url, auth: req.headers.authorization });
        if (this.failWith) {
          res
            .writeHead(this.failWith, { 'Content-Type': 'application/json' })
            .end('[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]');
          return;
        }
        if (req.method === 'GET') {
          this.answerQuery(url, (status, body) =>
            res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body)),
          );
          return;
        }
        if (req.method === 'PATCH') {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
          const existed = this.upserts.has(url);
          this.upserts.set(url, body);
          this.upsertWaiters = this.upsertWaiters.filter((w) => {
            if (!w.match(url, body)) return true;
            w.resolve(body);
            return false;
          });
          res
            .writeHead(existed ? 204 : 201, { 'Content-Type': 'application/json' })
            .end(existed ? undefined : '{"id":"00T000000000001","success":true}');
          return;
        }
        res.writeHead(405).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The first upsert whose path and body match, already received or still to come. */
  waitForUpsert(match: (path: string, body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (const [path, body] of this.upserts) if (match(path, body)) return Promise.resolve(body);
    return new Promise((resolve) => this.upsertWaiters.push({ match, resolve }));
  }

  /** SOQL text of the queries received, in order. */
  queries(): string[] {
    return this.requests
      .filter((r) => r.method === 'GET' && r.url.includes('/query?q='))
      .map((r) => new URL(r.url, this.url).searchParams.get('q') ?? '');
  }

  private answerQuery(url: string, send: (status: number, body: unknown) => void): void {
    const parsed = new URL(url, this.url);
    let object: keyof FakeOrg;
    let offset = 0;
    const cursor = /^\/services\/data\/v[\d.]+\/query\/(Account|Contact|Opportunity)-(\d+)$/.exec(parsed.pathname);
    if (cursor) {
      object = cursor[1] as keyof FakeOrg;
      offset = Number(cursor[2]);
    } else if (/^\/services\/data\/v[\d.]+\/query$/.test(parsed.pathname)) {
      const from = /\bFROM\s+(Account|Contact|Opportunity)\b/.exec(parsed.searchParams.get('q') ?? '');
      if (!from) return send(400, [{ errorCode: 'MALFORMED_QUERY' }]);
      object = from[1] as keyof FakeOrg;
    } else {
      return send(404, [{ errorCode: 'NOT_FOUND' }]);
    }
    const all = this.org[object];
    const records = all.slice(offset, offset + this.pageSize).map((r) => ({
      attributes: { type: object, url: `/services/data/v61.0/sobjects/${object}/${String(r.Id)}` },
      ...r,
    }));
    const done = offset + this.pageSize >= all.length;
    send(200, {
      totalSize: all.length,
      done,
      records,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v61.0/query/${object}-${offset + this.pageSize}` }),
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
