import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a Salesforce org with sessions that expire, on 127.0.0.1: an OAuth token
 * endpoint (grant_type=refresh_token) issuing numbered access tokens, upserts by external id
 * that answer 401 INVALID_SESSION_ID to any token but the live one, and describes of Lead and
 * Task. A test expires the session, refuses the refresh token, or drops the external-id field.
 */
export class FakeSalesforceOrg {
  readonly clientId = 'pitchcase-connected-app';
  readonly clientSecret = 'client-secret-5f1e';
  readonly refreshToken = 'refresh-token-9b2c7d';
  /** The tokens this org accepts now (a configured token, or issued ones until expired). */
  readonly liveTokens = new Set<string>();
  issued = 0;
  refuseRefresh = false;
  externalIdField = 'Pitchcase_Id__c';
  readonly tokenRequests: URLSearchParams[] = [];
  readonly requests: {
    method: string;
    path: string;
    auth: string | undefined;
    headers: Record<string, string | string[] | undefined>;
  }[] = [];
  readonly upserts = new Map<string, Record<string, unknown>>();
  url = '';
  private server: Server | null = null;

  get tokenUrl(): string {
    return `${this.url}/services/oauth2/token`;
  }

  /** Every session ends (Salesforce's timeout): the next call with any token gets a 401. */
  expireSessions(): void {
    this.liveTokens.clear();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: req.method ?? '', path, auth: req.headers.authorization, headers: req.headers });
        const json = (status: number, value: unknown) =>
          res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
        if (req.method === 'POST' && path === '/services/oauth2/token') {
          const form = new URLSearchParams(body);
          this.tokenRequests.push(form);
          const good =
            !this.refuseRefresh &&
            form.get('grant_type') === 'refresh_token' &&
            form.get('client_id') === this.clientId &&
            form.get('client_secret') === this.clientSecret &&
            form.get('refresh_token') === this.refreshToken;
          if (!good) return json(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
          const token = `00Dfake!session-${++this.issued}`;
          this.liveTokens.add(token);
          return json(200, {
            access_token: token,
            instance_url: this.url,
            token_type: 'Bearer',
            issued_at: String(Date.now()),
          });
        }
        const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        if (!this.liveTokens.has(bearer))
          return json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
        // SOQL (the CRM cache): one account the rep can see, whatever the query asks for.
        if (req.method === 'GET' && /^\/services\/data\/v[\d.]+\/query\?q=/.test(path)) {
          const from = /FROM\s+(\w+)/i.exec(new URL(path, this.url).searchParams.get('q') ?? '')?.[1];
          return json(200, {
            done: true,
            totalSize: from === 'Account' ? 1 : 0,
            records: from === 'Account' ? [{ Id: '0015g00000Mars01AAA', Name: 'Marston Brewery' }] : [],
          });
        }
        const describe = /^\/services\/data\/v[\d.]+\/sobjects\/(Lead|Task)\/describe$/.exec(path);
        if (req.method === 'GET' && describe) {
          return json(200, {
            name: describe[1],
            fields: [
              { name: 'Id', externalId: false },
              { name: this.externalIdField, externalId: true },
            ],
          });
        }
        if (
          req.method === 'PATCH' &&
          /^\/services\/data\/v[\d.]+\/sobjects\/(Lead|Task)\/[A-Za-z0-9_]+\/.+$/.test(path)
        ) {
          const existed = this.upserts.has(path);
          this.upserts.set(path, JSON.parse(body) as Record<string, unknown>);
          if (existed) return res.writeHead(204).end();
          return json(201, { id: '00Q000000000001', success: true });
        }
        json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
