/** The audience relay's slice of the contract. */
import type { AudienceApi } from '#shared/contract';
import type { AudienceRelay } from './index.ts';

export function audienceHandlers(audience: AudienceRelay): AudienceApi {
  return {
    async showToAudience(state) {
      audience.show(state);
      return {};
    },
    async getAudienceState({ sessionId }) {
      return audience.latest(sessionId);
    },
  };
}
