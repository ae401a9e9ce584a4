import type {
  CodeView,
  CreatedCode,
  DeviceView,
  ForwardingKind,
  ForwardingOverview,
  ForwardView,
} from '#shared/studio-fleet';
import type { ConnectionTestResult, EndpointSettings, EndpointView } from '#shared/sync';
import { call } from '../api.ts';

/** The fleet's part of Studio's API, as the UI calls it (its answers' types are in #shared/studio-fleet). */
export type Cell = string | number | null;
export interface Column {
  key: string;
  label: string;
  kind?: 'number' | 'text' | 'date' | 'ms';
}
export interface Table {
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}
export interface Dashboard {
  generatedAt: string;
  currentRelease?: number | null;
  tables: Record<string, Table>;
}

export interface FilterChoices {
  teams: string[];
  regions: string[];
  /** Reps' e-mails. */
  reps: string[];
}

export type DashboardName = 'content' | 'pages' | 'unused' | 'search-gaps' | 'readiness' | 'team' | 'booths';

export type CodeRequest =
  | { kind: 'rep'; name: string; email: string; team: string; region: string | null; expiresInHours: number }
  | { kind: 'booth'; event: string; team: string | null; expiresInHours: number };

const query = (args: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(args).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));

export const dashboardUrl = (name: DashboardName, args: Record<string, string | undefined>) =>
  `/api/fleet/dashboards/${name}?${query(args).toString()}`;

export const fleetApi = {
  dashboard: (name: DashboardName, args: Record<string, string | undefined>) =>
    call<Dashboard>('GET', dashboardUrl(name, args)),
  /** The teams, regions and reps devices were enrolled with (a manager's own), for the filters' suggestions. */
  choices: () => call<FilterChoices>('GET', '/api/fleet/choices'),
  codes: () => call<CodeView[]>('GET', '/api/fleet/codes'),
  createCode: (args: CodeRequest) => call<CreatedCode>('POST', '/api/fleet/codes', args),
  devices: () => call<DeviceView[]>('GET', '/api/fleet/devices'),
  managers: () =>
    call<{ id: string; name: string; email: string; team: string | null }[]>('GET', '/api/fleet/managers'),
  assignTeam: (user: string, team: string) =>
    call<{ id: string; team: string }>('PUT', `/api/fleet/managers/${encodeURIComponent(user)}`, { team }),
  forwarding: () => call<ForwardingOverview>('GET', '/api/forwarding'),
  saveForwarding: (change: Partial<Record<ForwardingKind, EndpointSettings | null>>) =>
    call<Record<ForwardingKind, EndpointView | null>>('PUT', '/api/forwarding', change),
  testForwarding: (kind: ForwardingKind, endpoint?: EndpointSettings) =>
    call<ConnectionTestResult>('POST', '/api/forwarding/test', endpoint ? { kind, endpoint } : { kind }),
  retryForwarding: () => call<{ sent: number; failed: number }>('POST', '/api/forwarding/retry', {}),
  forwards: () => call<ForwardView[]>('GET', '/api/forwarding/records?limit=200'),
  revoke: (id: string) => call<{ id: string }>('POST', `/api/fleet/devices/${encodeURIComponent(id)}/revoke`, {}),
};
