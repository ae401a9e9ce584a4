/** The quizzes capability's slice of the contract, and the rep's standing the fleet keeps. */
import type { QuizzesApi } from '#shared/contract';
import type { Standing } from '#shared/standing';
import type { Quizzes } from './index.ts';

export function quizzesHandlers(
  quizzes: Quizzes,
  standing: () => { standing: Standing | null; fetchedAt: string | null; enrolled: boolean },
): QuizzesApi {
  return {
    async listQuizzes() {
      return quizzes.list();
    },
    async takeQuiz({ id, all }) {
      return quizzes.take(id, all ?? false);
    },
    async submitQuiz(input) {
      return quizzes.submit(input);
    },
    async getStanding() {
      return standing();
    },
  };
}
