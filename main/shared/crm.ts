/** The CRM cache as the wrap-up's picker and the CLI see it: accounts, contacts, opportunities. */
import { z } from 'zod';
import { storableText } from './contract/text.ts';

export const crmKinds = ['account', 'contact', 'opportunity'] as const;
export type CrmKind = (typeof crmKinds)[number];

export type CrmSource = 'salesforce' | 'file';

/** A CRM id as Salesforce (15/18 characters), HubSpot (digits) and most others write them. */
export const crmId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'a CRM id is letters, digits and _.:- (at most 128)');

export interface CrmRecord {
  kind: CrmKind;
  /** The record's id in its CRM (a Salesforce Id: 003…, 006…, 001…). */
  id: string;
  name: string;
  /** Contacts only. */
  email: string;
  title: string;
  /** Opportunities only. */
  stage: string;
  /** The account a contact or opportunity belongs to, when known. */
  accountId: string | null;
  accountName: string;
  source: CrmSource;
  cachedAt: string;
}

export interface CrmSearchRequest {
  kind: CrmKind;
  query: string;
  /** Records of this account come first (a contact of the account already picked). */
  accountId?: string;
  limit?: number;
}

export interface CrmSourceStatus {
  source: CrmSource;
  /** When this source last filled the cache; null if it never has. */
  cachedAt: string | null;
  lastError: { at: string; message: string } | null;
}

export interface CrmCacheStatus {
  counts: Record<CrmKind, number>;
  /** The newest fill of any source: what "cached <when>" shows. */
  cachedAt: string | null;
  sources: CrmSourceStatus[];
  /** Salesforce is the meeting (or lead) connector, so the cache refreshes from it by itself. */
  salesforceConfigured: boolean;
}

export interface CrmSearchResult {
  records: CrmRecord[];
  cachedAt: string | null;
}

/**
 * One record of an import file (CSV row or JSON object), from a CRM other than Salesforce.
 * Column names are matched loosely by the importer; this is what they become.
 */
export const crmImportRecord = z
  .object({
    kind: z.enum(crmKinds),
    id: crmId,
    name: storableText(200, { trim: true }).min(1, 'a record needs a name'),
    email: storableText(254, { trim: true }).default(''),
    title: storableText(200, { trim: true }).default(''),
    stage: storableText(100, { trim: true }).default(''),
    accountId: crmId.nullable().default(null),
    accountName: storableText(200, { trim: true }).default(''),
  })
  .strict();
export type CrmImportRecord = z.output<typeof crmImportRecord>;
