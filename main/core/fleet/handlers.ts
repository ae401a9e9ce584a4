/** The fleet capability's slice of the contract. */
import type { FleetApi } from '#shared/contract';
import type { Fleet } from './index.ts';

export function fleetHandlers(fleet: Fleet, ctx: { afterEnrol(): void }): FleetApi {
  return {
    async getFleetStatus() {
      return fleet.status();
    },
    async enrolDevice(request) {
      const status = await fleet.enrol(request);
      ctx.afterEnrol();
      return status;
    },
    async skipFleetConnect() {
      return fleet.skipConnect();
    },
    async disconnectFromStudio() {
      return fleet.disconnect();
    },
    async syncFleetNow() {
      return fleet.sync({ retryNow: true });
    },
    async getRecordsAboutMe({ limit }) {
      return fleet.recordsAboutMe(limit ?? 30);
    },
  };
}
