import { createCore, stderrLog } from '#core/index';
import type { SearchResponse } from '#shared/search';
import { embeddedDemoRelease } from './paths.ts';

export interface SearchCommandOptions {
  profileDir: string;
  query: string;
  json: boolean;
  limit: number;
  kinds: string[];
  products: string[];
  collections: string[];
  tags: string[];
}

/** The JSON shape other tools rely on: one array, best first, pages numbered from 1. */
export function toJsonResults(response: SearchResponse) {
  return response.items.map((item) => ({
    id: item.id,
    title: item.title,
    kind: item.kind,
    score: item.score,
    pages: item.pages.map((p) => ({ page: p.page, snippet: p.snippet })),
  }));
}

function emphasise(snippet: string, highlights: [number, number][], tty: boolean): string {
  if (!tty) return snippet;
  let out = '';
  let at = 0;
  for (const [from, to] of highlights) {
    out += `${snippet.slice(at, from)}\u001b[1m${snippet.slice(from, to)}\u001b[22m`;
    at = to;
  }
  return out + snippet.slice(at);
}

/** `pitchcase search`: the same engine as the app, on the profile's current library. */
export async function runSearch(options: SearchCommandOptions): Promise<void> {
  const core = await createCore({
    profileDir: options.profileDir,
    shell: 'browser',
    siteBaseUrl: 'http://127.0.0.1',
    embeddedRelease: embeddedDemoRelease(),
    log: stderrLog,
  });
  try {
    const filters = {
      ...(options.kinds.length ? { kinds: options.kinds } : {}),
      ...(options.products.length ? { products: options.products } : {}),
      ...(options.collections.length ? { collections: options.collections } : {}),
      ...(options.tags.length ? { tags: options.tags } : {}),
    };
    const response = await core.api.search({ query: options.query, limit: options.limit, filters });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(toJsonResults(response))}\n`);
      return;
    }
    const tty = Boolean(process.stdout.isTTY);
    for (const g of response.glossary) process.stdout.write(`${g.term}: ${g.definition}\n\n`);
    if (response.items.length === 0) {
      process.stdout.write(`No results for "${options.query}".\n`);
      return;
    }
    response.items.forEach((item, i) => {
      process.stdout.write(`${i + 1}. ${item.title}  [${item.kind}, ${item.id}]  score ${item.score}\n`);
      for (const page of item.pages)
        process.stdout.write(`     p. ${page.page}: ${emphasise(page.snippet, page.highlights, tty)}\n`);
    });
    if (response.total > response.items.length)
      process.stdout.write(`(${response.total - response.items.length} more)\n`);
  } finally {
    core.close();
  }
}
