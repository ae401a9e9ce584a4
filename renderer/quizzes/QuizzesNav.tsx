/** The top bar's way into the Quizzes screen. */
export function QuizzesNav({ onOpen }: { onOpen(): void }) {
  return (
    <button type="button" className="button presenting-nav__link" data-testid="nav-quizzes" onClick={onOpen}>
      Quizzes
    </button>
  );
}
