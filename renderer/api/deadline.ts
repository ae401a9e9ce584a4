import { PitchcaseError } from '#shared/result';

/**
 * A rep must never face a spinner that hangs: anything the UI waits for gets a deadline, after
 * which the screen shows an error with a way to retry instead.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new PitchcaseError('internal', `${what} took longer than ${Math.round(ms / 1000)} seconds`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof PitchcaseError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}
