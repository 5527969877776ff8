import { abortable } from '../engine/abortable';
import type { SecretProvider } from '../engine/resolveVariables';

/**
 * Where a front end gets `{{$secret NAME}}` and `{{$prompt LABEL}}` values,
 * told the host of the server the session connects to: the editor keeps a
 * secret for the host (and workspace) it was entered for and asks again for
 * another host. The command line reads its environment and ignores the host
 * (a name-only SecretProvider fits this shape).
 */
export interface RunSecretSource {
  secret(name: string, host: string): Promise<string>;
  prompt(label: string, host: string): Promise<string>;
}

/** The secrets of one run, handed to each session bound to its server's host. */
export interface RunSecrets {
  /**
   * `host` may be a function, called once when the session first asks for a
   * secret: most sessions ask for none, and working out the host means reading
   * the session's settings a second time.
   */
  forHost(host: string | (() => string)): SecretProvider;
}

/**
 * The secrets of one run: each `{{$secret NAME}}` and each `{{$prompt LABEL}}`
 * is asked of the front end's source once per host, however many lines and
 * sessions use it, and forgotten when the run ends — a value given for one
 * host never answers a session bound for another. A question still open
 * when the run is cancelled stops waiting at once.
 */
export function secretsForOneRun(source: RunSecretSource, signal: AbortSignal): RunSecrets {
  const answers = new Map<string, Promise<string>>();
  const once = (key: string, ask: () => Promise<string>): Promise<string> => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = ask();
      answers.set(key, answer);
      // A refused or failed question is asked again next time, not remembered as a failure.
      answer.catch(() => answers.delete(key));
    }
    return abortable(answer, signal);
  };
  return {
    forHost: (host) => {
      let known = typeof host === 'string' ? host : null;
      const bound = () => (known ??= (host as () => string)());
      return {
        secret: (name) => once(`secret\0${bound()}\0${name}`, () => source.secret(name, bound())),
        prompt: (label) => once(`prompt\0${bound()}\0${label}`, () => source.prompt(label, bound())),
      };
    },
  };
}
