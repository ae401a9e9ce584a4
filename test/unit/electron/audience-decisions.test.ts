import { describe, expect, it } from 'vitest';
import { apiMethods } from '#shared/contract';
import {
  audienceMayCall,
  audienceWindowAction,
  audienceWindowUrl,
  chooseScreens,
  type DisplayInfo,
} from '../../../main/electron/audience-decisions.ts';
import { parseAudienceHash } from '../../../renderer/presenting/routes.ts';

const panel: DisplayInfo = { id: 1, bounds: { x: 0, y: 0, width: 2736, height: 1824 }, internal: true };
const projector: DisplayInfo = { id: 2, bounds: { x: 2736, y: 0, width: 1920, height: 1080 }, internal: false };
const monitor: DisplayInfo = { id: 3, bounds: { x: -2560, y: 0, width: 2560, height: 1440 }, internal: false };
const smallTv: DisplayInfo = { id: 4, bounds: { x: 0, y: 1824, width: 1280, height: 720 }, internal: false };
const secondPanel: DisplayInfo = { id: 5, bounds: { x: 0, y: -1080, width: 1920, height: 1080 }, internal: true };
const mirror: DisplayInfo = { id: 6, bounds: { ...panel.bounds }, internal: false };

describe('chooseScreens: which display for the rep, which for the audience', () => {
  it.each<[string, DisplayInfo[], number | null, number | null, { rep: number | null; audience: number | null }]>([
    ['no display at all', [], null, null, { rep: null, audience: null }],
    ['the tablet alone: no audience screen', [panel], 1, null, { rep: 1, audience: null }],
    ['tablet + projector: the projector', [panel, projector], 1, null, { rep: 1, audience: 2 }],
    ['listed the other way round: the same', [projector, panel], 1, null, { rep: 1, audience: 2 }],
    ['rep window on the projector: the audience gets the panel', [panel, projector], 2, null, { rep: 2, audience: 1 }],
    ['two external displays: the larger one', [panel, projector, monitor], 1, null, { rep: 1, audience: 3 }],
    [
      'same size externals: the first the OS lists',
      [panel, smallTv, { ...smallTv, id: 7, bounds: { ...smallTv.bounds, x: 5000 } }],
      1,
      null,
      { rep: 1, audience: 4 },
    ],
    [
      'an external before a larger second internal panel',
      [panel, secondPanel, smallTv],
      1,
      null,
      { rep: 1, audience: 4 },
    ],
    ['two internal panels: the other one', [panel, secondPanel], 1, null, { rep: 1, audience: 5 }],
    ['a mirror of the rep display is not a second screen', [panel, mirror], 1, null, { rep: 1, audience: null }],
    ['a mirror plus a projector: the projector', [panel, mirror, projector], 1, null, { rep: 1, audience: 2 }],
    ['rep display unknown: the internal panel is the rep', [projector, panel], null, null, { rep: 1, audience: 2 }],
    [
      'rep display just went away: the internal panel is the rep',
      [panel, projector],
      99,
      null,
      { rep: 1, audience: 2 },
    ],
    ['no internal panel: the first display is the rep', [projector, monitor], null, null, { rep: 2, audience: 3 }],
    [
      'a third display plugged in: the audience stays where it is',
      [panel, projector, monitor],
      1,
      2,
      { rep: 1, audience: 2 },
    ],
    ['the audience display went away: the next best', [panel, monitor], 1, 2, { rep: 1, audience: 3 }],
    [
      'the rep moved onto the audience display: the audience moves off it',
      [panel, projector],
      2,
      2,
      { rep: 2, audience: 1 },
    ],
  ])('%s', (_label, displays, repDisplayId, currentAudienceId, expected) => {
    expect(chooseScreens(displays, repDisplayId, currentAudienceId)).toEqual(expected);
  });
});

describe('audienceWindowAction: the audience window as displays come and go', () => {
  it.each<
    [
      string,
      { displays: DisplayInfo[]; repDisplayId: number | null; audienceDisplayId: number | null; presenting: boolean },
      ReturnType<typeof audienceWindowAction>,
    ]
  >([
    [
      'presenting starts on the tablet alone: nothing, the rep presents on their screen',
      { displays: [panel], repDisplayId: 1, audienceDisplayId: null, presenting: true },
      { action: 'none' },
    ],
    [
      'presenting starts with a projector: open it there',
      { displays: [panel, projector], repDisplayId: 1, audienceDisplayId: null, presenting: true },
      { action: 'open', display: 2 },
    ],
    [
      'a projector is plugged in mid-presentation: open',
      { displays: [panel, projector], repDisplayId: 1, audienceDisplayId: null, presenting: true },
      { action: 'open', display: 2 },
    ],
    [
      'nothing changed: keep',
      { displays: [panel, projector], repDisplayId: 1, audienceDisplayId: 2, presenting: true },
      { action: 'keep', display: 2 },
    ],
    [
      'a third display is plugged in: keep',
      { displays: [panel, projector, monitor], repDisplayId: 1, audienceDisplayId: 2, presenting: true },
      { action: 'keep', display: 2 },
    ],
    [
      'the projector is unplugged, a monitor is left: move',
      { displays: [panel, monitor], repDisplayId: 1, audienceDisplayId: 2, presenting: true },
      { action: 'move', display: 3 },
    ],
    [
      'the projector is unplugged, the tablet alone: close, presenting goes on for the rep',
      { displays: [panel], repDisplayId: 1, audienceDisplayId: 2, presenting: true },
      { action: 'close' },
    ],
    [
      'the display switched to mirroring: close',
      { displays: [panel, mirror], repDisplayId: 1, audienceDisplayId: 2, presenting: true },
      { action: 'close' },
    ],
    [
      'the presentation ended: close',
      { displays: [panel, projector], repDisplayId: 1, audienceDisplayId: 2, presenting: false },
      { action: 'close' },
    ],
    [
      'no presentation, a display is plugged in: nothing',
      { displays: [panel, projector], repDisplayId: 1, audienceDisplayId: null, presenting: false },
      { action: 'none' },
    ],
  ])('%s', (_label, situation, expected) => {
    expect(audienceWindowAction(situation)).toEqual(expected);
  });
});

describe('audienceMayCall: the audience window only reads what it shows', () => {
  it('allows the state it follows and the items it shows', () => {
    expect(audienceMayCall('getAudienceState')).toBe(true);
    expect(audienceMayCall('getItem')).toBe(true);
  });

  it('refuses publishing a state and every other method', () => {
    const allowed = apiMethods.filter((method) => audienceMayCall(method));
    expect(allowed.sort()).toEqual(['getAudienceState', 'getItem']);
    for (const method of [
      'showToAudience',
      'savePitch',
      'recordActivity',
      'exportLeadsCsv',
      'updateDeliverySettings',
    ] as const) {
      expect(audienceMayCall(method)).toBe(false);
    }
  });
});

describe('audienceWindowUrl', () => {
  it.each(['0f8e2c1a-77aa-4c1e-9d1e-3f6b2a9c0d11', 'a b/c?d#e'])(
    'is the renderer audience route of session %j on the app origin',
    (sessionId) => {
      const url = audienceWindowUrl(sessionId);
      expect(url.startsWith('pitchcase://app/index.html#/audience/')).toBe(true);
      expect(parseAudienceHash(new URL(url).hash)).toBe(sessionId);
    },
  );
});
