import { z } from 'zod';
import type { CrmImportRecord, CrmKind } from '#shared/crm';
import { crmImportRecord } from '#shared/crm';
import { exchange, redirectProblem, type SalesforceEndpoint } from '../outbox/index.ts';

/**
 * Reads the accounts, contacts and open opportunities the rep can see from Salesforce REST (SOQL
 * through /query, following nextRecordsUrl page by page). The rep's own access token is used, so
 * Salesforce's sharing rules decide what "can see" means. Closed opportunities are left out: a
 * meeting is logged against a deal still being worked.
 */
export const salesforceQueries: Record<CrmKind, string> = {
  account: 'SELECT Id, Name FROM Account ORDER BY Name',
  contact: 'SELECT Id, Name, Email, Title, AccountId, Account.Name FROM Contact ORDER BY LastModifiedDate DESC',
  opportunity:
    'SELECT Id, Name, StageName, AccountId, Account.Name FROM Opportunity WHERE IsClosed = false ORDER BY LastModifiedDate DESC',
};

const queryPage = z.object({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(
    z
      .object({
        Id: z.string(),
        Name: z.string().nullable().optional(),
        Email: z.string().nullable().optional(),
        Title: z.string().nullable().optional(),
        StageName: z.string().nullable().optional(),
        AccountId: z.string().nullable().optional(),
        Account: z.object({ Name: z.string().nullable().optional() }).loose().nullable().optional(),
      })
      .loose(),
  ),
});

export interface SalesforceReadOptions {
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  /** At most this many records of each kind (the newest first): the cache stays a cache. */
  limitPerKind?: number;
}

export async function readSalesforceRecords(
  endpoint: SalesforceEndpoint,
  options: SalesforceReadOptions = {},
): Promise<{ records: CrmImportRecord[]; skipped: number }> {
  const doFetch = options.fetchImpl ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limit = options.limitPerKind ?? 20_000;
  const base = endpoint.instanceUrl.replace(/\/$/, '');
  const version = endpoint.apiVersion ?? '61.0';

  async function page(pathAndQuery: string): Promise<z.infer<typeof queryPage>> {
    const url = `${base}${pathAndQuery}`;
    // Never redirected: the token goes to the instance configured, nowhere else.
    const answer = await exchange(
      doFetch,
      url,
      { headers: { Accept: 'application/json', Authorization: `Bearer ${endpoint.accessToken}` } },
      timeoutMs,
      'Salesforce',
    );
    const redirect = redirectProblem(url, answer, 'Salesforce');
    if (redirect) throw new Error(redirect);
    if (answer.status !== 200)
      throw new Error(`Salesforce answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(answer.body) as unknown;
    } catch {
      body = null;
    }
    const parsed = queryPage.safeParse(body);
    if (!parsed.success) throw new Error('Salesforce answered a query with something that is not a query result');
    return parsed.data;
  }

  const records: CrmImportRecord[] = [];
  let skipped = 0;
  for (const kind of ['account', 'contact', 'opportunity'] as const) {
    let next: string | undefined =
      `/services/data/v${version}/query?q=${encodeURIComponent(`${salesforceQueries[kind]} LIMIT ${limit}`)}`;
    let count = 0;
    while (next && count < limit) {
      const result = await page(next);
      for (const r of result.records) {
        const checked = crmImportRecord.safeParse({
          kind,
          id: r.Id,
          name: r.Name ?? '',
          email: r.Email ?? '',
          title: r.Title ?? '',
          stage: r.StageName ?? '',
          accountId: kind === 'account' ? null : (r.AccountId ?? null),
          accountName: r.Account?.Name ?? '',
        });
        if (checked.success) records.push(checked.data);
        else skipped++;
        count++;
      }
      // The next page is a path on the same instance; anything else is not followed.
      next = !result.done && result.nextRecordsUrl?.startsWith('/services/data/') ? result.nextRecordsUrl : undefined;
    }
  }
  return { records, skipped };
}
