/** The presenting capability's slice of the contract: pitches, activity, meetings, the report. */
import type { PresentingApi } from '#shared/contract';
import type { createPresenting } from './index.ts';

export function presentingHandlers(
  presenting: ReturnType<typeof createPresenting>,
  ctx: { onFollowUpQueued(): void },
): PresentingApi {
  return {
    async listPitches() {
      return presenting.list();
    },
    async getPitch({ id }) {
      return presenting.get(id);
    },
    async savePitch(pitch) {
      return presenting.save(pitch);
    },
    async duplicatePitch({ id }) {
      return presenting.duplicate(id);
    },
    async deletePitch({ id }) {
      presenting.delete(id);
      return {};
    },
    async recordActivity({ events }) {
      return presenting.record(events);
    },
    async saveMeeting(meeting) {
      return presenting.saveMeeting(meeting);
    },
    async getUsageReport(range) {
      return presenting.report(range);
    },
    async listMeetings({ status }) {
      return presenting.listMeetings(status);
    },
    async getMeeting({ id }) {
      return presenting.getMeeting(id);
    },
    async deleteMeeting({ id }) {
      presenting.deleteMeeting(id);
      return {};
    },
    async saveMeetingInk(ink) {
      return presenting.saveInk(ink);
    },
    async getMeetingInk({ meetingId }) {
      return presenting.getInk(meetingId);
    },
    async queueFollowUp(followUp) {
      const result = presenting.queueFollowUp(followUp);
      if (result.queued) ctx.onFollowUpQueued();
      return result;
    },
    async addToPitch(addition) {
      return presenting.addToPitch(addition);
    },
    async shareItem(share) {
      const result = presenting.shareItem(share);
      if (result.queued) ctx.onFollowUpQueued();
      return result;
    },
  };
}
