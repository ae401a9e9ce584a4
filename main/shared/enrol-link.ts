/**
 * The links that carry an enrolment code to a device:
 * - Studio's QR code opens `<studio>/enrol?code=…`, a page for phones that shows the code;
 * - that page offers `pitchcase-enrol://connect?studio=…&code=…`, which opens the app on the device
 *   itself (a Surface's camera or browser hands the link to Windows, Windows to Pitchcase);
 * - pasted into the connect screen's address field, the https link fills in the code too.
 * Every one of them only fills in the connect screen. The rep still reads the Studio address and
 * taps Connect: a link from an e-mail or a web page cannot enrol a device into a Studio the rep
 * did not choose, because enrolling sends that Studio every meeting the rep then records.
 * Plain TypeScript on the standard URL class, so it runs in the renderer, in Node and in Electron.
 */
import { studioRules } from './connectors/studio.ts';

interface ParsedUrl {
  protocol: string;
  hostname: string;
  pathname: string;
  origin: string;
  searchParams: { get(name: string): string | null };
}
declare const URL: { new (input: string): ParsedUrl; canParse(input: string): boolean };
declare const URLSearchParams: new (init: Record<string, string>) => { toString(): string };

/** Not the app's own `pitchcase:` scheme (its pages): the system hands only these links to the app. */
export const ENROL_LINK_SCHEME = 'pitchcase-enrol';

/** What Studio's page shows and the device sends are the same code: capitals, spaces and dashes do not matter. */
export const normaliseEnrolCode = (code: string) => code.toUpperCase().replace(/[\s-]+/g, '');

const CODE_SHAPE = /^[A-Z0-9]{4,20}$/;

/** The code as Studio shows it (ABCDE-FGHJK), or null when the text is not shaped like a code. */
export function displayEnrolCode(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const code = normaliseEnrolCode(raw);
  if (!CODE_SHAPE.test(code)) return null;
  return code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

export interface EnrolLink {
  /** Studio's base address, without the `/enrol` page. */
  studioUrl: string;
  /** As Studio shows it. */
  code: string;
}

/** The app's own link for a Studio and a code; `readEnrolLink` reads it back. */
export function enrolLinkFor(link: EnrolLink): string {
  return `${ENROL_LINK_SCHEME}://connect?${new URLSearchParams({ studio: link.studioUrl, code: link.code }).toString()}`;
}

function linkOf(studioUrl: string, rawCode: string | null): EnrolLink | null {
  const code = displayEnrolCode(rawCode);
  const base = studioUrl.trim().replace(/\/+$/, '');
  if (!code || studioRules.urlProblem(base) !== null) return null;
  return { studioUrl: base, code };
}

/**
 * The Studio and code in `pitchcase-enrol://connect?studio=…&code=…` or in Studio's
 * `https://studio…/enrol?code=…`; null for anything else, a malformed code, or a Studio address
 * the connect screen would refuse (plain http off this computer, a user name in it…).
 */
export function readEnrolLink(text: string): EnrolLink | null {
  const trimmed = text.trim();
  if (trimmed.length > 4096 || !URL.canParse(trimmed)) return null;
  const url = new URL(trimmed);
  if (url.protocol === `${ENROL_LINK_SCHEME}:`) {
    // Windows and browsers may add a slash after the host: pitchcase-enrol://connect/?…
    if (url.hostname !== 'connect' || !['', '/'].includes(url.pathname)) return null;
    return linkOf(url.searchParams.get('studio') ?? '', url.searchParams.get('code'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // Studio makes its page's link at the root of its origin (studio/fleet/enrolment.ts).
  if (url.pathname !== '/enrol' && url.pathname !== '/enrol/') return null;
  return linkOf(url.origin, url.searchParams.get('code'));
}

/** The first `pitchcase-enrol:` link among a launch's arguments (how Windows hands a link to the app). */
export function enrolLinkInArguments(argv: readonly string[]): EnrolLink | null {
  const arg = argv.find((a) => a.toLowerCase().startsWith(`${ENROL_LINK_SCHEME}:`));
  return arg ? readEnrolLink(arg) : null;
}

/** The rep app's route that shows the connect screen filled in with a link's Studio and code. */
export function connectRouteHash(link: EnrolLink): string {
  return `#/connect?${new URLSearchParams({ studio: link.studioUrl, code: link.code }).toString()}`;
}
