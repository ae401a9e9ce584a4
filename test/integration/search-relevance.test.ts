import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '#core/index';
import { buildDemo } from '#publish/demo/build';
import { tempDir } from '../support/release.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What reps actually type, against the demo library: product names, half-remembered titles,
 * phrases from inside a deck, touch-keyboard typos, glossary terms. Each expects an item in the
 * top 3 and, where the phrase lives on one page, that page as the item's best hit.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
let core: Core;
const profile = tempDir('pitchcase-relevance-');

beforeAll(async () => {
  await buildDemo();
  const releaseDir = path.join(repoRoot, 'build', 'demo-release');
  core = await createCore({
    profileDir: profile.dir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    embeddedRelease: { dir: releaseDir, publicKeyPem: readFileSync(path.join(releaseDir, 'public.pem'), 'utf8') },
  });
}, 60_000);

afterAll(() => {
  core?.close();
  profile.cleanup();
});

const items: [query: string, item: string, page?: number][] = [
  // Competitive questions, with and without typos.
  ['comparsion', 'competitive-comparison'],
  ['comparsion hydramax', 'competitive-comparison'],
  ['how do you compare with hydramax', 'competitive-comparison'],
  ['hydarmax', 'competitive-comparison'],
  ['clearstream cheaper', 'competitive-comparison', 2],
  ['objection handling', 'competitive-comparison'],
  ['bigger name', 'competitive-comparison', 2],
  ['battlecard', 'competitive-comparison'],
  // Products and phrases from inside the brochures.
  ['twin train', 'aquacore-500-brochure'],
  ['twin-trian', 'aquacore-500-brochure'],
  ['clean-in-place', 'aquacore-500-brochure'],
  ['salt rejection 98.5', 'aquacore-500-brochure', 4],
  ['twelve thousand litres', 'aquacore-500-brochure', 1],
  ['survey to first litre', 'aquacore-500-brochure', 6],
  ['multimedia filter backwash', 'aquacore-500-brochure', 3],
  ['batch rejections breweries', 'aquacore-500-brochure', 2],
  ['what 500 litres per hour really costs', 'aquacore-500-brochure', 5],
  ['uv-c polishing', 'aquacore-200-brochure', 1],
  ['sediment filter', 'aquacore-200-brochure', 2],
  ['aquacore 200 technical data', 'aquacore-200-brochure', 3],
  ['aquacor 200 specifications', 'aquacore-200-brochure'],
  ['revrese osmosis', 'aquacore-200-brochure'],
  // The FlowSense deck, slide by slide.
  ['predictive maintenance', 'flowsense-overview-deck'],
  ['traffic-light status', 'flowsense-overview-deck', 4],
  ['leak detected', 'flowsense-overview-deck', 5],
  ['tamper-evident log', 'flowsense-overview-deck', 7],
  ['iso 22000', 'flowsense-overview-deck', 7],
  ['how flowsense compares', 'flowsense-overview-deck', 8],
  ['free 60-day trial', 'flowsense-overview-deck', 10],
  ['flowsnese', 'flowsense-overview-deck'],
  ['longer average filter life', 'flowsense-overview-deck', 6],
  // Prices and plans.
  ['price list', 'price-sheet-2026'],
  ['FS-FLEET', 'price-sheet-2026', 2],
  ['prcie sheet', 'price-sheet-2026'],
  ['purelink premier', 'purelink-service-plans'],
  ['which plan fits', 'purelink-service-plans', 2],
  ['uptime guarantee', 'purelink-service-plans'],
  // Customer stories.
  ['marston brewery', 'case-study-marston-brewery'],
  ['sulphate chloride ratio', 'case-study-marston-brewery', 2],
  ['pale ale', 'case-study-marston-brewery', 2],
  ['port of kessling', 'case-study-port-of-kessling'],
  ['vessel water delays', 'case-study-port-of-kessling', 3],
  ['ships waiting for water', 'case-study-port-of-kessling', 2],
  ['kesling', 'case-study-port-of-kessling'],
  // Media and the microsite.
  ['roi calculator', 'roi-calculator'],
  ['payback', 'roi-calculator'],
  ['installation diagram', 'installation-diagram'],
  ['product illustration', 'aquacore-500-photo'],
  ['trade show banner', 'trade-show-banner'],
  ['flowsense tour', 'flowsense-tour'],
];

const glossary: [query: string, id: string][] = [
  ['qualified lead', 'qualified-lead'],
  ['qualifed lead', 'qualified-lead'],
  ['distributor', 'distributor'],
  ['reseller', 'reseller'],
  ['opportunity', 'opportunity'],
  ['account type', 'account-type'],
];

describe('search relevance on the demo library', () => {
  it('has at least 40 cases', () => {
    expect(items.length + glossary.length).toBeGreaterThanOrEqual(40);
  });

  it.each(items)('%j finds %s in the top 3 (page %s)', async (query, expected, page) => {
    const response = await core.api.search({ query, limit: 10 });
    const top = response.items.slice(0, 3).map((i) => i.id);
    expect(top, `top 3: ${top.join(', ')}`).toContain(expected);
    if (page !== undefined) {
      const hit = response.items.find((i) => i.id === expected)!;
      expect(hit.pages[0]?.page, `pages: ${JSON.stringify(hit.pages.map((p) => p.page))}`).toBe(page);
    }
  });

  it.each(glossary)('%j answers with the definition of %s', async (query, id) => {
    const response = await core.api.search({ query, limit: 10 });
    expect(response.glossary.map((g) => g.id)).toContain(id);
  });

  it('answers the competitor question with the comparison first, whatever form of "compare" is used', async () => {
    for (const query of ['how do we compare with hydramax', 'hydramax comparison', 'compared to clearstream']) {
      expect((await core.api.search({ query, limit: 5 })).items[0]?.id, query).toBe('competitive-comparison');
    }
  });

  it('finds the same item as each letter is typed, once the word is recognisable', async () => {
    const query = 'twin-trian';
    for (let n = 5; n <= query.length; n++) {
      const response = await core.api.search({ query: query.slice(0, n), limit: 5 });
      expect(
        response.items.map((i) => i.id),
        query.slice(0, n),
      ).toContain('aquacore-500-brochure');
    }
  });
});
