import { describe, expect, it } from 'vitest';
import {
  connectRouteHash,
  displayEnrolCode,
  enrolLinkFor,
  enrolLinkInArguments,
  readEnrolLink,
} from '#shared/enrol-link';

describe('enrolment links', () => {
  it('reads back the app link it makes, with the code as Studio shows it', () => {
    const link = { studioUrl: 'https://studio.acme.example/pitchcase', code: 'ABCDE-FGHJK' };
    expect(readEnrolLink(enrolLinkFor(link))).toEqual(link);
    expect(enrolLinkFor(link)).toMatch(/^pitchcase-enrol:\/\/connect\?/);
  });

  it.each([
    [
      'pitchcase-enrol://connect?studio=https%3A%2F%2Fstudio.acme.example&code=abcde-fghjk',
      'https://studio.acme.example',
    ],
    // Windows and browsers may add a slash after the host.
    [
      'pitchcase-enrol://connect/?studio=https%3A%2F%2Fstudio.acme.example%2F&code=ABCDEFGHJK',
      'https://studio.acme.example',
    ],
    // Studio's own page, pasted into the address field.
    ['https://studio.acme.example/enrol?code=ABCDE-FGHJK', 'https://studio.acme.example'],
    ['https://studio.acme.example/enrol/?code=abcde fghjk', 'https://studio.acme.example'],
    // Plain http only for this computer, as the connect screen allows.
    ['http://127.0.0.1:4100/enrol?code=ABCDE-FGHJK', 'http://127.0.0.1:4100'],
  ])('%s names %s', (text, studioUrl) => {
    expect(readEnrolLink(text)).toEqual({ studioUrl, code: 'ABCDE-FGHJK' });
  });

  it.each([
    ['not a link', 'hello'],
    ['another page of Studio', 'https://studio.acme.example/api/fleet/enrol?code=ABCDE-FGHJK'],
    ['no code', 'https://studio.acme.example/enrol'],
    ['a page under another path', 'https://acme.example/files/enrol?code=ABCDE-FGHJK'],
    ['a code that is not shaped like one', 'https://studio.acme.example/enrol?code=%3Cscript%3E'],
    ['another app action', 'pitchcase-enrol://present?studio=https%3A%2F%2Fstudio.acme.example&code=ABCDE-FGHJK'],
    [
      'a path after the action',
      'pitchcase-enrol://connect/x?studio=https%3A%2F%2Fstudio.acme.example&code=ABCDE-FGHJK',
    ],
    ['no Studio', 'pitchcase-enrol://connect?code=ABCDE-FGHJK'],
    [
      'plain http off this computer',
      'pitchcase-enrol://connect?studio=http%3A%2F%2Fstudio.acme.example&code=ABCDE-FGHJK',
    ],
    ['a script for a Studio', 'pitchcase-enrol://connect?studio=javascript%3Aalert(1)&code=ABCDE-FGHJK'],
    [
      'a password in the Studio address',
      'pitchcase-enrol://connect?studio=https%3A%2F%2Fa%3Ab%40studio.example&code=ABCDE-FGHJK',
    ],
    ['a file address', 'file:///C:/enrol?code=ABCDE-FGHJK'],
    ["the app's own pages", 'pitchcase://connect?studio=https%3A%2F%2Fstudio.acme.example&code=ABCDE-FGHJK'],
  ])('refuses %s', (_what, text) => {
    expect(readEnrolLink(text)).toBeNull();
  });

  it('finds the link among the arguments Windows launches the app with', () => {
    const link = { studioUrl: 'https://studio.acme.example', code: 'ABCDE-FGHJK' };
    expect(enrolLinkInArguments(['C:\\Pitchcase\\Pitchcase.exe', '--', enrolLinkFor(link)])).toEqual(link);
    expect(enrolLinkInArguments(['C:\\Pitchcase\\Pitchcase.exe', '--kiosk'])).toBeNull();
    expect(enrolLinkInArguments(['Pitchcase.exe', 'pitchcase-enrol://connect?code=ABCDE-FGHJK'])).toBeNull();
  });

  it('shows codes as Studio does and echoes nothing else', () => {
    expect(displayEnrolCode('abcde fghjk')).toBe('ABCDE-FGHJK');
    expect(displayEnrolCode('ab12')).toBe('AB12');
    expect(displayEnrolCode('a<b>c')).toBeNull();
    expect(displayEnrolCode(undefined)).toBeNull();
  });

  it('makes the connect route the rep app opens', () => {
    expect(connectRouteHash({ studioUrl: 'https://studio.acme.example', code: 'ABCDE-FGHJK' })).toBe(
      '#/connect?studio=https%3A%2F%2Fstudio.acme.example&code=ABCDE-FGHJK',
    );
  });
});
