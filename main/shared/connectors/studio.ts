/**
 * Studio as a destination of the outbox. Unlike a webhook, Salesforce or a folder, it is never
 * chosen on "Where records go": enrolment sets it up (the code is the only thing typed), it
 * takes every kind of record alongside whatever CRM the other destinations feed, and its one
 * secret is the device credential Studio issued. What the settings screen, the CLI and the core
 * need to know about it without I/O lives here.
 */
import { FLEET_KINDS, type FleetKind } from '../fleet.ts';
import { endpointUrlProblem, hostOf, originOf } from './addresses.ts';

export const studioRules = {
  type: 'studio',
  label: 'Your company (Studio)',
  /** Every kind the fleet contract names goes to Studio. */
  takes: (kind: string): kind is FleetKind => (FLEET_KINDS as readonly string[]).includes(kind),
  secrets: ['deviceCredential'] as const,
  /** The credential is only ever sent to the origin of the Studio the device enrolled with. */
  origins: (endpoint: { studioUrl: string }) => [originOf(endpoint.studioUrl.trim())] as const,
  /** Why the Studio address typed on the connect screen (or given to the CLI) cannot be used. */
  urlProblem: (value: string) => endpointUrlProblem(value, 'Studio address'),
  summary: (view: { studioUrl: string; revoked: boolean }) => ({
    title: `Studio · ${hostOf(view.studioUrl)}`,
    detail: view.revoked ? 'Disconnected by your company' : 'Every record, with this device’s identity',
  }),
  line: (view: { studioUrl: string; revoked: boolean }) =>
    `studio ${view.studioUrl}${view.revoked ? ' (disconnected by your company)' : ''}`,
} as const;
