/**
 * Runtime validation of every method's argument, at the boundary where untrusted data enters
 * the core (IPC from a renderer, HTTP from a browser). Keyed by the contract, so a method
 * without a schema fails to compile.
 */
import { z } from 'zod';
import type { ApiArg, ApiMethod } from './contract.ts';
import { kioskSettingsChange, leadSubmission } from './kiosk.ts';
import type { activityEvent} from './presenting.ts';
import { followUpInput, meetingInkInput, meetingInput } from './presenting.ts';
import { crmId, crmKinds } from './crm.ts';
import { audienceState } from './audience-screen.ts';
import { deliveryKinds, endpointProblems } from './delivery.ts';
import { activityEndpointSchema, endpointSettingsSchema } from './connectors/index.ts';
import type { DeliveryKind } from './sync.ts';

const itemId = z.string().min(1).max(128);
const names = z.array(z.string().max(200)).max(50);
// Each connector declares its settings' shape (shared/connectors); what a URL or credential
// must look like is checked by endpointProblems in deliverySettingsChange below.
const endpoint = endpointSettingsSchema;
const activityEndpoint = activityEndpointSchema;

export const apiArgSchemas = {
  getAppInfo: z.object({}).strict(),
  getLibrary: z.object({}).strict(),
  getItem: z.object({ id: itemId }).strict(),
  search: z
    .object({
      query: z.string().max(500),
      filters: z.object({ kinds: names.optional(), products: names.optional(), collections: names.optional(), tags: names.optional() }).strict().optional(),
      limit: z.number().int().min(1).max(200).optional(),
      record: z.boolean().optional(),
    })
    .strict(),
  getRecentSearches: z.object({ limit: z.number().int().min(1).max(50).optional() }).strict(),
  getItemUse: z.object({}).strict(),
  setFavourite: z.object({ itemId, favourite: z.boolean() }).strict(),
  recordItemOpened: z.object({ itemId }).strict(),
  getChannelSettings: z.object({}).strict(),
  updateChannelSettings: z
    .object({
      channelUrl: z.string().max(2048).nullable().optional(),
      publicKeys: z.array(z.string().max(4096)).max(8).optional(),
      autoApply: z.boolean().optional(),
      checkIntervalMinutes: z.number().int().min(5).max(7 * 24 * 60).optional(),
    })
    .strict(),
  checkForContent: z.object({}).strict(),
  applyContent: z.object({}).strict(),
  getSyncStatus: z.object({}).strict(),
  markLibrarySeen: z.object({}).strict(),
  getAppUpdateStatus: z.object({}).strict(),
  restartToUpdate: z.object({}).strict(),
  getKioskConfig: z.object({}).strict(),
  startVisitorSession: z.object({}).strict(),
  recordVisitorView: z.object({ sessionId: z.string().min(1).max(64), itemId }).strict(),
  endVisitorSession: z.object({ sessionId: z.string().min(1).max(64), reason: z.enum(['idle', 'done']) }).strict(),
  captureLead: leadSubmission,
  getLeadStats: z.object({}).strict(),
  setKioskPin: z.object({ pin: z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits'), currentPin: z.string().max(12).optional() }).strict(),
  unlockKiosk: z.object({ pin: z.string().max(12) }).strict(),
  lockKiosk: z.object({}).strict(),
  exportLeadsCsv: z.object({}).strict(),
  exportLeadsToFile: z.object({}).strict(),
  setProfileKind: z.object({ kind: z.enum(['standard', 'kiosk']), pin: z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits').optional() }).strict(),
  getKioskSettings: z.object({}).strict(),
  updateKioskSettings: kioskSettingsChange,
  getDeliverySettings: z.object({}).strict(),
  updateDeliverySettings: z
    .object({ lead: endpoint.nullable().optional(), meeting: endpoint.nullable().optional(), event: activityEndpoint.nullable().optional() })
    .strict()
    .superRefine((change, ctx) => {
      for (const kind of deliveryKinds) {
        const target = change[kind];
        if (!target) continue;
        // Completeness (a token or refresh credentials) depends on what is stored: the core checks it.
        for (const problem of endpointProblems(kind, target)) ctx.addIssue({ code: 'custom', path: [kind, problem.field], message: problem.message });
      }
    }),
  testDeliveryConnection: z
    .object({ kind: z.enum(deliveryKinds as [DeliveryKind, ...DeliveryKind[]]), endpoint: endpoint.optional() })
    .strict()
    .superRefine((arg, ctx) => {
      if (!arg.endpoint) return;
      for (const problem of endpointProblems(arg.kind, arg.endpoint)) ctx.addIssue({ code: 'custom', path: ['endpoint', problem.field], message: problem.message });
    }),
  deliverNow: z.object({}).strict(),
  getDeliveryStatus: z.object({}).strict(),
  listPitches: z.object({}).strict(),
  getPitch: z.object({ id: z.string().min(1).max(64) }).strict(),
  savePitch: z
    .object({
      id: z.string().min(1).max(64).optional(),
      name: z.string().max(200),
      steps: z.array(z.object({ itemId, page: z.number().int().positive().nullable(), note: z.string().max(4000) }).strict()).max(500),
    })
    .strict(),
  duplicatePitch: z.object({ id: z.string().min(1).max(64) }).strict(),
  deletePitch: z.object({ id: z.string().min(1).max(64) }).strict(),
  // Events are checked one by one in the core: one malformed event must not sink the batch.
  recordActivity: z.object({ events: z.array(z.unknown()).max(1000) }).strict() as unknown as z.ZodType<{ events: z.infer<typeof activityEvent>[] }>,
  saveMeeting: meetingInput,
  getUsageReport: z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() }).strict(),
  listMeetings: z.object({ status: z.enum(['later', 'logged']) }).strict(),
  getMeeting: z.object({ id: z.string().min(1).max(64) }).strict(),
  deleteMeeting: z.object({ id: z.string().min(1).max(64) }).strict(),
  saveMeetingInk: meetingInkInput,
  getMeetingInk: z.object({ meetingId: z.string().min(1).max(64) }).strict(),
  queueFollowUp: followUpInput,
  searchCrm: z.object({ kind: z.enum(crmKinds), query: z.string().max(200), accountId: crmId.optional(), limit: z.number().int().min(1).max(50).optional() }).strict(),
  getCrmCache: z.object({}).strict(),
  refreshCrmCache: z.object({}).strict(),
  showToAudience: audienceState,
  getAudienceState: z.object({ sessionId: z.string().min(1).max(64) }).strict(),
} satisfies { [M in ApiMethod]: z.ZodType<ApiArg<M>> };

/** How many of the caller's own keys or path segments an error names before counting the rest. */
const NAMED_KEYS = 3;
const NAMED_KEY_LENGTH = 40;

const shortName = (key: PropertyKey) => {
  const name = String(key);
  return name.length <= NAMED_KEY_LENGTH ? name : `${name.slice(0, NAMED_KEY_LENGTH)}…`;
};

/**
 * The error for an argument that does not match its schema: the first problem, naming at most a
 * few of the keys the caller sent (zod would list every unknown key, 10,000 of them if sent).
 */
export function argumentProblem(method: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.map(shortName).join('.') || 'argument';
  if (issue?.code === 'unrecognized_keys') {
    const named = issue.keys.slice(0, NAMED_KEYS).map((key) => JSON.stringify(shortName(key)));
    const rest = issue.keys.length - named.length;
    return `${method}: ${where} has unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${named.join(', ')}${rest > 0 ? ` and ${rest.toLocaleString('en-US')} more` : ''}`;
  }
  return `${method}: ${where} ${issue?.message ?? 'is invalid'}`;
}
