import { z } from 'zod';
import { idPattern } from '#shared/manifest';

/** The names in Studio's paths, checked before anything is looked up. */
export const channelId = z.string().regex(idPattern).max(64);
export const itemId = z.string().regex(idPattern).max(120);
export const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[\\/\0]/.test(n) && n !== '.' && n !== '..', 'a file name, not a path');
