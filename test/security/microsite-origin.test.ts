/**
 * Microsite pages come only from their own origin, sandboxed (opaque origin, no network past
 * their own files) and with no device or capture feature, in both profiles.
 */
import { describe, expect, it } from 'vitest';
import { batteryHosts } from './battery.ts';

describe.each(batteryHosts())('the microsite origin ($kind profile)', (host) => {
  it('serves a page sandboxed, without network, devices or capture', async () => {
    expect(new URL(host.siteUrl).origin).not.toBe(new URL(host.url).origin);
    const page = await fetch(`${host.siteUrl}/calculator/index.html`);
    await page.body?.cancel();
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^sandbox allow-scripts;/);
    expect(csp).not.toMatch(/allow-same-origin|allow-popups|allow-top-navigation|allow-forms/);
    expect(csp).toContain("connect-src 'none'");
    expect(csp).toContain("form-action 'none'");
    const permissions = page.headers.get('permissions-policy') ?? '';
    for (const feature of ['camera', 'microphone', 'display-capture', 'geolocation', 'usb', 'hid', 'serial']) {
      expect(permissions, feature).toContain(`${feature}=()`);
    }
  });

  it('offers no API: calls to the microsite origin are refused', async () => {
    const call = await fetch(`${host.siteUrl}/api/getLibrary`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    await call.body?.cancel();
    expect(call.status).toBe(405);
  });
});
