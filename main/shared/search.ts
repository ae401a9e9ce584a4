/** Search as the UI and the CLI see it. */
import type { ItemSummary } from './library.ts';

/** Longest query searched: a long question pasted from an e-mail fits. */
export const MAX_QUERY_LENGTH = 2000;

export interface SearchFilters {
  /** Viewer kinds (pdf, image, video, microsite) or categories (brochure, price-sheet...). */
  kinds?: string[];
  products?: string[];
  collections?: string[];
  tags?: string[];
}

export interface SearchRequest {
  query: string;
  filters?: SearchFilters;
  limit?: number;
  /** Results to skip, for the next page of the same query. */
  offset?: number;
  /**
   * The rep settled on this query (pressed Enter, opened a result, paused): log it for recent
   * searches and, when it found nothing, for marketing.
   */
  record?: boolean;
}

export interface SearchPageHit {
  /** 1-based page number. */
  page: number;
  score: number;
  snippet: string;
  /** [start, end) ranges of `snippet` that match the query. */
  highlights: [number, number][];
  /** The slide's title, for a page of a presentation. */
  title?: string;
}

export interface SearchItemHit {
  id: string;
  title: string;
  kind: string;
  score: number;
  matchedAll: boolean;
  pages: SearchPageHit[];
  /** The item as cards show it (cover, category, pages), so results need no second request. */
  summary?: ItemSummary;
}

export interface SearchGlossaryHit {
  id: string;
  term: string;
  definition: string;
}

export interface SearchResponse {
  query: string;
  items: SearchItemHit[];
  glossary: SearchGlossaryHit[];
  total: number;
  /** Completions of the word being typed. */
  suggestions: string[];
}
