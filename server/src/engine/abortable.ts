import { SessionError } from './sessionErrors';

/**
 * Settles with the promise, or rejects with a 'cancelled' SessionError as soon
 * as the signal fires — whichever comes first. A secret prompt the user never
 * answers, or a variable that takes long to resolve, must not keep a cancelled
 * run alive.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function cancelledError(): SessionError {
  return new SessionError('cancelled', 'The session was cancelled.');
}
