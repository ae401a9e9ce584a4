/** The search capability's slice of the contract. */
import type { SearchApi } from '#shared/contract';
import type { SearchCapability } from './index.ts';

export function searchHandlers(search: SearchCapability): SearchApi {
  return {
    async search(request) {
      return search.search(request);
    },
    async getRecentSearches({ limit }) {
      return search.recent(limit ?? 8);
    },
  };
}
