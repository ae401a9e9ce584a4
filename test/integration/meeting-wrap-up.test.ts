import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '#core/index';
import { salesforceRecord } from '#core/outbox/index';
import { FakeSalesforce } from '../support/fake-salesforce.ts';
import { recordingWebhook } from '../support/webhook.ts';
import { coreOnChannel, type CoreOnChannel } from '../support/core-on-channel.ts';

/**
 * The meeting wrap-up after presenting: meetings saved for later are listed with what was shown,
 * completed with records picked from the CRM cache and logged once, their Task on that contact
 * and opportunity; drafts can be deleted; the follow-up e-mail can be queued to the CRM
 * connector with its "shared follow-up" event.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The source line an unenrolled device puts on its Salesforce records: its local id and versions. */
async function sourceLineOf(core: Core): Promise<string> {
  const { deviceId } = await core.api.getFleetStatus({});
  const { version } = await core.api.getAppInfo({});
  const current = (await core.api.getLibrary({})).release?.version ?? 'none';
  return `Pitchcase: device ${deviceId}, app ${version}, release ${current}`;
}

async function setup(): Promise<CoreOnChannel> {
  const made = await coreOnChannel({
    channel: {
      items: [
        {
          id: 'brochure',
          file: 'docs/brochure.pdf',
          title: 'AquaCore brochure',
          shareUrl: 'https://share.example/aquacore',
        },
        { id: 'photo', file: 'photo.svg', title: 'Product photo' },
      ],
    },
    start: '2026-05-12T11:00:00Z',
    profilePrefix: 'pitchcase-wrap-up-',
    core: { delivery: { retryBaseMs: 1000 } },
  });
  cleanups.push(made.cleanup);
  return made;
}

/** A webhook that keeps every record it is sent. */
async function webhook() {
  const hook = await recordingWebhook();
  cleanups.push(() => hook.close());
  return hook;
}

const draft = {
  id: 'meeting-later-01',
  startedAt: '2026-05-12T09:00:00Z',
  endedAt: '2026-05-12T09:45:00Z',
  status: 'later' as const,
  notes: 'Half-typed: ask about line 2',
  shown: [
    { itemId: 'brochure', page: 2, dwellMs: 42_000 },
    { itemId: 'brochure', page: 3, dwellMs: 8_000 },
    { itemId: 'gone-item', page: null, dwellMs: 5_000 },
  ],
};

