import { abortable } from '../engine/abortable';
import type { SecretProvider } from '../engine/resolveVariables';

/**
 * The secrets of one run: each `{{$secret NAME}}` and each `{{$prompt LABEL}}`
 * is asked of the front end's provider once, however many lines and sessions
 * use it, and forgotten when the run ends. A question still open when the run
 * is cancelled stops waiting at once.
 */
export function secretsForOneRun(provider: SecretProvider, signal: AbortSignal): SecretProvider {
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
    secret: (name) => once(`secret\0${name}`, () => provider.secret(name)),
    prompt: (label) => once(`prompt\0${label}`, () => provider.prompt(label)),
  };
}
