/** The CRM cache on the device: typeahead that works offline, and its refresh from Salesforce. */
import { z } from 'zod';
import { crmId, crmKinds, type CrmCacheStatus, type CrmSearchRequest, type CrmSearchResult } from '../crm.ts';
import { noArg, type ArgSchemas, type NoArg } from './schema.ts';
import { storableText } from './text.ts';

export interface CrmApi {
  /** Typeahead over the CRM cache on the device: works offline. */
  searchCrm(arg: CrmSearchRequest): Promise<CrmSearchResult>;
  /** What the CRM cache holds and when it was filled. */
  getCrmCache(arg: NoArg): Promise<CrmCacheStatus>;
  /** Refreshes the CRM cache from Salesforce now (it also refreshes by itself when due). */
  refreshCrmCache(arg: NoArg): Promise<CrmCacheStatus>;
}

export const crmArgs = {
  searchCrm: z
    .object({
      kind: z.enum(crmKinds),
      query: storableText(200),
      accountId: crmId.optional(),
      limit: z.number().int().min(1).max(50).optional(),
    })
    .strict(),
  getCrmCache: noArg,
  refreshCrmCache: noArg,
} satisfies ArgSchemas<CrmApi>;
