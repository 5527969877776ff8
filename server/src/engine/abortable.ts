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

/**
 * The listeners of each signal watched through watchAbort: one Set behind a
 * single 'abort' listener on the signal, however many connections of a run
 * come and go. Adding and removing a listener on Node's EventTarget
 * (validation, a Listener record, a weak-reference check) cost more per
 * session than the rest of its connect and close.
 */
const watched = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `listener` once when `signal` fires, unless unwatchAbort comes first. The signal must not have fired yet. */
export function watchAbort(signal: AbortSignal, listener: () => void): void {
  let listeners = watched.get(signal);
  if (listeners === undefined) {
    const all = new Set<() => void>();
    listeners = all;
    watched.set(signal, all);
    signal.addEventListener('abort', () => {
      const now = [...all];
      all.clear();
      for (const each of now) each();
    }, { once: true });
  }
  listeners.add(listener);
}

export function unwatchAbort(signal: AbortSignal, listener: () => void): void {
  watched.get(signal)?.delete(listener);
}

