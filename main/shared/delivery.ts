/**
 * What a delivery destination must look like, checked the same way by the settings screen (to
 * show a message beside the field), the API boundary, the core and `pitchcase delivery settings`.
 * The rules themselves are the connectors' (main/shared/connectors); the kinds of record are here.
 */
import type { DeliveryKind } from './sync.ts';
import type { DeliveryProblem } from './connectors/rules.ts';

export const deliveryKinds: readonly DeliveryKind[] = ['lead', 'meeting', 'event'];

export const deliveryKindLabels: Record<DeliveryKind, string> = {
  lead: 'Leads',
  meeting: 'Meetings and follow-ups',
  event: 'Activity',
};

export function isDeliveryKind(value: unknown): value is DeliveryKind {
  return typeof value === 'string' && (deliveryKinds as readonly string[]).includes(value);
}

/** "Leads: the webhook URL must start with https://…": one line naming the kind. */
export function problemLine(problem: DeliveryProblem): string {
  return `${deliveryKindLabels[problem.kind]}: ${problem.message}`;
}

// What addresses and secrets must look like, and the connectors' rules, under the names callers know.
export {
  DEFAULT_EXTERNAL_ID_FIELD,
  DEFAULT_SALESFORCE_API_VERSION,
  DEFAULT_SALESFORCE_TOKEN_URL,
  endpointUrlProblem,
  folderPathProblem,
  hostOf,
  isLoopbackHost,
  MAX_FOLDER_PATH,
  originOf,
  secretProblem,
} from './connectors/addresses.ts';
// The connectors' rules answer for validation and secrets; these names stay here for callers.
export {
  endpointProblems,
  keptSecrets,
  noKeptSecrets,
  type DeliveryProblem,
  type KeptSecrets,
} from './connectors/index.ts';
