/** What the Rehearse screen reads from the core. */
import type { PracticeExample } from '#shared/practice-review';
import type { PracticePrompt, RehearsalTake } from '#shared/rehearse';
import type { Query } from '../data/query';

export const practicePromptsQuery: Query<PracticePrompt[]> = {
  key: ['practice-prompts'],
  what: 'Loading the practice prompts',
  deadlineMs: 10_000,
  load: (client) => client.listPracticePrompts({}),
  refetchOn: ['library.changed'],
};

export function takesQuery(promptId: string): Query<RehearsalTake[]> {
  return {
    key: ['rehearsal-takes', promptId],
    what: 'Loading your takes',
    deadlineMs: 10_000,
    load: (client) => client.listRehearsalTakes({ promptId }),
    // A send moves on in the background (chunks acknowledged, sent, reviewed).
    refetchOn: ['rehearse.changed'],
  };
}

export function examplesQuery(promptId: string): Query<PracticeExample[]> {
  return {
    key: ['practice-examples', promptId],
    what: 'Loading the examples',
    deadlineMs: 10_000,
    load: (client) => client.listPracticeExamples({ promptId }),
    refetchOn: ['rehearse.changed'],
  };
}
