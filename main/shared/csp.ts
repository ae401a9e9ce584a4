/**
 * The Content-Security-Policy of the app's own pages, shared by the Electron protocol handler
 * and the browser host so both shells enforce the same rules. No 'unsafe-eval' anywhere:
 * pdf.js runs with isEvalSupported=false. Inline styles are allowed because React sets
 * style attributes for layout (zoom, transforms); inline scripts are not.
 */
export function appContentSecurityPolicy(siteOrigin: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    `frame-src ${siteOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Microsites come from marketing's release, but we still treat them as hostile: their own
 * origin, a CSP sandbox without allow-same-origin (so they get an opaque origin even if opened
 * directly), no network beyond their own files, no forms posting anywhere, no popups.
 */
export function siteContentSecurityPolicy(): string {
  return [
    'sandbox allow-scripts',
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "media-src 'self'",
    "font-src 'self' data:",
    "connect-src 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * What a microsite page may ask the browser for: nothing that reaches a device or the network
 * beside its own files. Its frame already has `allow=""`; this also holds when a page is opened
 * on its own. No policy or CSP directive Chromium knows switches WebRTC off (CSP's `webrtc` is
 * not implemented), so that is done by Electron's WebRTC IP handling policy instead.
 */
export function sitePermissionsPolicy(): string {
  return [
    'camera=()',
    'microphone=()',
    'display-capture=()',
    'geolocation=()',
    'usb=()',
    'serial=()',
    'hid=()',
    'bluetooth=()',
    'midi=()',
    'payment=()',
    'publickey-credentials-get=()',
    'clipboard-read=()',
    'screen-wake-lock=()',
    'idle-detection=()',
    'local-fonts=()',
    'window-management=()',
  ].join(', ');
}

/**
 * What the app's own page may ask the browser for, by profile: the rep's page may use its own
 * microphone (the Rehearse screen); a kiosk's page may not, whoever stands at it. No page of the
 * app uses the camera, and no frame inside it (a microsite) inherits the microphone.
 */
export function appPermissionsPolicy(profileKind: 'standard' | 'kiosk'): string {
  return [
    'camera=()',
    profileKind === 'kiosk' ? 'microphone=()' : 'microphone=(self)',
    'display-capture=()',
    'geolocation=()',
    'usb=()',
    'serial=()',
    'hid=()',
    'bluetooth=()',
    'midi=()',
    'payment=()',
  ].join(', ');
}
