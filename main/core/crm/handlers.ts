/** The CRM cache's slice of the contract. */
import type { CrmApi } from '#shared/contract';
import type { Crm } from './index.ts';

export function crmHandlers(crm: Crm, ctx: { primeToken(): Promise<void> }): CrmApi {
  return {
    async searchCrm(request) {
      return crm.search(request);
    },
    async getCrmCache() {
      return crm.status();
    },
    async refreshCrmCache() {
      await ctx.primeToken();
      return crm.refresh();
    },
  };
}
