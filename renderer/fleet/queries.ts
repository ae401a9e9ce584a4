/**
 * What the fleet screens read from the core: enrolment and uploads to Studio, and what is
 * recorded about the rep. `fleet.changed` carries only flags (every window hears it, a kiosk
 * visitor's too), so it means "read again".
 */
import type { FleetStatus, RecordsAboutMe } from '#shared/contract/fleet';
import type { Query } from '../data/query';
import { useQuery } from '../data/useQuery';

export const fleetQueries = {
  status: (): Query<FleetStatus> => ({
    key: ['fleet-status'],
    what: 'Reading the connection to your company',
    deadlineMs: 15_000,
    load: (client) => client.getFleetStatus({}),
    refetchOn: ['fleet.changed', 'delivery.status'],
  }),
  recordsAboutMe: (): Query<RecordsAboutMe> => ({
    key: ['records-about-me'],
    what: 'Reading what Pitchcase records',
    deadlineMs: 15_000,
    load: (client) => client.getRecordsAboutMe({ limit: 30 }),
    refetchOn: ['fleet.changed', 'delivery.status'],
  }),
};

export const useFleetStatus = () => useQuery(fleetQueries.status());
export const useRecordsAboutMe = () => useQuery(fleetQueries.recordsAboutMe());
