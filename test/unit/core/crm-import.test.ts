import { describe, expect, it } from 'vitest';
import { parseCrmCsv, parseCrmFile, parseCrmJson } from '#core/crm/index';

/** Files exported from CRMs other than Salesforce become cache records, or are refused whole. */
describe('CRM import files', () => {
  it('reads a CSV with a type column and loosely named headers (HubSpot-style)', () => {
    const csv = [
      'Record type,Record ID,Name,First Name,Last Name,Email,Job Title,Deal Stage,Company ID,Company name',
      'company,9001,Marston Brewery,,,,,,,',
      'contact,501,,Dana,Whitfield,dana@marston.example,Head of Operations,,9001,Marston Brewery',
      'Deal,7001,"Marston line 2, packaging",,,,,Proposal,9001,Marston Brewery',
    ].join('\r\n');
    expect(parseCrmCsv(`\uFEFF${csv}`)).toEqual([
      {
        kind: 'account',
        id: '9001',
        name: 'Marston Brewery',
        email: '',
        title: '',
        stage: '',
        accountId: null,
        accountName: '',
      },
      {
        kind: 'contact',
        id: '501',
        name: 'Dana Whitfield',
        email: 'dana@marston.example',
        title: 'Head of Operations',
        stage: '',
        accountId: '9001',
        accountName: 'Marston Brewery',
      },
      {
        kind: 'opportunity',
        id: '7001',
        name: 'Marston line 2, packaging',
        email: '',
        title: '',
        stage: 'Proposal',
        accountId: '9001',
        accountName: 'Marston Brewery',
      },
    ]);
  });

  it('reads JSON as a list with a type per record, or as lists per kind', () => {
    expect(
      parseCrmJson(JSON.stringify([{ type: 'Contact', id: '003A', name: 'Ana Lima', accountId: '001A' }])),
    ).toEqual([
      {
        kind: 'contact',
        id: '003A',
        name: 'Ana Lima',
        email: '',
        title: '',
        stage: '',
        accountId: '001A',
        accountName: '',
      },
    ]);
    const grouped = parseCrmJson(
      JSON.stringify({
        accounts: [{ id: '001A', name: 'Lima Foods' }],
        opportunities: [{ id: '006A', name: 'Renewal', stage: 'Negotiation', accountName: 'Lima Foods' }],
        meta: { exportedBy: 'x' },
      }),
    );
    expect(grouped.map((r) => [r.kind, r.id, r.name])).toEqual([
      ['account', '001A', 'Lima Foods'],
      ['opportunity', '006A', 'Renewal'],
    ]);
  });

  it('refuses a file with a bad row, saying which, and one with the same record twice', () => {
    expect(() => parseCrmCsv('type,id,name\ncontact,1,Ana\nlead,2,Bo\n')).toThrow(
      /row 3: "lead" is not an account, contact or opportunity/,
    );
    expect(() => parseCrmCsv('type,id,name\ncontact,,Ana\n')).toThrow(/row 2: id/);
    expect(() => parseCrmCsv('type,id,name\ncontact,1,\n')).toThrow(/row 2: name a record needs a name/);
    expect(() => parseCrmCsv('id,name\n1,Ana\n')).toThrow(/row 2: no type column/);
    expect(() => parseCrmCsv('type,id,name\ncontact,1,"Ana\n')).toThrow(/Not a readable CSV/);
    expect(() => parseCrmJson('{"contacts": {"id": "1"}}')).toThrow(/contacts is not a list/);
    expect(() => parseCrmJson('{"people": [{"id": "1 2", "name": "Ana"}]}')).toThrow(/people\[0\]: id a CRM id/);
    expect(() => parseCrmJson('{"nothing": []}')).toThrow(/A JSON import is a list of records/);
    expect(() => parseCrmFile('export.csv', 'type,id,name\ncontact,1,Ana\ncontact,1,Ana L.\n')).toThrow(
      /contact with id 1 is in the file twice/,
    );
  });

  it('refuses a file whose only key is "__proto__" or "constructor", and a field that is not text', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(() => parseCrmJson(`{"${key}": []}`), key).toThrow(/A JSON import is a list of records/);
      expect(() => parseCrmFile('export.json', `{"${key}": [{"id": "1", "name": "Ana"}]}`), key).toThrow(
        /A JSON import is a list of records/,
      );
    }
    expect(() => parseCrmJson('[{"type": "__proto__", "id": "1", "name": "Ana"}]')).toThrow(
      /record\[0\]: "__proto__" is not an account, contact or opportunity/,
    );
    expect(() => parseCrmJson('{"contacts": [{"id": "1", "name": {"first": "Ana"}}]}')).toThrow(
      /contacts\[0\]: "name" is an object, not text/,
    );
    expect(() => parseCrmJson('{"contacts": [{"id": "1", "name": "Ana", "email": ["a@b.example"]}]}')).toThrow(
      /contacts\[0\]: "email" is a list, not text/,
    );
    // Numbers and booleans are text enough (an id exported as a number).
    expect(parseCrmJson('{"accounts": [{"id": 42, "name": "Lima Foods"}]}')).toMatchObject([
      { kind: 'account', id: '42' },
    ]);
  });

  it('picks the format by extension, else by the first character', () => {
    expect(parseCrmFile('EXPORT.CSV', 'type,id,name\naccount,1,A\n')).toHaveLength(1);
    expect(parseCrmFile('export.txt', '[{"type":"account","id":"1","name":"A"}]')).toHaveLength(1);
    expect(parseCrmFile('export.txt', 'type,id,name\naccount,1,A\n')).toHaveLength(1);
  });
});
