import { parse } from 'csv-parse/sync';
import { crmImportRecord, type CrmImportRecord, type CrmKind } from '#shared/crm';
import { PitchcaseError } from '#shared/result';

/**
 * Accounts, contacts and opportunities exported from a CRM other than Salesforce (HubSpot,
 * Dynamics, Pipedrive, a spreadsheet), as CSV or JSON. Column names are matched loosely ("Record
 * ID", "Deal Stage", "Company name"), a row's kind comes from a type column or, in JSON, from the
 * list it is in. One bad row refuses the whole file, with its row number: nothing half-imported.
 */

const kindWords: Readonly<Record<string, CrmKind>> = {
  account: 'account',
  accounts: 'account',
  company: 'account',
  companies: 'account',
  organization: 'account',
  organisation: 'account',
  contact: 'contact',
  contacts: 'contact',
  person: 'contact',
  people: 'contact',
  opportunity: 'opportunity',
  opportunities: 'opportunity',
  deal: 'opportunity',
  deals: 'opportunity',
};

/** Normalised column name -> field. */
const columns: Readonly<Record<string, keyof CrmImportRecord | 'firstName' | 'lastName'>> = {
  type: 'kind',
  kind: 'kind',
  object: 'kind',
  objecttype: 'kind',
  recordtype: 'kind',
  id: 'id',
  crmid: 'id',
  recordid: 'id',
  externalid: 'id',
  name: 'name',
  fullname: 'name',
  dealname: 'name',
  opportunityname: 'name',
  firstname: 'firstName',
  lastname: 'lastName',
  email: 'email',
  emailaddress: 'email',
  title: 'title',
  jobtitle: 'title',
  stage: 'stage',
  stagename: 'stage',
  dealstage: 'stage',
  accountid: 'accountId',
  companyid: 'accountId',
  account: 'accountName',
  accountname: 'accountName',
  company: 'accountName',
  companyname: 'accountName',
};

const normalise = (column: string) => column.toLowerCase().replace(/[^a-z]/g, '');

/**
 * Own entries only: a key such as "__proto__" or "constructor" must not find Object.prototype's
 * members and pass for a list of contacts or a column.
 */
const lookup = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(table, key) ? table[key] : undefined;

function toRecord(raw: Record<string, unknown>, impliedKind: CrmKind | null, where: string): CrmImportRecord {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [column, value] of Object.entries(raw)) {
    const field = lookup(columns, normalise(column));
    if (!field || value === null || value === undefined) continue;
    // A nested object or list would be stored as "[object Object]": refuse it rather than guess.
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new PitchcaseError(
        'bad-request',
        `${where}: "${column.slice(0, 60)}" is ${Array.isArray(value) ? 'a list' : 'an object'}, not text`,
      );
    }
    const text = String(value).trim();
    if (text && !fields[field]) fields[field] = text;
  }
  const kind = impliedKind ?? (fields.kind ? lookup(kindWords, fields.kind.toLowerCase()) : undefined);
  if (!kind)
    throw new PitchcaseError(
      'bad-request',
      `${where}: ${fields.kind ? `"${fields.kind}" is not an account, contact or opportunity` : 'no type column (account, contact or opportunity)'}`,
    );
  let name = fields.name ?? [fields.firstName, fields.lastName].filter(Boolean).join(' ');
  // An account's own name may sit in the "Company name" column of a companies export.
  if (!name && kind === 'account') name = fields.accountName ?? '';
  const checked = crmImportRecord.safeParse({
    kind,
    id: fields.id ?? '',
    name,
    email: fields.email ?? '',
    title: fields.title ?? '',
    stage: fields.stage ?? '',
    accountId: kind === 'account' ? null : (fields.accountId ?? null),
    accountName: kind === 'account' ? '' : (fields.accountName ?? ''),
  });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new PitchcaseError(
      'bad-request',
      `${where}: ${issue?.path.join('.') || 'record'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  return checked.data;
}

export function parseCrmCsv(text: string): CrmImportRecord[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    }) as Record<string, string>[];
  } catch (error) {
    throw new PitchcaseError('bad-request', `Not a readable CSV file: ${(error as Error).message}`);
  }
  // Row 1 is the header, so the first record is on line 2 of the file.
  return rows.map((row, i) => toRecord(row, null, `row ${i + 2}`));
}

export function parseCrmJson(text: string): CrmImportRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new PitchcaseError('bad-request', `Not a readable JSON file: ${(error as Error).message}`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const list = (items: unknown, kind: CrmKind | null, label: string) => {
    if (!Array.isArray(items)) throw new PitchcaseError('bad-request', `${label} is not a list of records`);
    return items.map((item, i) => {
      if (!isObject(item)) throw new PitchcaseError('bad-request', `${label}[${i}] is not an object`);
      return toRecord(item, kind, `${label}[${i}]`);
    });
  };
  if (Array.isArray(data)) return list(data, null, 'record');
  if (isObject(data)) {
    const out: CrmImportRecord[] = [];
    let found = false;
    for (const [key, items] of Object.entries(data)) {
      const kind = lookup(kindWords, key.toLowerCase());
      if (!kind) continue;
      found = true;
      out.push(...list(items, kind, key));
    }
    if (found) return out;
  }
  throw new PitchcaseError(
    'bad-request',
    'A JSON import is a list of records, or {"accounts": [...], "contacts": [...], "opportunities": [...]}',
  );
}

/** By the file's extension (.csv, .json); a file with another name is tried as JSON, then CSV. */
export function parseCrmFile(name: string, text: string): CrmImportRecord[] {
  const lower = name.toLowerCase();
  const records = lower.endsWith('.csv')
    ? parseCrmCsv(text)
    : lower.endsWith('.json')
      ? parseCrmJson(text)
      : text.trimStart().startsWith('[') || text.trimStart().startsWith('{')
        ? parseCrmJson(text)
        : parseCrmCsv(text);
  const seen = new Set<string>();
  for (const r of records) {
    const key = `${r.kind}:${r.id}`;
    if (seen.has(key)) throw new PitchcaseError('bad-request', `The ${r.kind} with id ${r.id} is in the file twice`);
    seen.add(key);
  }
  return records;
}