describe('meetings saved for later', () => {
  it('are listed latest first with their pitch and what was shown, reopened as saved, and deleted while drafts', async () => {
    const { core } = await setup();
    const pitch = await core.api.savePitch({
      name: 'Marston visit',
      steps: [{ itemId: 'brochure', page: 2, note: '' }],
    });
    await core.api.saveMeeting({ ...draft, pitchId: pitch.id });
    await core.api.saveMeeting({
      id: 'meeting-later-02',
      startedAt: '2026-05-12T10:00:00Z',
      endedAt: '2026-05-12T10:05:00Z',
      status: 'later',
      shown: [{ itemId: 'photo', page: null, dwellMs: 3_000 }],
    });
    await core.api.saveMeeting({
      id: 'meeting-logged-1',
      startedAt: '2026-05-12T08:00:00Z',
      endedAt: '2026-05-12T08:30:00Z',
      status: 'logged',
    });

    const later = await core.api.listMeetings({ status: 'later' });
    expect(later.map((m) => m.id)).toEqual(['meeting-later-02', 'meeting-later-01']);
    expect(later[1]).toMatchObject({
      pitchName: 'Marston visit',
      startedAt: '2026-05-12T09:00:00Z',
      shownTitles: ['AquaCore brochure', 'gone-item'],
      shownPages: 3,
      status: 'later',
    });
    expect((await core.api.listMeetings({ status: 'logged' })).map((m) => m.id)).toEqual(['meeting-logged-1']);

    const saved = await core.api.getMeeting({ id: draft.id });
    expect(saved).toMatchObject({
      notes: 'Half-typed: ask about line 2',
      pitchName: 'Marston visit',
      contactId: null,
      updatedAt: '2026-05-12T11:00:00.000Z',
    });
    expect(saved.shown).toEqual([
      {
        itemId: 'brochure',
        page: 2,
        dwellMs: 42_000,
        title: 'AquaCore brochure',
        shareUrl: 'https://share.example/aquacore',
      },
      {
        itemId: 'brochure',
        page: 3,
        dwellMs: 8_000,
        title: 'AquaCore brochure',
        shareUrl: 'https://share.example/aquacore',
      },
      { itemId: 'gone-item', page: null, dwellMs: 5_000, title: 'gone-item', shareUrl: null },
    ]);

    await core.api.deleteMeeting({ id: 'meeting-later-02' });
    expect((await core.api.listMeetings({ status: 'later' })).map((m) => m.id)).toEqual(['meeting-later-01']);
    await expect(core.api.deleteMeeting({ id: 'meeting-logged-1' })).rejects.toMatchObject({ code: 'refused' });
    await expect(core.api.deleteMeeting({ id: 'meeting-later-02' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(core.api.getMeeting({ id: 'meeting-later-02' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('completed with cached CRM records and logged, reach Salesforce once as a Task on that contact and opportunity', async () => {
    const { core, advance } = await setup();
    const salesforce = new FakeSalesforce();
    await salesforce.start();
    cleanups.push(() => salesforce.stop());
    salesforce.org.Contact = [
      {
        Id: '003000000000001AAA',
        Name: 'Dana Whitfield',
        Email: 'dana@marston.example',
        AccountId: '001000000000001AAA',
        Account: { Name: 'Marston Brewery' },
      },
    ];
    salesforce.org.Opportunity = [
      {
        Id: '006000000000001AAA',
        Name: 'Marston line 2',
        StageName: 'Proposal',
        AccountId: '001000000000001AAA',
        Account: { Name: 'Marston Brewery' },
      },
    ];
    await core.api.updateDeliverySettings({
      meeting: { type: 'salesforce', instanceUrl: salesforce.url, accessToken: 'rep-token' },
    });
    await core.api.refreshCrmCache({});

    await core.api.saveMeeting(draft);
    const [contact] = (await core.api.searchCrm({ kind: 'contact', query: 'dana' })).records;
    const [opportunity] = (
      await core.api.searchCrm({ kind: 'opportunity', query: 'line 2', accountId: contact!.accountId! })
    ).records;
    const saved = await core.api.getMeeting({ id: draft.id });
    advance(60_000);
    const { pitchName: _pitchName, updatedAt: _updatedAt, ...fields } = saved;
    await core.api.saveMeeting({
      ...fields,
      shown: saved.shown.map(({ itemId, page, dwellMs }) => ({ itemId, page, dwellMs })),
      status: 'logged',
      account: contact!.accountName,
      accountId: contact!.accountId,
      contact: contact!.name,
      contactId: contact!.id,
      opportunity: opportunity!.name,
      opportunityId: opportunity!.id,
      outcome: 'Trial agreed',
    });
    expect(await core.api.listMeetings({ status: 'later' })).toEqual([]);
    await expect(core.api.saveMeeting({ ...draft, status: 'later' })).rejects.toThrow(/already logged/);

    await core.api.deliverNow({});
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
    const taskUrl = `/services/data/v61.0/sobjects/Task/Pitchcase_Id__c/${encodeURIComponent(`meeting:${draft.id}`)}`;
    // The Description ends with who and what made the record (the device's source line).
    const source = await sourceLineOf(core);
    expect(salesforce.upserts.get(taskUrl)).toEqual({
      Subject: 'Meeting with Marston Brewery: Trial agreed',
      Description: `Half-typed: ask about line 2\n\nShown:\nAquaCore brochure, p. 2 (42 s)\nAquaCore brochure, p. 3 (8 s)\ngone-item (5 s)\n${source}`,
      ActivityDate: '2026-05-12',
      Status: 'Completed',
      WhoId: '003000000000001AAA',
      WhatId: '006000000000001AAA',
    });
    await core.api.deliverNow({});
    expect(salesforce.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('puts a Task on the account when no opportunity was picked, and carries no links for free text', () => {
    expect(salesforceRecord('meeting', { Subject: 's', WhoId: '003A', WhatId: '001A' })?.fields).toMatchObject({
      WhoId: '003A',
      WhatId: '001A',
    });
    const free = salesforceRecord('meeting', { Subject: 's', WhoId: null, WhatId: null })!.fields;
    expect(free).not.toHaveProperty('WhoId');
    expect(free).not.toHaveProperty('WhatId');
  });
});

describe('follow-up queued to CRM', () => {
  const followUp = {
    id: 'followup-0001',
    meetingId: 'meeting-later-01',
    to: 'dana@marston.example',
    subject: 'Following up on our meeting: Marston Brewery',
    body: 'Hello Dana,\n\n- AquaCore brochure (p. 2)\n  https://share.example/aquacore',
    contactId: '003000000000001AAA',
    accountId: '001000000000001AAA',
  };

  it('goes out once to the webhook as JSON, recorded as a "shared follow-up" event without the contact', async () => {
    const { core } = await setup();
    const hook = await webhook();
    await core.api.updateDeliverySettings({
      meeting: { type: 'webhook', url: hook.url },
      event: { type: 'webhook', url: hook.url },
    });
    expect(await core.api.queueFollowUp(followUp)).toEqual({ queued: true });
    expect(await core.api.queueFollowUp(followUp)).toEqual({ queued: false });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(2);
    await core.api.deliverNow({});
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);

    const sent = hook.records.find((r) => r.kind === 'followup');
    expect(sent).toMatchObject({ idempotencyKey: 'followup:followup-0001' });
    expect(sent!.payload).toEqual({
      followUpId: 'followup-0001',
      meetingId: 'meeting-later-01',
      To: 'dana@marston.example',
      Subject: 'Following up on our meeting: Marston Brewery',
      Body: followUp.body,
      ActivityDate: '2026-05-12',
      WhoId: '003000000000001AAA',
      WhatId: '001000000000001AAA',
    });
    const events = hook.records.filter((r) => r.kind === 'event');
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ type: 'followup.shared', meetingId: 'meeting-later-01', itemId: null });
    expect(JSON.stringify(events[0]!.payload)).not.toMatch(/dana|Marston|003000000000001AAA/i);
  });

  it('becomes a completed e-mail Task on the contact in Salesforce', async () => {
    const { core } = await setup();
    const salesforce = new FakeSalesforce();
    await salesforce.start();
    cleanups.push(() => salesforce.stop());
    await core.api.updateDeliverySettings({
      meeting: { type: 'salesforce', instanceUrl: salesforce.url, accessToken: 'rep-token' },
    });
    await core.api.queueFollowUp({ ...followUp, opportunityId: '006000000000001AAA' });
    await core.api.deliverNow({});
    expect(
      salesforce.upserts.get(
        `/services/data/v61.0/sobjects/Task/Pitchcase_Id__c/${encodeURIComponent('followup:followup-0001')}`,
      ),
    ).toEqual({
      Subject: 'Email: Following up on our meeting: Marston Brewery',
      Description: `To: dana@marston.example\n\n${followUp.body}\n${await sourceLineOf(core)}`,
      ActivityDate: '2026-05-12',
      Status: 'Completed',
      Type: 'Email',
      WhoId: '003000000000001AAA',
      WhatId: '006000000000001AAA',
    });
    // Activity has no Salesforce connector: the event waits for marketing's webhook.
    expect((await core.api.getDeliveryStatus({})).pending).toBe(1);
  });

  it('refuses a follow-up without a subject and queues nothing', async () => {
    const { core } = await setup();
    expect(await core.handle('queueFollowUp', { ...followUp, subject: ' ' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
  });
});

describe('sharing an item from the viewer, outside any meeting', () => {
  it('queues the e-mail with the title, page and share link, and a "shared follow-up" event naming the page', async () => {
    const { core } = await setup();
    const hook = await webhook();
    await core.api.updateDeliverySettings({
      meeting: { type: 'webhook', url: hook.url },
      event: { type: 'webhook', url: hook.url },
    });
    const share = {
      id: 'share-000001',
      itemId: 'brochure',
      page: 2,
      to: ' dana@marston.example ',
      note: 'The filter sizes we talked about',
    };
    expect(await core.api.shareItem(share)).toEqual({ queued: true });
    // The same share sent twice (a double tap, a retry) is queued once.
    expect(await core.api.shareItem(share)).toEqual({ queued: false });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(2);
    await core.api.deliverNow({});
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);

    const sent = hook.records.filter((r) => r.kind === 'followup');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ idempotencyKey: 'followup:share-000001' });
    expect(sent[0]!.payload).toEqual({
      followUpId: 'share-000001',
      meetingId: null,
      itemId: 'brochure',
      page: 2,
      To: 'dana@marston.example',
      Subject: 'AquaCore brochure, page 2',
      Body: 'The filter sizes we talked about\n\nAquaCore brochure, page 2\nhttps://share.example/aquacore',
      ActivityDate: '2026-05-12',
      WhoId: null,
      WhatId: null,
    });
    const events = hook.records.filter((r) => r.kind === 'event');
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ type: 'followup.shared', meetingId: null, itemId: 'brochure', page: 2 });
    expect(JSON.stringify(events[0]!.payload)).not.toMatch(/dana|filter sizes/i);
  });

  it('shares a whole item without a link when it has none, as a completed e-mail Task in Salesforce', async () => {
    const { core } = await setup();
    const salesforce = new FakeSalesforce();
    await salesforce.start();
    cleanups.push(() => salesforce.stop());
    await core.api.updateDeliverySettings({
      meeting: { type: 'salesforce', instanceUrl: salesforce.url, accessToken: 'rep-token' },
    });
    await core.api.shareItem({ id: 'share-000002', itemId: 'photo', page: null, to: 'dana@marston.example' });
    await core.api.deliverNow({});
    expect(
      salesforce.upserts.get(
        `/services/data/v61.0/sobjects/Task/Pitchcase_Id__c/${encodeURIComponent('followup:share-000002')}`,
      ),
    ).toEqual({
      Subject: 'Email: Product photo',
      Description: `To: dana@marston.example\n\nProduct photo\n${await sourceLineOf(core)}`,
      ActivityDate: '2026-05-12',
      Status: 'Completed',
      Type: 'Email',
    });
  });

  it('refuses a bad address, a page the item lacks and an unknown item, and queues nothing', async () => {
    const { core } = await setup();
    expect(
      await core.handle('shareItem', { id: 'share-000003', itemId: 'brochure', page: 1, to: 'dana at marston' }),
    ).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('e-mail') } });
    await expect(
      core.api.shareItem({ id: 'share-000004', itemId: 'brochure', page: 99, to: 'dana@marston.example' }),
    ).rejects.toMatchObject({ code: 'bad-request' });
    await expect(
      core.api.shareItem({ id: 'share-000005', itemId: 'ghost', page: null, to: 'dana@marston.example' }),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect((await core.api.getDeliveryStatus({})).pending).toBe(0);
  });
});
