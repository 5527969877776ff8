/** Thrown for command-line mistakes; the CLI prints the message with a hint and exits 2. */
export class UsageError extends Error {}

export interface ParsedArguments {
  positionals: string[];
  /** The last value of each option given (true for a flag). */
  options: Map<string, string | true>;
  /** Every value of each valued option, in order, for options that may be repeated (`--user a --user b`). */
  allValues: Map<string, string[]>;
}

/**
 * Splits arguments into positionals and `--name value` / `--name=value` options.
 * `flags` are the options that take no value.
 */
export function parseArguments(args: string[], valued: ReadonlySet<string>, flags: ReadonlySet<string>): ParsedArguments {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  const allValues = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    if (flags.has(name)) {
      if (equals !== -1) throw new UsageError(`--${name} takes no value.`);
      options.set(name, true);
    } else if (valued.has(name)) {
      const value = equals === -1 ? args[++i] : arg.slice(equals + 1);
      if (value === undefined || (equals === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value.`);
      options.set(name, value);
      allValues.set(name, [...(allValues.get(name) ?? []), value]);
    } else {
      throw new UsageError(`Unknown option --${name}.`);
    }
  }
  return { positionals, options, allValues };
}
