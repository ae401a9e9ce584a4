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
  });
});
