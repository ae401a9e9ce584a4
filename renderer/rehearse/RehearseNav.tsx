/** The top bar's way into the Rehearse screen. */
export function RehearseNav({ onOpen }: { onOpen(): void }) {
  return (
    <button type="button" className="button presenting-nav__link" data-testid="nav-rehearse" onClick={onOpen}>
      Rehearse
    </button>
  );
}
