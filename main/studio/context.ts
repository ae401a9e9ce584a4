import type { ManifestFormat } from '#shared/manifest';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import type { RouteId } from './access.ts';
import type { BlobStore } from './blobs.ts';
import type { StudioDb } from './database/connection.ts';
import type { ZipLimits } from './library/microsite-zip.ts';
import type { Role } from './roles.ts';

export interface StudioConfig {
  /** Largest accepted upload, in bytes. */
  maxUploadBytes: number;
  zipLimits: ZipLimits;
  /** Wrong passwords per account (and per address) within signInWindowMs before sign-in is refused. */
  signInFailuresAllowed: number;
  signInWindowMs: number;
  sessionMs: number;
  /** scrypt cost (N); tests may lower it, never production. */
  scryptCost: number;
  /** How long a published release stays valid, as the publisher takes it ("30d"). */
  releaseExpires: string;
  /** The release format written: 2, or 1 while the fleet still has apps that read only format 1. */
  releaseFormat: ManifestFormat;
}

export interface StudioContext {
  db: StudioDb;
  blobs: BlobStore;
  dataDir: string;
  config: StudioConfig;
  now(): Date;
  /** Runs publishes of one channel one after another (the version is read from the channel folder). */
  serialise<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Caller {
  user: SignedInUser | null;
  sessionIdHash: string | null;
  csrfToken: string | null;
  address: string;
  /** The origin Studio was reached at, for links it prints. */
  origin: string;
}

/** A response written as is (files, the channel), instead of the `{ ok, value }` JSON envelope. */
export interface RawResponse {
  raw: true;
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable | null;
  setCookie?: string;
}

/** A JSON answer that also sets a cookie (sign-in, sign-out). */
export interface CookieResponse<T> {
  value: T;
  setCookie: string;
}

export interface Route<A = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path with :params, e.g. /api/channels/:channel/items */
  path: string;
  /** Path params, query and JSON body merged into one object, then checked. */
  args: z.ZodType<A>;
  /** 'stream': the request body is left unread for the handler (uploads). */
  body?: 'json' | 'stream';
  run(ctx: StudioContext, caller: Caller, args: A, request: IncomingMessage): Promise<unknown>;
}

export type Routes = { [K in RouteId]?: Route<never> };

/** Declares a route with its argument type inferred from the schema. */
export function route<A>(definition: Route<A>): Route<never> {
  return definition as unknown as Route<never>;
}
