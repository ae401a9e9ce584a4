import type { CrmCacheStatus, CrmImportRecord, CrmSearchRequest, CrmSearchResult } from '#shared/crm';
import { PitchcaseError } from '#shared/result';
import type { SalesforceEndpoint } from '../outbox/index.ts';
import { openStorage, type ReadDb, type WriteDb } from '../storage/database.ts';
import type { Clock, Log } from '../types.ts';
import { readSalesforceRecords } from './salesforce.ts';
import { mergeRecords, recordCounts, recordFailure, replaceSource, searchRecords, sourceStatuses } from './store.ts';

export { parseCrmCsv, parseCrmFile, parseCrmJson } from './import-file.ts';
export { salesforceQueries } from './salesforce.ts';

/** A cache from Salesforce is refreshed this often while the app runs with a network. */
export const CRM_REFRESH_EVERY_MS = 4 * 3_600_000;
/** After a failed refresh (offline, token expired), the next attempt waits this long. */
export const CRM_RETRY_AFTER_MS = 15 * 60_000;

export interface CrmOptions {
  db: WriteDb;
  read: ReadDb;
  clock: Clock;
  log: Log;
  /** The Salesforce connector, when one is configured. */
  salesforce(): SalesforceEndpoint | null;
  /**
   * A kiosk never fills the cache from Salesforce: it logs no meetings, and a visitor must not
   * be one tap from CRM contacts.
   */
  kiosk?: boolean;
  /**
   * Before a background refresh: get the connector a token if it has none yet (refresh-only
   * credentials and nothing delivered so far would otherwise leave the cache waiting).
   */
  beforeRefresh?(): Promise<void>;
  /** Called after the cache changed (the picker's "cached <when>"). */
  onChanged?(status: CrmCacheStatus): void;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

/**
 * The CRM cache: accounts, contacts and opportunities on the device, so the wrap-up can pick
 * them offline. Filled from Salesforce REST in the background, or from a file exported from
 * another CRM (`pitchcase crm import`).
 */
export function createCrm(settings: CrmOptions) {
  const options: CrmOptions = settings.kiosk ? { ...settings, salesforce: () => null } : settings;
  let refreshing: Promise<CrmCacheStatus> | null = null;

  function status(): CrmCacheStatus {
    const sources = sourceStatuses(options.read).map(({ attemptedAt: _attemptedAt, ...s }) => s);
    const cachedAt = sources.reduce<string | null>(
      (newest, s) => (s.cachedAt && (!newest || s.cachedAt > newest) ? s.cachedAt : newest),
      null,
    );
    return {
      counts: recordCounts(options.read),
      cachedAt,
      sources,
      salesforceConfigured: options.salesforce() !== null,
    };
  }

  async function refreshFrom(endpoint: SalesforceEndpoint): Promise<CrmCacheStatus> {
    const startedAt = options.clock.now().toISOString();
    try {
      const { records, skipped } = await readSalesforceRecords(endpoint, {
        ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      replaceSource(options.db, 'salesforce', records, options.clock.now().toISOString());
      options.log.info('CRM cache refreshed from Salesforce', { records: records.length, skipped });
    } catch (error) {
      const message = (error as Error).message;
      recordFailure(options.db, 'salesforce', startedAt, message);
      options.log.warn('CRM cache not refreshed from Salesforce', { reason: message });
      // The status changed too (its last error): whoever shows it hears of it.
      options.onChanged?.(status());
      throw new PitchcaseError('refused', `The CRM cache could not be refreshed from Salesforce: ${message}`);
    }
    const next = status();
    options.onChanged?.(next);
    return next;
  }

  /** One refresh at a time; a caller arriving during one shares it. */
  function refreshShared(endpoint: SalesforceEndpoint): Promise<CrmCacheStatus> {
    refreshing ??= refreshFrom(endpoint).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  return {
    status,

    search(request: CrmSearchRequest): CrmSearchResult {
      const records = searchRecords(
        options.read,
        request.kind,
        request.query,
        request.accountId ?? null,
        request.limit ?? 8,
      );
      return { records, cachedAt: status().cachedAt };
    },

    /** Records from a file: added or updated, or (replace) instead of the previous file's. */
    importRecords(records: readonly CrmImportRecord[], replace: boolean): CrmCacheStatus {
      const at = options.clock.now().toISOString();
      if (replace) replaceSource(options.db, 'file', records, at);
      else mergeRecords(options.db, 'file', records, at);
      const next = status();
      options.onChanged?.(next);
      return next;
    },

    /** From Salesforce now (the picker's "Refresh"); fails when it is not configured or unreachable. */
    refresh(): Promise<CrmCacheStatus> {
      const endpoint = options.salesforce();
      if (!endpoint)
        return Promise.reject(
          new PitchcaseError(
            'refused',
            'No Salesforce connector is configured: import accounts, contacts and opportunities from a file instead',
          ),
        );
      return refreshShared(endpoint);
    },

    /**
     * The background's turn (with delivery, when a network is there): refreshes from Salesforce
     * when the cache is older than CRM_REFRESH_EVERY_MS, waiting CRM_RETRY_AFTER_MS after a
     * failure. Never throws; says whether it refreshed.
     */
    async refreshIfDue(): Promise<boolean> {
      const endpoint = options.salesforce();
      if (!endpoint) return false;
      const now = options.clock.now().getTime();
      const source = sourceStatuses(options.read).find((s) => s.source === 'salesforce');
      const last = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);
      if (now - last(source?.cachedAt) < CRM_REFRESH_EVERY_MS) return false;
      if (source?.lastError && now - last(source.attemptedAt) < CRM_RETRY_AFTER_MS) return false;
      try {
        await options.beforeRefresh?.();
        // Asked again: the token may be new now.
        await refreshShared(options.salesforce() ?? endpoint);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type Crm = ReturnType<typeof createCrm>;
export { crmHandlers } from './handlers.ts';

/**
 * Records from another CRM's export into a profile's cache, for `pitchcase crm import`: opens
 * the profile's database only for this, and leaves it closed. A bad file changes nothing.
 */
export function importIntoProfile(
  dbFile: string,
  records: readonly CrmImportRecord[],
  replace: boolean,
  clock: Clock,
  log: Log,
): CrmCacheStatus {
  const storage = openStorage(dbFile);
  try {
    return createCrm({ db: storage.write, read: storage.read, clock, log, salesforce: () => null }).importRecords(
      records,
      replace,
    );
  } finally {
    storage.close();
  }
}
