import { describe, expect, it } from 'vitest';
import { failureTitle, pendingRows, uploadHeadline, waitingLabel } from '../../../renderer/sync/upload-health';

describe('upload health wording', () => {
  it('lists leads, meetings, activity and follow-ups always, then any other waiting kind', () => {
    expect(pendingRows({ event: 4, followup: 1, survey: 2, empty: 0 })).toEqual([
      { kind: 'lead', label: 'Leads', count: 0 },
      { kind: 'meeting', label: 'Meetings', count: 0 },
      { kind: 'event', label: 'Activity', count: 4 },
      { kind: 'followup', label: 'Follow-ups', count: 1 },
      { kind: 'survey', label: 'Survey', count: 2 },
    ]);
  });

  it('counts what waits', () => {
    expect(waitingLabel(0)).toBe('Nothing waiting');
    expect(waitingLabel(1)).toBe('1 waiting');
    expect(waitingLabel(12)).toBe('12 waiting');
  });

  it('says whether uploads are failing, waiting or done', () => {
    const error = { at: '2026-06-02T09:00:00.000Z', kind: 'lead', message: 'HTTP 503' };
    expect(uploadHeadline({ pending: 3, lastDeliveredAt: null, lastError: error })).toEqual({
      tone: 'error',
      label: 'Upload failing: 3 records waiting',
    });
    expect(uploadHeadline({ pending: 1, lastDeliveredAt: null, lastError: null })).toEqual({
      tone: 'attention',
      label: '1 record waiting to upload',
    });
    expect(uploadHeadline({ pending: 0, lastDeliveredAt: '2026-06-02T09:00:00.000Z', lastError: null })).toEqual({
      tone: 'ok',
      label: 'Everything is uploaded',
    });
    expect(uploadHeadline({ pending: 0, lastDeliveredAt: null, lastError: null })).toEqual({
      tone: 'off',
      label: 'Nothing to upload yet',
    });
  });

  it('titles the last failure with its kind and time', () => {
    const now = new Date('2026-06-02T09:05:30.000Z');
    expect(failureTitle({ at: '2026-06-02T09:00:00.000Z', kind: 'meeting', message: 'x' }, now)).toBe(
      'Last failure (meetings) · 5 min ago',
    );
    expect(failureTitle({ at: null, message: 'x' }, now)).toBe('Last failure · time unknown');
  });
});
