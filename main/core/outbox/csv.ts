import { stringify } from 'csv-stringify/sync';
import type { RecordSource } from '#shared/fleet';

/**
 * Outbox records as CSV files for CRMs without an API at hand: UTF-8, a header row, RFC 4180
 * quoting (csv-stringify), one record per row, in columns the usual importers map without help.
 * Leads have the columns of the kiosk's "Export leads" file; meetings and follow-ups look like
 * Salesforce Tasks; activity has one row per event. Every row carries its Pitchcase id, so an
 * importer that upserts by it never makes a second record of a file it reads twice, and, after
 * the columns of its kind, who and what made it (sourceColumns; empty for an unenrolled device
 * but its id and versions).
 */
type Cell = string | number;
type Fields = Record<string, unknown>;

export const leadColumns = [
  'First Name',
  'Last Name',
  'Email',
  'Company',
  'Title',
  'Phone',
  'Lead Source',
  'Rating',
  'Description',
  'Consent Version',
  'Captured At',
  'Pitchcase Lead ID',
  // Added with staff qualification; appended so importers mapping the columns above keep working.
  'Event',
  'Staff Note',
  'Qualified At',
  'Record Type',
] as const;
export const meetingColumns = [
  'Subject',
  'ActivityDate',
  'Status',
  'Who Id',
  'What Id',
  'Account',
  'Contact',
  'Opportunity',
  'Outcome',
  'Description',
  'Started At',
  'Ended At',
  'Pitchcase Id',
] as const;
export const followUpColumns = [
  'Subject',
  'ActivityDate',
  'Type',
  'To',
  'Who Id',
  'What Id',
  'Body',
  'Meeting Pitchcase Id',
  'Pitchcase Id',
] as const;
export const activityColumns = [
  'Pitchcase Id',
  'Type',
  'At',
  'Item',
  'Page',
  'Dwell ms',
  'Pitch',
  'Meeting Pitchcase Id',
  'Release Version',
] as const;

/** Appended to every kind's columns (extended, never renamed: importers map columns by name). */
export const sourceColumns = ['Device Id', 'Rep', 'Booth', 'Team', 'Region', 'App Version'] as const;

function sourceCells(source: RecordSource | null | undefined): Record<string, Cell> {
  return {
    'Device Id': source?.deviceId ?? '',
    Rep: source?.rep ?? '',
    Booth: source?.booth ?? '',
    Team: source?.team ?? '',
    Region: source?.region ?? '',
    'App Version': source?.appVersion ?? '',
  };
}

const sourceRelease = (source: RecordSource | null | undefined): Cell => source?.releaseVersion ?? '';

/**
 * A cell a spreadsheet would run as a formula (it begins with = + - @, a tab or a carriage
 * return) gets a leading apostrophe, which Excel and LibreOffice read as "this is text": a
 * visitor typing =HYPERLINK(…) into the kiosk's lead form must not run it on the desk that opens
 * the file (OWASP "CSV injection"). Phone-number-shaped values are left as typed.
 */
export function spreadsheetSafe(value: string): string {
  // A phone number ("+44 20 7946 0958", "-0161") is digits and separators only: no function,
  // reference or second operator a formula could use, and CRM importers must get it as typed.
  if (/^[+-][\d ().-]*\d[\d ().-]*$/.test(value) && !/[+-].*[+]/.test(value)) return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): Cell => (typeof value === 'number' && Number.isFinite(value) ? value : '');
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
/** Records that point at a meeting name it as its own CSV row does, by the meeting's outbox key. */
const meetingKey = (value: unknown): string => (text(value) ? `meeting:${text(value)}` : '');

function csvOf(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  const safe = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([column, cell]) => [column, typeof cell === 'string' ? spreadsheetSafe(cell) : cell]),
    ),
  );
  return stringify(safe, { header: true, columns: [...columns] });
}

/**
 * Leads as Salesforce's Data Import Wizard and HubSpot's importer map them without help: their
 * standard column names. Each lead is the opened lead as it goes to CRM (leadForDelivery).
 */
export function leadRecordsCsv(leads: readonly Fields[]): string {
  return csvOf(leadColumns, leadRows(leads));
}

