// The settings that shape a run, read from plain values (no `vscode`): which
// variables the selected environment gives, and the run's options.

export type Environments = Record<string, Record<string, string>>;

export interface EnvironmentsReading {
  environments: Environments;
  /** What was wrong in the setting and left out, for people. */
  problems: string[];
}

/** `smtp.environments` as written, checked: names map to objects of string values; anything else is reported and left out. */
export function readEnvironments(raw: unknown): EnvironmentsReading {
  const environments: Environments = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { environments, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { environments, problems: ['smtp.environments must be an object of environment names, e.g. {"local": {"server": "127.0.0.1:2525"}}.'] };
  }
  for (const [name, values] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      problems.push(`smtp.environments["${name}"] must be an object of variable names and string values; it was left out.`);
      continue;
    }
    const variables: Record<string, string> = {};
    for (const [variable, value] of Object.entries(values as Record<string, unknown>)) {
      if (typeof value === 'string') variables[variable] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') variables[variable] = String(value);
      else problems.push(`smtp.environments["${name}"]["${variable}"] must be a string; it was left out.`);
    }
    environments[name] = variables;
  }
  return { environments, problems };
}

/**
 * The variables a run gets: `smtp.defaultServer` as `server` beneath the
 * selected environment's values (the file's own `@name` lines win over both,
 * on the server). Null when there are none.
 */
export function runVariables(defaultServer: string | undefined, environment: Record<string, string> | undefined): Record<string, string> | null {
  const variables: Record<string, string> = {};
  const server = defaultServer?.trim();
  if (server) variables.server = server;
  // Names starting with `$` are directives to the extension (`"$confirm"`), not variables.
  for (const [name, value] of Object.entries(environment ?? {})) if (!name.startsWith('$')) variables[name] = value;
  return Object.keys(variables).length > 0 ? variables : null;
}

/** `"$confirm": "always"` in the selected environment: every run against a remote host asks first, whatever was answered before. */
export function confirmsEveryRun(environment: Record<string, string> | undefined): boolean {
  return environment?.$confirm?.trim().toLowerCase() === 'always';
}

/** `smtp.timeoutSeconds`: a number of seconds above 0, anything else means the RFC 5321 timeouts. */
export function timeoutSetting(raw: unknown): number | null {
  return typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? raw : null;
}
