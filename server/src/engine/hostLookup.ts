// Resolving a session's host once per run. Each connect to a host name asks
// the system resolver (getaddrinfo, on libuv's thread pool) again; a run of
// 100 sessions to `localhost`, or a load test's thousands of connections to
// one server, asked it once per connection. smtp-source resolves once too.
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
type Lookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;
interface Answer {
  address: string | LookupAddress[];
  family: number | undefined;
}

/**
 * A `lookup` for net.connect and tls.connect that asks `resolve` (Node's
 * dns.lookup, loaded on first use: most runs connect to addresses) once per
 * host name and options, and answers later connections from what it found.
 * A failure is not kept: the next connection asks again. Made per run, so a
 * host's address is never older than the run that looked it up.
 */
export function lookupOncePerRun(resolve?: Lookup): LookupFunction {
  // Per host name and options: what the resolver answered, or the connections waiting for its answer.
  const answers = new Map<string, Answer | LookupCallback[]>();
  return (hostname, options, callback) => {
    const key = `${hostname}\0${options.family ?? 0}\0${options.all === true}\0${options.hints ?? 0}`;
    const known = answers.get(key);
    if (Array.isArray(known)) {
      known.push(callback); // asked already (load's connections start together): one question for all
      return;
    }
    if (known !== undefined) {
      process.nextTick(callback, null, known.address, known.family);
      return;
    }
    const waiting: LookupCallback[] = [callback];
    answers.set(key, waiting);
    const answer: LookupCallback = (error, address, family) => {
      if (error) answers.delete(key);
      else answers.set(key, { address, family });
      for (const each of waiting) each(error, address, family);
    };
    if (resolve) resolve(hostname, options, answer);
    // Every connection waiting on this name hears of a failure to load the resolver, not just the first.
    else void import('node:dns').then(({ lookup }) => (lookup as Lookup)(hostname, options, answer), (error: Error) => answer(error as NodeJS.ErrnoException, '', 0));
  };
}
