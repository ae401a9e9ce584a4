import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from '../../../renderer/app/routes';

describe('hash routes', () => {
  it.each<[string, Route]>([
    ['', { name: 'home' }],
    ['#/', { name: 'home' }],
    ['#/nonsense/here', { name: 'home' }],
    ['#/item/aquacore-500-brochure', { name: 'item', id: 'aquacore-500-brochure', page: null }],
    ['#/item/aquacore-500-brochure/', { name: 'item', id: 'aquacore-500-brochure', page: null }],
    ['#/item/aquacore-500-brochure/page/3', { name: 'item', id: 'aquacore-500-brochure', page: 3 }],
    ['#/item/deck/page/0', { name: 'item', id: 'deck', page: null }],
    ['#/item/deck/page/abc', { name: 'item', id: 'deck', page: null }],
    ['#/item/', { name: 'home' }],
    ['#/item/%E0%A4%A', { name: 'home' }],
    ['#/glossary/qualified-lead', { name: 'glossary', id: 'qualified-lead' }],
    [
      '#/item/aquacore-500-brochure/page/2?q=twin-trian',
      { name: 'item', id: 'aquacore-500-brochure', page: 2, query: 'twin-trian' },
    ],
    ['#/item/deck?q=how+do+we+compare', { name: 'item', id: 'deck', page: null, query: 'how do we compare' }],
    ['#/item/deck/page/3?q=', { name: 'item', id: 'deck', page: 3 }],
    ['#/item/deck/page/3?other=1', { name: 'item', id: 'deck', page: 3 }],
    ['#/?q=lost', { name: 'home' }],
    ['#/sync', { name: 'sync' }],
    ['#/sync/', { name: 'sync' }],
    ['#/sync/extra', { name: 'home' }],
  ])('parses %s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('round-trips ids that need escaping', () => {
    const route: Route = { name: 'item', id: 'price sheet/2026', page: 4 };
    expect(formatRoute(route)).toBe('#/item/price%20sheet%2F2026/page/4');
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('leaves page 1 out of the address', () => {
    expect(formatRoute({ name: 'item', id: 'deck', page: 1 })).toBe('#/item/deck');
    expect(formatRoute({ name: 'home' })).toBe('#/');
    expect(formatRoute({ name: 'glossary', id: 'lead' })).toBe('#/glossary/lead');
    expect(formatRoute({ name: 'sync' })).toBe('#/sync');
  });

  it('carries the search query of a page hit, escaped', () => {
    const route: Route = { name: 'item', id: 'deck', page: 8, query: 'Café & co / 50%' };
    expect(formatRoute(route)).toBe('#/item/deck/page/8?q=Caf%C3%A9+%26+co+%2F+50%25');
    expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(formatRoute({ name: 'item', id: 'deck', page: 1, query: 'twin' })).toBe('#/item/deck?q=twin');
    expect(formatRoute({ name: 'item', id: 'deck', page: 2, query: '  ' })).toBe('#/item/deck/page/2');
  });
});

describe('the "See all" route', () => {
  it('round-trips a collection id, escaped', () => {
    const route: Route = { name: 'collection', id: 'trade show/2027' };
    expect(formatRoute(route)).toBe('#/collection/trade%20show%2F2027');
    expect(parseRoute(formatRoute(route))).toEqual(route);
    expect(parseRoute('#/collection/')).toEqual({ name: 'home' });
  });
});

describe('the connect route an enrolment link opens', () => {
  it('round-trips the Studio and the code', () => {
    const route: Route = { name: 'connect', studioUrl: 'https://studio.acme.example', code: 'ABCDE-FGHJK' };
    expect(formatRoute(route)).toBe('#/connect?studio=https%3A%2F%2Fstudio.acme.example&code=ABCDE-FGHJK');
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('goes home for a Studio or code the connect screen would refuse', () => {
    expect(parseRoute('#/connect?studio=http%3A%2F%2Fstudio.acme.example&code=ABCDE-FGHJK')).toEqual({ name: 'home' });
    expect(parseRoute('#/connect?studio=https%3A%2F%2Fstudio.acme.example&code=%3Cb%3E')).toEqual({ name: 'home' });
    expect(parseRoute('#/connect')).toEqual({ name: 'home' });
  });
});
