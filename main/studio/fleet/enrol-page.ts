import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FLEET_PATHS } from '#shared/fleet';
import { route, type RawResponse, type Routes } from '../context.ts';
import { displayEnrolCode, enrolLinkFor } from '#shared/enrol-link';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const style = `
*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f6f8}
main{max-width:34rem;margin:0 auto;padding:24px 20px 40px}
h1{font-size:1.45rem;line-height:1.25;margin:0 0 12px}
.code{display:block;margin:18px 0;padding:16px;border-radius:12px;background:#fff;border:2px solid #2f5d8a;
font:700 2rem/1.2 ui-monospace,"Cascadia Mono",Consolas,monospace;letter-spacing:.08em;text-align:center;
user-select:all;-webkit-user-select:all;overflow-wrap:anywhere}
ol{padding-left:1.3em;margin:0 0 16px}li{margin:0 0 10px}
.address{font-family:ui-monospace,Consolas,monospace;overflow-wrap:anywhere;background:#fff;padding:1px 4px;border-radius:4px}
.note{color:#4a5561;font-size:.95rem}
.open{display:inline-block;padding:12px 20px;border-radius:10px;background:#2f5d8a;color:#fff;font-weight:600;text-decoration:none}
code{font-family:ui-monospace,Consolas,monospace;overflow-wrap:anywhere;font-size:.9rem}
`;

/**
 * The page Studio's QR code opens on a phone: how to enter the code in the app, and the code. It
 * reads nothing from the database (the code is neither checked nor used by viewing it, so the
 * page says nothing about whether it is valid, whose it is or which company made it), needs no
 * session, runs no script, and is never cached or indexed.
 */
export function enrolPage(origin: string, code: string | null): string {
  const address = escape(origin);
  const shown = code ? escape(code) : null;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Connect Pitchcase to your company</title>
<style>${style}</style>
</head>
<body>
<main>
<h1>Connect Pitchcase to your company</h1>
${
  shown
    ? `<p>Your enrolment code:</p>\n<output class="code" aria-label="Enrolment code">${shown}</output>`
    : `<p>This link has no enrolment code in it. Ask the person who gave you the QR code for the code shown beside it.</p>`
}
${
  code
    ? `<p>On the device itself (a tablet or laptop with Pitchcase), open this in Pitchcase; it fills in the address and the code, and asks before connecting (not on a kiosk: its staff connect it):</p>\n<p><a class="open" href="${escape(enrolLinkFor({ studioUrl: origin, code }))}">Open in Pitchcase</a></p>`
    : ''
}
<p>Or enter it in Pitchcase on the device to connect, not on this phone unless this phone is the device:</p>
<ol>
<li>Open Pitchcase. On its first start it shows <strong>Connect to your company</strong>; later, open <strong>Content sync</strong> → <strong>Your company</strong>. On a kiosk: staff PIN, then <strong>Your company</strong>.</li>
<li>Studio address: <span class="address">${address}</span></li>
<li>Code: ${shown ? `<strong>${shown}</strong>` : 'the code you were given'}. Capitals, spaces and dashes do not matter.</li>
</ol>
<p class="note">You may instead paste this page's address into the Studio address field: the code comes with it.</p>
<p class="note">IT can enrol a device from the command line: <code>pitchcase enrol --profile DIR --studio ${address} --code ${shown ?? 'CODE'}</code></p>
<p class="note">The code works once and expires; viewing this page does not use it.</p>
</main>
</body>
</html>
`;
}

/** The styles are the page's own, allowed by their hash: no other style or any script may run. */
const styleHash = createHash('sha256').update(style, 'utf8').digest('base64');

export const enrolPageRoutes: Routes = {
  'fleet.enrolPage': route({
    method: 'GET',
    path: FLEET_PATHS.enrolPage,
    // Only the code is read; anything else in the address is ignored.
    args: z.object({ code: z.string().max(64).optional() }),
    async run(_ctx, caller, args): Promise<RawResponse> {
      return {
        raw: true,
        status: 200,
        headers: {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'X-Robots-Tag': 'noindex, nofollow',
          'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
        },
        body: Buffer.from(enrolPage(caller.origin, displayEnrolCode(args.code)), 'utf8'),
      };
    },
  }),
};
