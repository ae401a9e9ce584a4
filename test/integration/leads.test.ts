import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFileProvider } from '#core/crypto/index';
import {
  captureLead,
  leadStats,
  leadsCsv,
  markLeadsDelivered,
  openLeads,
  purgeDelivered,
  qualifyLead,
} from '#core/kiosk/leads';
import { insertSession, insertView } from '#core/kiosk/store';
import { pendingOutboxCount } from '#core/outbox/index';
import { openStorage } from '#core/storage/database';
import { defaultLeadForm } from '#shared/kiosk';
import { tempDir } from '../support/release.ts';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

function setup() {
  const t = tempDir('pitchcase-leads-');
  const storage = openStorage(path.join(t.dir, 'pitchcase.db'));
  cleanups.push(t.cleanup, () => storage.close());
  let now = Date.parse('2026-05-12T10:00:00Z');
  const clock = { now: () => new Date(now) };
  const ctx = { db: storage.write, clock, keys: keyFileProvider(t.dir) };
  return { dir: t.dir, storage, ctx, advance: (ms: number) => (now += ms) };
}

const visitor = {
  fields: {
    firstName: 'Ana',
    lastName: 'Lima',
    email: 'ana.lima@marston-brewery.example',
    company: 'Marston Brewery',
    role: 'Head brewer',
    note: 'Call after 3pm',
  },
  interests: ['AquaCore 500'],
};

