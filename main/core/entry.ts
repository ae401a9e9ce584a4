/**
 * Where calls enter the core from a shell (IPC from a renderer, HTTP from a browser): the
 * method name and its argument are checked against the contract, then the access table
 * (main/shared/access.ts) decides, once, whether this caller may make the call.
 */
import { apiArgSchemas, isApiMethod, type PitchcaseApi } from '#shared/contract';
import { argumentProblem } from '#shared/contract-args';
import { refusal, type Caller } from '#shared/access';
import { fail, ok, PitchcaseError, type Result } from '#shared/result';
import type { Log } from './types.ts';

/** Where a call comes from, as the shell knows it (the core knows the rest). */
export interface CallOrigin {
  /** The desktop app's audience window: it may only read what it shows. */
  audience?: boolean;
}

export function createEntry(api: PitchcaseApi, caller: () => Omit<Caller, 'audience'>, log: Log) {
  return async function handle(method: unknown, arg: unknown, origin: CallOrigin = {}): Promise<Result<unknown>> {
    if (!isApiMethod(method))
      return fail(
        new PitchcaseError('unknown-method', `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}`),
      );
    const parsed = apiArgSchemas[method].safeParse(arg ?? {});
    if (!parsed.success) return fail(new PitchcaseError('bad-request', argumentProblem(method, parsed.error)));
    const refused = refusal(method, { ...caller(), audience: origin.audience === true });
    if (refused) return fail(new PitchcaseError('refused', refused));
    try {
      const call = api[method] as (a: unknown) => Promise<unknown>;
      return ok(await call(parsed.data));
    } catch (error) {
      if (!(error instanceof PitchcaseError))
        log.error('unexpected error', { method, reason: (error as Error).message });
      return fail(error);
    }
  };
}