function leadRows(leads: readonly Fields[]): Record<string, Cell>[] {
  return leads.map((l) => {
    const rating = text(l.rating);
    const interests = list(l.interests);
    const viewed = list(l.viewedItems);
    return {
      'First Name': text(l.firstName),
      'Last Name': text(l.lastName),
      Email: text(l.email),
      Company: text(l.company),
      Title: text(l.role),
      Phone: text(l.phone),
      'Lead Source': 'Trade Show',
      Rating: rating ? rating.charAt(0).toUpperCase() + rating.slice(1) : '',
      Description: [
        text(l.note),
        interests.length ? `Interests: ${interests.join(', ')}` : '',
        viewed.length ? `Viewed: ${viewed.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
      'Consent Version': text(l.consentVersion),
      'Captured At': text(l.capturedAt),
      'Pitchcase Lead ID': text(l.leadId),
      Event: text(l.eventName),
      'Staff Note': text(l.staffNote),
      'Qualified At': text(l.qualifiedAt),
      // A lead already sent and qualified later comes again: importers upsert it by its id.
      'Record Type': l.update === 'qualification' ? 'Qualification update' : 'Lead',
    };
  });
}

/** One outbox record as a CSV file has it: its key and its payload (a lead's opened). */
export interface CsvRecord {
  idempotencyKey: string;
  payload: unknown;
  /** Who and what made it, as stamped when it was made. */
  source?: RecordSource | null;
}

const fieldsOf = (record: CsvRecord): Fields =>
  typeof record.payload === 'object' && record.payload !== null ? (record.payload as Fields) : {};

/** The CSV file of a batch of one kind; throws for a kind no file shape exists for. */
export function outboxCsv(kind: string, records: readonly CsvRecord[]): string {
  if (kind === 'lead') {
    const rows = leadRows(records.map(fieldsOf));
    return csvOf(
      [...leadColumns, 'Release Version', ...sourceColumns],
      rows.map((row, i) => ({
        ...row,
        'Release Version': sourceRelease(records[i]!.source),
        ...sourceCells(records[i]!.source),
      })),
    );
  }
  if (kind === 'meeting') {
    return csvOf(
      [...meetingColumns, 'Release Version', ...sourceColumns],
      records.map((r) => {
        const m = fieldsOf(r);
        return {
          Subject: text(m.Subject),
          ActivityDate: text(m.ActivityDate),
          Status: text(m.Status) || 'Completed',
          'Who Id': text(m.WhoId),
          'What Id': text(m.WhatId),
          Account: text(m.Account),
          Contact: text(m.Contact),
          Opportunity: text(m.Opportunity),
          Outcome: text(m.Outcome),
          Description: text(m.Description),
          'Started At': text(m.startedAt),
          'Ended At': text(m.endedAt),
          'Pitchcase Id': r.idempotencyKey,
          'Release Version': sourceRelease(r.source),
          ...sourceCells(r.source),
        };
      }),
    );
  }
  if (kind === 'followup') {
    return csvOf(
      [...followUpColumns, 'Release Version', ...sourceColumns],
      records.map((r) => {
        const f = fieldsOf(r);
        return {
          Subject: text(f.Subject),
          ActivityDate: text(f.ActivityDate),
          Type: 'Email',
          To: text(f.To),
          'Who Id': text(f.WhoId),
          'What Id': text(f.WhatId),
          Body: text(f.Body),
          'Meeting Pitchcase Id': meetingKey(f.meetingId),
          'Pitchcase Id': r.idempotencyKey,
          'Release Version': sourceRelease(r.source),
          ...sourceCells(r.source),
        };
      }),
    );
  }
  if (kind === 'event') {
    return csvOf(
      [...activityColumns, ...sourceColumns],
      records.map((r) => {
        const e = fieldsOf(r);
        return {
          'Pitchcase Id': r.idempotencyKey,
          Type: text(e.type),
          At: text(e.at),
          Item: text(e.itemId),
          Page: count(e.page),
          'Dwell ms': count(e.dwellMs),
          Pitch: text(e.pitchId),
          'Meeting Pitchcase Id': meetingKey(e.meetingId),
          // The event's own release; the stamp's for an event that did not name one.
          'Release Version': e.releaseVersion == null ? sourceRelease(r.source) : count(e.releaseVersion),
          ...sourceCells(r.source),
        };
      }),
    );
  }
  throw new Error(`A folder does not take "${kind}" records`);
}