describe('lead capture', () => {
  it('refuses a form without consent, or with missing fields, with messages per field', () => {
    const { ctx, storage } = setup();
    insertSession(ctx.db, 's1', '2026-05-12T09:59:00Z');
    const noConsent = captureLead(
      ctx,
      { sessionId: 's1', ...visitor, consent: { given: false, version: defaultLeadForm.consent.version } },
      defaultLeadForm,
    );
    expect(noConsent).toEqual({ errors: [{ field: 'consent', message: expect.stringMatching(/tick the box/) }] });
    const missing = captureLead(
      ctx,
      {
        sessionId: 's1',
        fields: { email: 'not-an-email' },
        consent: { given: true, version: defaultLeadForm.consent.version },
      },
      defaultLeadForm,
    );
    expect('errors' in missing && missing.errors.map((e) => e.field)).toEqual([
      'firstName',
      'lastName',
      'company',
      'email',
    ]);
    const stale = captureLead(
      ctx,
      { sessionId: 's1', ...visitor, consent: { given: true, version: '2025-01' } },
      defaultLeadForm,
    );
    expect('errors' in stale && stale.errors[0]?.message).toMatch(/consent text has changed/);
    // A visitor cannot rate themselves: a rating in the submission is refused outright.
    expect(() =>
      captureLead(
        ctx,
        {
          sessionId: 's1',
          ...visitor,
          rating: 'hot',
          consent: { given: true, version: defaultLeadForm.consent.version },
        } as Parameters<typeof captureLead>[1],
        defaultLeadForm,
      ),
    ).toThrow(/rating/);
    expect(storage.write.prepare(`SELECT count(*) AS n FROM leads`).get()).toEqual({ n: 0 });
    expect(pendingOutboxCount(ctx.db)).toBe(0);
  });

  it('commits the lead, its consent version, the viewed items and its outbox row together', () => {
    const { ctx } = setup();
    insertSession(ctx.db, 's1', '2026-05-12T09:50:00Z');
    insertView(ctx.db, 's1', 'aquacore-500-brochure', '2026-05-12T09:51:00Z');
    insertView(ctx.db, 's1', 'roi-calculator', '2026-05-12T09:55:00Z');
    const outcome = captureLead(
      ctx,
      {
        sessionId: 's1',
        ...visitor,
        consent: { given: true, version: defaultLeadForm.consent.version },
        sendViewed: true,
      },
      defaultLeadForm,
    );
    expect(outcome).toEqual({ leadId: expect.any(String) });
    const [lead] = openLeads(ctx);
    expect(lead).toMatchObject({
      consentVersion: defaultLeadForm.consent.version,
      // Nobody has qualified it yet: visitors cannot, staff do it behind the PIN.
      rating: null,
      staffNote: '',
      interests: ['AquaCore 500'],
      viewedItems: ['aquacore-500-brochure', 'roi-calculator'],
      person: { firstName: 'Ana', email: 'ana.lima@marston-brewery.example', company: 'Marston Brewery' },
    });
    expect(pendingOutboxCount(ctx.db)).toBe(1);
    expect(ctx.db.prepare(`SELECT end_reason FROM visitor_sessions WHERE id = 's1'`).get()).toEqual({
      end_reason: 'lead',
    });
  });

  it('never writes the e-mail in plain text to the database or its WAL', () => {
    const { ctx, dir } = setup();
    insertSession(ctx.db, 's1', '2026-05-12T09:50:00Z');
    captureLead(
      ctx,
      { sessionId: 's1', ...visitor, consent: { given: true, version: defaultLeadForm.consent.version } },
      defaultLeadForm,
    );
    qualifyLead(ctx, { leadId: openLeads(ctx)[0]!.id, rating: 'warm', note: 'Spoke with Marisol Quintana-Oyelaran' });
    const files = readdirSync(dir).filter((f) => f.startsWith('pitchcase.db'));
    expect(files).toEqual(expect.arrayContaining(['pitchcase.db', 'pitchcase.db-wal']));
    for (const f of files) {
      const bytes = readFileSync(path.join(dir, f)).toString('latin1');
      expect(bytes, f).not.toContain('ana.lima');
      expect(bytes, f).not.toContain('Lima');
      // The staff note is personal data too: sealed like the lead.
      expect(bytes, f).not.toContain('Quintana');
    }
  });

  it('exports CSV with the column names Salesforce and HubSpot importers recognise', () => {
    const { ctx } = setup();
    insertSession(ctx.db, 's1', '2026-05-12T09:50:00Z');
    captureLead(
      ctx,
      {
        sessionId: 's1',
        ...visitor,
        fields: { ...visitor.fields, note: 'Says "hi", and more' },
        consent: { given: true, version: defaultLeadForm.consent.version },
      },
      defaultLeadForm,
    );
    qualifyLead(ctx, { leadId: openLeads(ctx)[0]!.id, rating: 'hot', note: 'Wants a quote by Friday' });
    const rows = parse(leadsCsv(openLeads(ctx)), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      'Staff Note': 'Wants a quote by Friday',
      'Qualified At': '2026-05-12T10:00:00.000Z',
    });
    expect(rows[0]).toMatchObject({
      'First Name': 'Ana',
      'Last Name': 'Lima',
      Email: 'ana.lima@marston-brewery.example',
      Company: 'Marston Brewery',
      Title: 'Head brewer',
      'Lead Source': 'Trade Show',
      Rating: 'Hot',
    });
    expect(rows[0]!.Description).toContain('Says "hi", and more');
    expect(leadsCsv([]).trim().split(',')[0]).toBe('First Name');
  });

  it('counts undelivered leads, warns near the retention limit, and purges only delivered ones', () => {
    const { ctx, advance } = setup();
    const consent = { given: true, version: defaultLeadForm.consent.version };
    for (const s of ['a', 'b']) {
      insertSession(ctx.db, s, '2026-05-12T09:00:00Z');
      captureLead(ctx, { sessionId: s, ...visitor, consent }, defaultLeadForm);
    }
    const [first] = openLeads(ctx);
    markLeadsDelivered(ctx.db, [first!.id], ctx.clock.now().toISOString());
    expect(leadStats(ctx, 30)).toMatchObject({ total: 2, undelivered: 1, undeliveredNearLimit: 0 });
    advance(25 * 86_400_000);
    expect(leadStats(ctx, 30).undeliveredNearLimit).toBe(1);
    advance(6 * 86_400_000);
    expect(purgeDelivered(ctx, 30)).toBe(1);
    expect(openLeads(ctx).map((l) => l.deliveredAt)).toEqual([null]);
  });
});
