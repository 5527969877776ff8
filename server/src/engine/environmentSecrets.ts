// Where `{{$secret NAME}}` is found in an environment (the CLI's, or the
// language server's for editors that do not answer smtp/secret). The prefixed
// name comes first so CI can keep secrets apart from ordinary variables
// (`{{$secret PATH}}` should not silently read PATH); the bare name stays
// accepted because it is what people export by habit.

import { SECRET_PREFIX } from '../transcript/systemFunctions';

/** `SMTP_SECRET_<NAME>`: upper case, anything but letters and digits as `_`. */
export function prefixedSecretVariable(name: string): string {
  return `${SECRET_PREFIX}${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The environment variables tried for a secret, in order. */
export function secretVariables(name: string): string[] {
  return name.startsWith(SECRET_PREFIX) ? [name] : [prefixedSecretVariable(name), name];
}

export function readEnvironmentSecret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  for (const variable of secretVariables(name)) {
    const value = env[variable];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** `SMTP_SECRET_PASS or PASS` (each followed by `suffix`), for messages that say what to set. */
export function describeSecretVariables(name: string, suffix = ''): string {
  return secretVariables(name).map((variable) => variable + suffix).join(' or ');
}
