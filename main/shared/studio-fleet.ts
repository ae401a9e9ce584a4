/** What Studio's fleet screens read (enrolment codes, devices, forwarding): the server's answers, the UI's types. */
import type { EndpointView } from './sync.ts';

/** A new enrolment code, shown once: only its hash is kept. */
export interface CreatedCode {
  id: string;
  code: string;
  expiresAt: string;
  /** What the QR code holds: Studio's address and the code, one scan for the device. */
  enrolUrl: string;
  qrSvg: string;
}

export interface CodeView {
  id: string;
  kind: 'rep' | 'booth';
  repName: string | null;
  repEmail: string | null;
  event: string | null;
  team: string | null;
  region: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  deviceId: string | null;
  state: 'waiting' | 'used' | 'expired';
}

export interface DeviceView {
  id: string;
  kind: 'rep' | 'booth';
  name: string;
  repName: string | null;
  repEmail: string | null;
  event: string | null;
  team: string | null;
  region: string | null;
  platform: string;
  appVersion: string;
  profileKind: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  /** Set when the device disconnected itself ("Disconnect from Studio"), not revoked by a person. */
  disconnectedAt: string | null;
  releaseVersion: number | null;
  lastSyncAt: string | null;
}

/** What Studio forwards to the CRM. */
export type ForwardingKind = 'lead' | 'meeting';

/** Where a forwarded record stands, as the admin's list shows it. */
export type ForwardState = 'sent' | 'waiting' | 'queued' | 'retrying' | 'held';

export interface ForwardView {
  deviceId: string;
  key: string;
  kind: string;
  at: string;
  booth: string | null;
  rep: string | null;
  team: string | null;
  /** A lead's consent version; null for meetings. */
  consentVersion: string | null;
  state: ForwardState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  sentTo: string | null;
}

export interface ForwardingOverview {
  destinations: Record<ForwardingKind, EndpointView | null>;
  counts: Record<ForwardState, number>;
  lastError: string | null;
}
