/**
 * Runtime validation of every method's argument, at the boundary where untrusted data enters
 * the core (IPC from a renderer, HTTP from a browser). Keyed by the contract, so a method
 * without a schema fails to compile.
 */
import { z } from 'zod';
import type { ApiArg, ApiMethod } from './contract.ts';

const itemId = z.string().min(1).max(128);

export const apiArgSchemas = {
  getAppInfo: z.object({}).strict(),
  getLibrary: z.object({}).strict(),
  getItem: z.object({ id: itemId }).strict(),
} satisfies { [M in ApiMethod]: z.ZodType<ApiArg<M>> };
