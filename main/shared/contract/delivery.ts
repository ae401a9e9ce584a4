/** The outbox: where leads, meetings and activity go, connection tests, and upload health. */
import { z } from 'zod';
import { activityEndpointSchema, endpointSettingsSchema } from '../connectors/index.ts';
import { deliveryKinds, endpointProblems } from '../delivery.ts';
import type {
  ConnectionTestResult,
  DeliveryKind,
  DeliverySettings,
  DeliverySettingsView,
  DeliveryStatus,
  EndpointSettings,
} from '../sync.ts';
import { noArg, type ArgSchemas, type NoArg } from './schema.ts';

export interface DeliveryApi {
  /** Where each kind of record goes, without secrets (`hasAccessToken` and the like). On a kiosk, staff only. */
  getDeliverySettings(arg: NoArg): Promise<DeliverySettingsView>;
  /**
   * Where leads, meetings and activity go; a bad URL is refused and nothing changes. Secrets
   * are sealed with the profile's key; an absent secret keeps the stored one. On a kiosk, staff only.
   */
  updateDeliverySettings(arg: DeliverySettings): Promise<DeliverySettingsView>;
  /**
   * A harmless request to a kind's endpoint (the stored one, or `endpoint` before it is saved,
   * with the stored secrets): a webhook gets an empty batch marked `Pitchcase-Test: 1`,
   * Salesforce a describe of Lead or Task. Never throws for a refusal: the result says it.
   */
  testDeliveryConnection(arg: { kind: DeliveryKind; endpoint?: EndpointSettings }): Promise<ConnectionTestResult>;
  /** Uploads what is due now (also runs by itself when a network is there). */
  deliverNow(arg: NoArg): Promise<DeliveryStatus>;
  /** Pending uploads and the last error; on a kiosk, staff only (an error may echo a visitor). */
  getDeliveryStatus(arg: NoArg): Promise<DeliveryStatus>;
}

// Each connector declares its settings' shape (shared/connectors); what a URL or credential
// must look like is checked by endpointProblems in updateDeliverySettings below.
const endpoint = endpointSettingsSchema;
const activityEndpoint = activityEndpointSchema;

export const deliveryArgs = {
  getDeliverySettings: noArg,
  updateDeliverySettings: z
    .object({
      lead: endpoint.nullable().optional(),
      meeting: endpoint.nullable().optional(),
      event: activityEndpoint.nullable().optional(),
    })
    .strict()
    .superRefine((change, ctx) => {
      for (const kind of deliveryKinds) {
        const target = change[kind];
        if (!target) continue;
        // Completeness (a token or refresh credentials) depends on what is stored: the core checks it.
        for (const problem of endpointProblems(kind, target))
          ctx.addIssue({ code: 'custom', path: [kind, problem.field], message: problem.message });
      }
    }),
  testDeliveryConnection: z
    .object({ kind: z.enum(deliveryKinds as [DeliveryKind, ...DeliveryKind[]]), endpoint: endpoint.optional() })
    .strict()
    .superRefine((arg, ctx) => {
      if (!arg.endpoint) return;
      for (const problem of endpointProblems(arg.kind, arg.endpoint))
        ctx.addIssue({ code: 'custom', path: ['endpoint', problem.field], message: problem.message });
    }),
  deliverNow: noArg,
  getDeliveryStatus: noArg,
} satisfies ArgSchemas<DeliveryApi>;
