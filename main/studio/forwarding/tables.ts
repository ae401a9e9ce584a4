/** Forwarding's table: where each lead, meeting and follow-up Studio took in stands with the CRM. */
export interface FleetForwardTable {
  device_id: string;
  idempotency_key: string;
  kind: string;
  /** The destination it goes to: 'lead', or 'meeting' (follow-ups go where meetings go). */
  destination: string;
  /** When the record was made on the device: the order it is forwarded in. */
  at: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  /** A Studio sending it holds it until then, so two Studios behind a balancer do not both send it. */
  lease_until: string | null;
  /** The last refusal, without the record's personal data. */
  last_error: string | null;
  /** Why it is never sent (a lead without consent). */
  held: string | null;
  sent_at: string | null;
  /** Where it went, as the destination's card names it ("Webhook · crm.example.com"). */
  sent_to: string | null;
}

export interface ForwardingTables {
  fleet_forwards: FleetForwardTable;
}
