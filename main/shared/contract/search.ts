/** Search over the library and the glossary, and the rep's recent searches. */
import { z } from 'zod';
import { MAX_QUERY_LENGTH, type SearchRequest, type SearchResponse } from '../search.ts';
import type { ArgSchemas } from './schema.ts';
import { storableText } from './text.ts';

export interface SearchApi {
  /** Items (grouped, with their best pages and snippets) and glossary entries for a query. */
  search(arg: SearchRequest): Promise<SearchResponse>;
  /** The rep's recent searches that found something, newest first. */
  getRecentSearches(arg: { limit?: number }): Promise<string[]>;
}

const names = z.array(z.string().max(200)).max(50);

export const searchArgs = {
  search: z
    .object({
      query: storableText(MAX_QUERY_LENGTH),
      filters: z
        .object({
          kinds: names.optional(),
          products: names.optional(),
          collections: names.optional(),
          tags: names.optional(),
        })
        .strict()
        .optional(),
      limit: z.number().int().min(1).max(200).optional(),
      offset: z.number().int().min(0).max(100_000).optional(),
      record: z.boolean().optional(),
    })
    .strict(),
  getRecentSearches: z.object({ limit: z.number().int().min(1).max(50).optional() }).strict(),
} satisfies ArgSchemas<SearchApi>;
