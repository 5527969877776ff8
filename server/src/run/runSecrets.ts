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
  forHost(host: string): SecretProvider;
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
    forHost: (host) => ({
      secret: (name) => once(`secret\0${host}\0${name}`, () => source.secret(name, host)),
      prompt: (label) => once(`prompt\0${host}\0${label}`, () => source.prompt(label, host)),
    }),
  };
}
