/** The Quizzes screen's hash routes: `#/quizzes` (the list and the rep's standing) and `#/quizzes/<quizId>`. */
export type QuizzesRoute = { name: 'quizzes'; quizId: string | null };

export function parseQuizzesRoute(parts: readonly string[]): QuizzesRoute | null {
  if (parts[0] !== 'quizzes') return null;
  if (parts.length === 1) return { name: 'quizzes', quizId: null };
  if (parts.length !== 2 || !parts[1]) return null;
  try {
    return { name: 'quizzes', quizId: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

export function formatQuizzesRoute(route: QuizzesRoute): string {
  return route.quizId === null ? '#/quizzes' : `#/quizzes/${encodeURIComponent(route.quizId)}`;
}
