// The values of `{{…}}` references while a session plays: the file's own
// variables over the environment's, system functions, secrets and prompts.
// Every secret resolved is handed to the redactor before anything shows it.

import { visibleVariables } from '../analysis/variableScope';
import type { CommandStep, Reply, ReplyLine, VariableDefinition } from '../transcript/ast';
import { capturesByReply, isCapture } from '../transcript/captures';
import { replyLineWithText } from '../transcript/sourceSteps';
import { abortable } from './abortable';
import { escapeForDisplay } from './displayText';
import type { PlayContext } from './playContext';
import type { ServerReply } from './replyReader';
import { ReplyMismatchError, resolveReferences, type RunTimeValues } from './resolveVariables';

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

/** A capture line whose pattern found nothing in its reply: an unmet expectation of that line. */
export interface UnmetCapture {
  /** 1-based line of the `@name = {{$reply /…/}}` line. */
  line: number;
  message: string;
}

export class SessionValues {
  /** The most recent reply: what `{{$reply}}` and `{{$cramMd5}}` read when a line is resolved. */
  lastReply: ServerReply | null = null;
  /** The capture lines under the expected reply they read (transcript/captures.ts); empty for most sessions. */
  private readonly capturesAfter: Map<Reply, VariableDefinition[]>;
  /** Values of the capture lines the run has passed. */
  private readonly captured = new Map<VariableDefinition, string>();

  constructor(private readonly context: PlayContext) {
    // Only a session with a capture line has one (its own, or the file's above the first ###, which are among its
    // steps when it is the first session): the others skip a walk over every step (25,000 in a long one).
    const { file, session } = context;
    this.capturesAfter = session.variables.some(isCapture) || file.fileVariables.some(isCapture) ? capturesByReply(session) : new Map();
    if (this.capturesAfter.size > 0) context.result.captures = [];
  }

  async resolve(text: string, references: CommandStep['variables'], startColumn: number, line: number): Promise<ResolvedText> {
    if (references.length === 0) return literalText(text);
    const { file, session, options, redactor } = this.context;
    const own = new Map<string, string>();
    const runTime = { lastReply: this.lastReply, captured: new Map<string, string>(), pending: new Map<string, number>() } satisfies RunTimeValues;
    for (const [name, definition] of visibleVariables(file, session, line)) {
      if (!isCapture(definition)) own.set(name, definition.value.text);
      else if (this.captured.has(definition)) runTime.captured.set(name, this.captured.get(definition)!);
      else runTime.pending.set(name, definition.line + 1);
    }
    // The environment's values sit under the file's own: an @name line wins (a capture too, once reached).
    const outside = options.variables ? Object.entries(options.variables).filter(([name]) => !runTime.captured.has(name) && !runTime.pending.has(name)) : [];
    const scope = outside.length > 0 ? new Map([...outside, ...own]) : own;
    // A prompt or a secret store may wait on a person: cancelling does not wait for them.
    const resolved = await abortable(resolveReferences(text, references, startColumn, scope, options.env ?? process.env, options.secrets, runTime), options.signal);
    for (const secret of resolved.secrets) redactor.add(secret);
    if (options.inputsRead) for (const name of resolved.environmentVariables) addOnce(options.inputsRead.environment, name);
    return resolved;
  }

  /** Whether any capture line reads this expected reply. */
  capturesFrom(expected: Reply | null): boolean {
    return expected !== null && this.capturesAfter.has(expected);
  }

  /**
   * Runs the capture lines that read this expected reply, in order, against
   * the reply that came (lastReply). A pattern that finds nothing is an unmet
   * expectation of its own line, returned for the step; later captures of the
   * reply then wait, as the session stops there unless @on-mismatch = continue.
   */
  async capture(expected: Reply | null): Promise<UnmetCapture | null> {
    const definitions = expected ? this.capturesAfter.get(expected) : undefined;
    if (!definitions) return null;
    const { result, redactor } = this.context;
    for (const definition of definitions) {
      try {
        const value = await this.resolve(definition.value.text, definition.variables, definition.value.range.start.character, definition.line);
        this.captured.set(definition, value.text);
        result.captures?.push({ line: definition.line + 1, name: definition.name.text, value: redactor.redact(escapeForDisplay(value.text)) });
      } catch (error) {
        if (!(error instanceof ReplyMismatchError)) throw error;
        return { line: definition.line + 1, message: redactor.redact(escapeForDisplay(error.message)) };
      }
    }
    return null;
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
      lines.push(replyLineWithText(line, text));
    }
    // Its range written out: the parser's reply builds it in a getter, which a spread does not copy.
    return { ...expected, range: expected.range, lines };
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
