/**
 * What every connector (webhook, Salesforce, folder …) tells the rest of the app about itself
 * without a line of I/O: its name on screen, which record kinds it takes, which of its settings
 * are secrets and which origins they were given for, how its settings validate and how it is
 * summed up on the card and in the CLI. Shared, so the settings screen, the API boundary, the
 * core and the CLI ask the same rules instead of switching on the connector's type.
 */
import type { z } from 'zod';
import type { DeliveryKind, EndpointSettings, EndpointView } from '../sync.ts';

/** The write-only secrets of any connector. */
export type SecretName = 'authorization' | 'accessToken' | 'clientSecret' | 'refreshToken';
export const secretNames: readonly SecretName[] = ['authorization', 'accessToken', 'clientSecret', 'refreshToken'];

/** What is already stored for an endpoint and is kept unless the change replaces or clears it. */
export type KeptSecrets = Record<SecretName, boolean>;

export const noKeptSecrets: KeptSecrets = {
  accessToken: false,
  clientSecret: false,
  refreshToken: false,
  authorization: false,
};

export interface DeliveryProblem {
  kind: DeliveryKind;
  /** The field of the endpoint the message is about (url, authorization, instanceUrl, …). */
  field: string;
  message: string;
}

type Of<T, K> = Extract<T, { type: K }>;

export interface ConnectorRules<K extends EndpointSettings['type'] = EndpointSettings['type']> {
  type: K;
  /** The choice in "Send … to". */
  label: string;
  takes(kind: DeliveryKind): boolean;
  /**
   * The shape of its settings where they enter the core (API, IPC); what a URL or a credential
   * must look like is `problems`, shared with the screen.
   */
  settings: z.ZodType<Of<EndpointSettings, K>>;
  /** Its secrets; they are only ever sent to its origins. */
  secrets: readonly SecretName[];
  /**
   * The origins (scheme, host, port) its secrets are given for, from settings as sent or as read
   * back. Any of them changing drops every stored secret: a credential never follows an endpoint
   * to another host, and a token cached for one host is never offered to another.
   */
  origins(endpoint: Of<EndpointSettings, K> | Of<EndpointView, K>): readonly (string | null)[];
  /** Which secrets a read-back view says are stored. */
  storedSecrets(view: Of<EndpointView, K>): Partial<KeptSecrets>;
  /** Every problem of the settings; `kept` adds the checks that need the stored secrets. */
  problems(
    kind: DeliveryKind,
    endpoint: Of<EndpointSettings, K>,
    add: (field: string, message: string | null) => void,
    kept?: KeptSecrets,
  ): void;
  /** The card's line: where it goes and with what credentials, never their values. */
  summary(view: Of<EndpointView, K>): { title: string; detail: string };
  /** One line for `pitchcase delivery settings`. */
  line(view: Of<EndpointView, K>): string;
}
