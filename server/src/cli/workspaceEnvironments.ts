// `run --env NAME`: the variables of the environment NAME in the workspace's
// `.vscode/settings.json` (setting `smtp.environments`), so the editor's
// status bar and a CI job read one definition. The file is JSON with
// comments and trailing commas, as VS Code writes and reads it, and is found
// the way the editor would see it: in the folder of the first file run or
// the nearest folder above it that has one.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ParseError } from 'jsonc-parser';
import { UsageError } from './parseArguments';

const SETTINGS = join('.vscode', 'settings.json');

/** The nearest `.vscode/settings.json` in `start` (a file's folder, or a folder) or above it; null when there is none. */
export function findWorkspaceSettings(start: string): string | null {
  let folder = resolve(start);
  try {
    if (!statSync(folder).isDirectory()) folder = dirname(folder);
  } catch {
    folder = dirname(folder);
  }
  for (;;) {
    const candidate = join(folder, SETTINGS);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}

/**
 * The variables of environment `name`, from the settings file found from
 * `start`. Every way it can go wrong is a UsageError that says what to change:
 * no settings file, a syntax error (with its line), an unknown name (listing
 * the names there are), a value that is not a string, number or boolean.
 */
export async function readEnvironment(name: string, start: string): Promise<Record<string, string>> {
  const path = findWorkspaceSettings(start);
  if (path === null) {
    throw new UsageError(`--env ${name}: no ${SETTINGS} in ${resolve(start)} or any folder above it. Define "smtp.environments" there (as the editor's SMTP: Select Environment does), or give variables with --var name=value.`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--env ${name}: cannot read ${path}: ${(error as Error).message}`);
  }
  // Loaded here, only for --env: set up at start, jsonc-parser's tables of cached indentation strings made
  // every run's start-up allocate enough to need a garbage collection (about 3 ms of a `--version`).
  const { parse, printParseErrorCode } = await import('jsonc-parser');
  const errors: ParseError[] = [];
  const settings: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const [first] = errors;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new UsageError(`--env ${name}: ${path} line ${line}: ${printParseErrorCode(first.error)}; fix the JSON (comments and trailing commas are fine).`);
  }
  const environments = isObject(settings) ? settings['smtp.environments'] : undefined;
  if (environments === undefined) throw new UsageError(`--env ${name}: ${path} defines no "smtp.environments"; add e.g. "smtp.environments": {"${name}": {"server": "mail.example.org:587"}}.`);
  if (!isObject(environments)) throw new UsageError(`--env ${name}: "smtp.environments" in ${path} must be an object of environment names.`);
  const values = Object.hasOwn(environments, name) ? environments[name] : undefined;
  if (values === undefined) {
    const names = Object.keys(environments);
    throw new UsageError(`--env ${name}: "smtp.environments" in ${path} has no environment "${name}"; ${names.length === 0 ? 'it defines none' : `it has: ${names.join(', ')}`}.`);
  }
  if (!isObject(values)) throw new UsageError(`--env ${name}: smtp.environments["${name}"] in ${path} must be an object of variable names and values.`);
  const variables: Record<string, string> = {};
  for (const [variable, value] of Object.entries(values)) {
    if (typeof value === 'string') variables[variable] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') variables[variable] = String(value);
    else throw new UsageError(`--env ${name}: smtp.environments["${name}"]["${variable}"] in ${path} must be a string, a number or a boolean.`);
  }
  return variables;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
