/** The rehearse capability's slice of the contract. */
import type { RehearseApi } from '#shared/contract';
import type { Rehearse } from './index.ts';

export function rehearseHandlers(rehearse: Rehearse, ctx: { onQueuedForReview?(): void } = {}): RehearseApi {
  return {
    async listPracticePrompts() {
      return rehearse.prompts();
    },
    async listRehearsalTakes({ promptId }) {
      return rehearse.takes(promptId);
    },
    async saveRehearsalTake(input) {
      return rehearse.save(input);
    },
    async getRehearsalTakeAudio({ id }) {
      return rehearse.audio(id);
    },
    async markBestTake({ id, best }) {
      return rehearse.markBest(id, best);
    },
    async deleteRehearsalTake({ id }) {
      await rehearse.remove(id);
      return {};
    },
    async getPracticeConsent() {
      return rehearse.consent();
    },
    async sendTakeForReview({ id, consent }) {
      const take = await rehearse.sendForReview(id, consent);
      // Queued is not the end: with a network it goes at once, not at the next timer.
      ctx.onQueuedForReview?.();
      return take;
    },
    async cancelTakeReview({ id }) {
      return rehearse.cancelReview(id);
    },
    async listPracticeExamples({ promptId }) {
      return rehearse.examples(promptId);
    },
    async getPracticeExampleAudio({ recordingId }) {
      return rehearse.exampleAudio(recordingId);
    },
  };
}
