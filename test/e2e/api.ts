import type { Page } from '@playwright/test';

/**
 * Calls the contract through the page's own origin, as the renderer does in the browser host:
 * for a test's set-up (an endpoint, a record) and for reading what the UI cannot show.
 */
export async function callApi<T>(page: Page, method: string, arg: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method, arg }) => {
      const response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(arg),
      });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    },
    { method, arg },
  );
  if (!result.ok) throw new Error(`${method} failed: ${result.error?.message ?? 'unknown error'}`);
  return result.value as T;
}
