/** What the kiosk reads from the core: which experience to start, the booth's library, the staff counts. */
import type {
  BoothLeadList,
  ExportFolders,
  KioskConfig,
  KioskSettings,
  LeadListFilter,
  LeadStats,
} from '#shared/kiosk';
import type { ItemDetail, LibraryView } from '#shared/library';
import { useQuery } from '../data/useQuery';
import type { Query } from '../data/query';

export interface BoothLibrary {
  library: LibraryView;
  /** Read with the library, so a release that changes the attract loop changes both at once. */
  config: KioskConfig;
}

export interface StaffCounts {
  stats: LeadStats;
  retentionDays: number;
}

export const kioskQueries = {
  profile: (): Query<KioskConfig> => ({
    key: ['kiosk-config'],
    what: 'Starting Pitchcase',
    deadlineMs: 15_000,
    load: (client) => client.getKioskConfig({}),
  }),
  /** The library and the attract loop are the booth's, not a visitor's: they follow new releases. */
  booth: (): Query<BoothLibrary> => ({
    key: ['kiosk-library'],
    what: 'Loading the library',
    deadlineMs: 20_000,
    load: async (client) => {
      const [library, config] = await Promise.all([client.getLibrary({}), client.getKioskConfig({})]);
      return { library, config };
    },
    refetchOn: ['library.changed'],
  }),
  /** The attract loop's items; one that cannot be read is left out of the loop. */
  attract: (ids: readonly string[]): Query<ItemDetail[]> => ({
    key: ['attract', ...ids],
    what: 'Loading the attract loop',
    deadlineMs: 20_000,
    load: async (client) => {
      const items = await Promise.all(ids.map((id) => client.getItem({ id }).catch(() => null)));
      return items.filter((item): item is ItemDetail => item !== null);
    },
  }),
  staffCounts: (): Query<StaffCounts> => ({
    key: ['lead-stats'],
    what: 'Reading the lead counts',
    deadlineMs: 15_000,
    load: async (client) => {
      const [stats, config] = await Promise.all([client.getLeadStats({}), client.getKioskConfig({})]);
      return { stats, retentionDays: config.retentionDays };
    },
  }),
  /**
   * The staff list. A delivery run changes where leads stand: the page hears delivery.status
   * only while staff have it unlocked (the access table of events), which is when it shows.
   */
  boothLeads: (filter: LeadListFilter): Query<BoothLeadList> => ({
    key: ['booth-leads', filter],
    what: 'Reading the leads',
    deadlineMs: 15_000,
    load: (client) => client.listBoothLeads(filter),
    refetchOn: ['delivery.status'],
  }),
  exportFolders: (scan: number): Query<ExportFolders> => ({
    key: ['export-folders', scan],
    what: 'Looking for USB drives',
    deadlineMs: 15_000,
    load: (client) => client.listExportFolders({}),
  }),
  kioskSettings: (): Query<KioskSettings> => ({
    key: ['kiosk-settings'],
    what: 'Reading the kiosk settings',
    deadlineMs: 15_000,
    load: (client) => client.getKioskSettings({}),
  }),
};

export const useProfile = () => useQuery(kioskQueries.profile());
export const useBoothLibrary = () => useQuery(kioskQueries.booth());
export const useAttractItems = (ids: readonly string[]) => useQuery(kioskQueries.attract(ids));
export const useStaffCounts = () => useQuery(kioskQueries.staffCounts());
export const useBoothLeads = (filter: LeadListFilter) => useQuery(kioskQueries.boothLeads(filter));
export const useExportFolders = (scan: number | null) =>
  useQuery(scan === null ? null : kioskQueries.exportFolders(scan));
export const useKioskSettings = () => useQuery(kioskQueries.kioskSettings());
