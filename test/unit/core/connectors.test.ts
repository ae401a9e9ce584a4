import { describe, expect, it } from 'vitest';
import {
  connectorRules,
  connectorsFor,
  droppedByChange,
  keptSecrets,
  noKeptSecrets,
  rulesOf,
  type ConnectorType,
} from '#shared/connectors/index';
import { connectors } from '#core/outbox/connectors/index';
import type { EndpointView } from '#shared/sync';

/**
 * The connector registries: every connector the core can deliver to has its shared rules (and
 * no rules without a connector), declares the secrets its read-back view reports, and keeps
 * them only at the same origins.
 */
const views: { [K in ConnectorType]: Extract<EndpointView, { type: K }> } = {
  webhook: {
    type: 'webhook',
    url: 'https://crm.example.com/in',
    headerNames: ['Authorization'],
    hasAuthorization: true,
  },
  salesforce: {
    type: 'salesforce',
    instanceUrl: 'https://acme.my.salesforce.com',
    apiVersion: null,
    externalIdField: null,
    hasAccessToken: true,
    clientId: 'app-1',
    hasClientSecret: true,
    hasRefreshToken: true,
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
  },
  folder: { type: 'folder', path: '/mnt/crm-drop' },
};

/** The same view with every address moved to another host. */
const moved = (view: EndpointView): EndpointView =>
  JSON.parse(JSON.stringify(view).replaceAll('https://', 'https://elsewhere.')) as EndpointView;

describe('connectors', () => {
  it('are registered the same in the core and in shared, each with its own rules', () => {
    expect(Object.keys(connectors).sort()).toEqual(Object.keys(connectorRules).sort());
    for (const type of Object.keys(connectors) as ConnectorType[]) {
      expect(connectors[type].type).toBe(type);
      expect(connectors[type].rules).toBe(connectorRules[type]);
      expect(rulesOf(type).label.length).toBeGreaterThan(0);
    }
    expect(connectorsFor('event')).toEqual(['webhook', 'folder']);
    expect(connectorsFor('lead')).toEqual(['webhook', 'salesforce', 'folder']);
  });

  it('declare the secrets their view reports, keep all of them in place and none once an origin moves', () => {
    for (const type of Object.keys(views) as ConnectorType[]) {
      const view = views[type];
      const rules = rulesOf(type);
      const had = rules.storedSecrets(view as never);
      expect(Object.keys(had).sort(), type).toEqual([...rules.secrets].sort());
      const kept = keptSecrets(view, had, view);
      for (const name of rules.secrets) expect(kept[name], `${type} keeps ${name} in place`).toBe(true);
      if (rules.origins(view as never).length === 0) continue;
      expect(keptSecrets(view, had, moved(view)), `${type} moved`).toEqual(noKeptSecrets);
      const dropped = droppedByChange(view, moved(view));
      for (const name of rules.secrets) expect(dropped[name], `${type} drops ${name}`).toBe(true);
    }
  });

  it('keeps nothing for another connector type', () => {
    expect(keptSecrets(views.webhook, { authorization: true }, views.salesforce)).toEqual(noKeptSecrets);
  });
});
