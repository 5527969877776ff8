// The values of `{{…}}` references while a session plays: the file's own
// variables over the environment's, system functions, secrets and prompts.
// Every secret resolved is handed to the redactor before anything shows it.

import { visibleVariables } from '../analysis/variableScope';
import type { CommandStep, Reply, ReplyLine } from '../transcript/ast';
import { abortable } from './abortable';
import type { PlayContext } from './playContext';
import { resolveReferences, variableValues } from './resolveVariables';

/** A line's text after substitution, with the secrets and variable names it took. */
export interface ResolvedText {
  text: string;
  secrets: string[];
  variablesUsed: string[];
  environmentVariables: string[];
}

/** What resolving a line without references gives: the text as it is, no secrets, no variables. */
export function literalText(text: string): ResolvedText {
  return { text, secrets: [], variablesUsed: [], environmentVariables: [] };
}

export class SessionValues {
  constructor(private readonly context: PlayContext) {}

  async resolve(text: string, references: CommandStep['variables'], startColumn: number, line: number): Promise<ResolvedText> {
    if (references.length === 0) return literalText(text);
    const { file, session, options, redactor } = this.context;
    const own = variableValues(visibleVariables(file, session, line));
    // The environment's values sit under the file's own: an @name line wins.
    const scope = options.variables ? new Map([...Object.entries(options.variables), ...own]) : own;
    // A prompt or a secret store may wait on a person: cancelling does not wait for them.
    const resolved = await abortable(resolveReferences(text, references, startColumn, scope, options.env ?? process.env, options.secrets), options.signal);
    for (const secret of resolved.secrets) redactor.add(secret);
    if (options.inputsRead) for (const name of resolved.environmentVariables) addOnce(options.inputsRead.environment, name);
    return resolved;
  }

  /**
   * The expectation as compared: with @strict the text counts, and a
   * `{{name}}` in an S: line stands for its value there too (docs/format.md,
   * "Variables"); without @strict only codes count, and they hold no variables.
   */
  async expectation(expected: Reply | null): Promise<Reply | null> {
    if (!this.changesExpectation(expected)) return expected;
    const lines: ReplyLine[] = [];
    for (const line of expected.lines) {
      const start = line.text.range.start.character;
      const references = line.variables.filter((reference) => reference.range.start.character >= start);
      if (references.length === 0) {
        lines.push(line);
        continue;
      }
      const text = (await this.resolve(line.text.text, references, start, line.line)).text;
      lines.push({ ...line, text: { text, range: line.text.range } });
    }
    return { ...expected, lines };
  }

  /** Whether expectation() would change it: only with @strict, and only when an S: line holds a reference. */
  changesExpectation(expected: Reply | null): expected is Reply {
    return expected !== null && this.context.settings.strict && expected.lines.some((line) => line.variables.length > 0);
  }
}

/** Adds `item` unless the list holds it: the run's summary names each input once. */
export function addOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
