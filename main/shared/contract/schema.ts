/**
 * What every capability's slice of the contract is made of: an interface of methods (one
 * serialisable argument, a Promise), and beside it one zod schema per method, checked with
 * `satisfies ArgSchemas<…>` so a method without a schema (or a schema without a method) fails
 * to compile.
 */
import { z } from 'zod';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an explicit "no argument" shape
export type NoArg = {};

/** The argument schemas of one capability's interface, method by method. */
export type ArgSchemas<Api> = {
  [M in keyof Api]: Api[M] extends (arg: infer A) => Promise<unknown> ? z.ZodType<A> : never;
};

/** The argument of a method that takes none. */
export const noArg = z.object({}).strict();

/** Ids of pitches, meetings and sessions. */
export const recordId = z.string().min(1).max(64);

/** An item id as the manifest gives it. */
export const itemId = z.string().min(1).max(128);
