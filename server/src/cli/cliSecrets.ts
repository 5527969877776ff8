import { describeSecretVariables, readEnvironmentSecret } from '../engine/environmentSecrets';
import type { SecretProvider } from '../engine/resolveVariables';
import { SessionError } from '../engine/sessionErrors';

/**
 * Secrets for the command line: `{{$secret NAME}}` comes from the environment
 * variable SMTP_SECRET_NAME or NAME (CI sets it there), or is asked for without echo when a person
 * is at the terminal; `{{$prompt LABEL}}` is always asked. Without a terminal,
 * a missing value is an error that says how to provide it.
 */
export function cliSecretProvider(env: NodeJS.ProcessEnv, interactive: boolean): SecretProvider {
  // The run asks each name and label once (run/runSecrets.ts), so a value typed here serves every line that uses it.
  const ask = async (question: string, hint: string) => {
    if (!interactive) throw new SessionError('usage', hint);
    // node:readline loaded when a person is asked, not with every run.
    const { createInterface } = await import('node:readline');
    return askHidden(createInterface, question);
  };
  return {
    secret: async (name) => readEnvironmentSecret(env, name) ?? ask(`Secret ${name}: `, `The secret ${name} is not set: export ${describeSecretVariables(name, '=…')} in the environment (it is never printed), or run in a terminal to be asked.`),
    prompt: (label) => ask(`${label}: `, `{{$prompt ${label}}} needs a person at a terminal; run interactively, or use {{$env NAME}} or {{$secret NAME}} in CI.`),
  };
}

/** Reads a line from the terminal without echoing it. */
function askHidden(createInterface: typeof import('node:readline').createInterface, question: string): Promise<string> {
  return new Promise((resolve) => {
    const terminal = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = terminal as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(question);
    // Echo nothing the user types; the question itself was written above.
    output._writeToOutput = () => undefined;
    terminal.question('', (answer) => {
      terminal.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
