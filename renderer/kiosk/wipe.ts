/**
 * Everything a visitor could leave behind in the page itself, wiped between visitors. React
 * state goes with the remount of the kiosk tree; this takes care of what lives outside React.
 */
export function wipeVisitorTraces(): void {
  try {
    sessionStorage.clear();
  } catch {
    /* storage disabled: nothing to wipe */
  }
  try {
    localStorage.clear();
  } catch {
    /* storage disabled: nothing to wipe */
  }
  if (location.hash !== '#/') history.replaceState(null, '', '#/');
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  window.getSelection()?.removeAllRanges();
  if ('caches' in window) {
    void caches
      .keys()
      .then((names) => Promise.all(names.map((name) => caches.delete(name))))
      .catch(() => {});
  }
}
