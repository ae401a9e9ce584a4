/** Presenting to an audience: the rep's presenter publishes, the audience screen follows. */
import { z } from 'zod';
import { audienceState, type AudienceState } from '../audience-screen.ts';
import { recordId, type ArgSchemas, type NoArg } from './schema.ts';

export interface AudienceApi {
  /** The rep's presenter publishes what the audience sees; announced as 'presenter.audience'. */
  showToAudience(arg: AudienceState): Promise<NoArg>;
  /** The latest state of a presentation, for an audience screen that opens after it started. */
  getAudienceState(arg: { sessionId: string }): Promise<AudienceState | null>;
}

export const audienceArgs = {
  showToAudience: audienceState,
  getAudienceState: z.object({ sessionId: recordId }).strict(),
} satisfies ArgSchemas<AudienceApi>;
