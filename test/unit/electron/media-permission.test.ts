import { describe, expect, it } from 'vitest';
import { mediaPermissionDecision, type MediaPermissionRequest } from '../../../main/electron/media-permission.ts';

const rehearsing: MediaPermissionRequest = {
  permission: 'media',
  mediaTypes: ['audio'],
  profileKind: 'standard',
  window: 'main',
  requestingUrl: 'pitchcase://app/index.html',
  isMainFrame: true,
  pageUrl: 'pitchcase://app/index.html#/rehearse',
};

describe('mediaPermissionDecision', () => {
  it.each<[string, Partial<MediaPermissionRequest>, boolean]>([
    ['the rep records audio on the Rehearse screen', {}, true],
    ['a prompt chosen on the Rehearse screen', { pageUrl: 'pitchcase://app/index.html#/rehearse/aquacore-60s' }, true],
    ['audio and video, both asked', { mediaTypes: ['audio', 'video'] }, true],
    ['a permission check from the app origin', { requestingUrl: 'pitchcase://app' }, true],
    ['the kiosk, even on the Rehearse route', { profileKind: 'kiosk' }, false],
    ['the audience window', { window: 'audience' }, false],
    ['a window we did not open as the main one', { window: 'other' }, false],
    ['a microsite frame', { requestingUrl: 'pitchcase-site://roi-calculator/index.html', isMainFrame: false }, false],
    ['a sub-frame of the app', { isMainFrame: false }, false],
    ['main frame of unknown kind', { isMainFrame: undefined }, false],
    ['another origin', { requestingUrl: 'https://evil.example/' }, false],
    ['a look-alike origin', { requestingUrl: 'pitchcase://app.evil/index.html' }, false],
    ['the home screen', { pageUrl: 'pitchcase://app/index.html#/' }, false],
    ['the viewer', { pageUrl: 'pitchcase://app/index.html#/item/aquacore-500-brochure' }, false],
    ['a route that only starts like rehearse', { pageUrl: 'pitchcase://app/index.html#/rehearsex' }, false],
    ['no route at all', { pageUrl: 'pitchcase://app/index.html' }, false],
    ['the rehearse hash on another origin', { pageUrl: 'https://evil.example/#/rehearse' }, false],
    ['a screen share', { mediaTypes: ['audio', 'screen'] }, false],
    ['an unknown media type (check without details)', { mediaTypes: ['unknown'] }, false],
    ['no media type', { mediaTypes: [] }, false],
    ['media types that are not a list', { mediaTypes: 'audio' }, false],
    ['geolocation on the Rehearse screen', { permission: 'geolocation' }, false],
    ['notifications on the Rehearse screen', { permission: 'notifications' }, false],
  ])('%s -> %s', (_case, change, expected) => {
    expect(mediaPermissionDecision({ ...rehearsing, ...change })).toBe(expected);
  });
});
