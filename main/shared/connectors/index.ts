/**
 * The connectors the app knows, by type: the one list a new connector (HubSpot, Dynamics) is
 * added to, beside its rules file here and its transport in the core's outbox/connectors.
 */
import { z } from 'zod';
import type { DeliveryKind, DeliverySettings, EndpointSettings, EndpointView } from '../sync.ts';
import { folderRules } from './folder.ts';
import { noKeptSecrets, type ConnectorRules, type DeliveryProblem, type KeptSecrets } from './rules.ts';
import { salesforceRules } from './salesforce.ts';
import { webhookRules } from './webhook.ts';

export type ConnectorType = EndpointSettings['type'];

export const connectorRules: { readonly [K in ConnectorType]: ConnectorRules<K> } = {
  webhook: webhookRules,
  salesforce: salesforceRules,
  folder: folderRules,
};

/** The rules of a connector type, typed loosely for code that holds any endpoint. */
export function rulesOf(type: ConnectorType): ConnectorRules {
  return connectorRules[type] as unknown as ConnectorRules;
}

/** Connector types a kind of record can go to, in the order the screen offers them. */
export function connectorsFor(kind: DeliveryKind): ConnectorType[] {
  return (Object.keys(connectorRules) as ConnectorType[]).filter((type) => rulesOf(type).takes(kind));
}

/** The settings of any of these connectors, told apart by their type (a wrong one is named). */
function settingsOf(types: readonly ConnectorType[]) {
  const [first, ...rest] = types.map(
    (type) => rulesOf(type).settings as unknown as z.ZodObject<{ type: z.ZodLiteral<string> }>,
  );
  return z.discriminatedUnion('type', [first!, ...rest]);
}

/** Endpoint settings where they enter the core; the connectors activity can go to, for it. */
export const endpointSettingsSchema = settingsOf(
  Object.keys(connectorRules) as ConnectorType[],
) as unknown as z.ZodType<EndpointSettings>;
export const activityEndpointSchema = settingsOf(connectorsFor('event')) as unknown as z.ZodType<
  NonNullable<DeliverySettings['event']>
>;

/**
 * Every problem of one kind's destination. `kept` says which secrets the core would keep from
 * the stored settings (the screen knows from the settings it read); without it only the form
 * of each field is checked, not whether the connector ends up with the credentials it needs.
 */
export function endpointProblems(
  kind: DeliveryKind,
  endpoint: EndpointSettings,
  kept?: KeptSecrets,
): DeliveryProblem[] {
  const problems: DeliveryProblem[] = [];
  const add = (field: string, message: string | null) => {
    if (message) problems.push({ kind, field, message });
  };
  rulesOf(endpoint.type).problems(kind, endpoint, add, kept);
  return problems;
}

function sameOrigins(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((origin, i) => origin !== null && origin === b[i]);
}

/**
 * The stored secrets a change keeps: only for the same connector type at the same origins, and
 * then every secret that is stored. Anything else keeps none: moving a host drops them all.
 */
export function keptSecrets(
  stored: { type: ConnectorType } | null | undefined,
  had: Partial<KeptSecrets>,
  change: EndpointSettings | EndpointView,
): KeptSecrets {
  if (!stored || stored.type !== change.type) return noKeptSecrets;
  const rules = rulesOf(change.type);
  if (!sameOrigins(rules.origins(stored as never), rules.origins(change as never))) return noKeptSecrets;
  const kept: KeptSecrets = { ...noKeptSecrets };
  for (const name of rules.secrets) kept[name] = had[name] === true;
  return kept;
}

/** Which of a view's stored secrets a change would drop (the screen warns before saving). */
export function droppedByChange(view: EndpointView | null, change: EndpointSettings | EndpointView): KeptSecrets {
  if (!view || view.type !== change.type) return noKeptSecrets;
  const had = rulesOf(view.type).storedSecrets(view as never);
  const kept = keptSecrets(view, had, change);
  const dropped: KeptSecrets = { ...noKeptSecrets };
  for (const name of rulesOf(view.type).secrets) dropped[name] = had[name] === true && !kept[name];
  return dropped;
}

export { noKeptSecrets, type ConnectorRules, type DeliveryProblem, type KeptSecrets };
export { secretNames, type SecretName } from './rules.ts';
export { headerNameProblem } from './webhook.ts';
