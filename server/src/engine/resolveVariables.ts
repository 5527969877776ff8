// Substitutes `{{…}}` references in one piece of a line just before it is
// sent, and records every secret value that went in so the Redactor can hide
// it. The format's rules are in docs/format.md ("Variables").

import type { VariableDefinition, VariableReference } from '../transcript/ast';
import { matchReply, parseReplyPattern } from '../transcript/replyPattern';
import { SYSTEM_FUNCTIONS } from '../transcript/systemFunctions';
import { scanVariableReferences } from '../transcript/variableReferences';
import { isSecretVariable, SECRET_PREFIX } from '../transcript/systemFunctions';
import { atLine, SessionError } from './sessionErrors';

/** Where `$secret` and `$prompt` values come from: the editor's SecretStorage, the CLI's environment or TTY. */
export interface SecretProvider {
  secret(name: string): Promise<string>;
  /** Asked on every `{{$prompt}}` met; run/runSecrets.ts makes a run ask each label once. */
  prompt(label: string): Promise<string>;
}

export interface ResolvedText {
  text: string;
  /** Every secret value that went into `text`, the substituted forms that contain them, and their base64 forms. */
  secrets: string[];
  /** The references substituted, as written without braces (`user`, `$env SMTP_HOST`); never values. */
  variablesUsed: string[];
  /** The environment variables `{{$env}}` read, by name, for the run's summary. */
  environmentVariables: string[];
}

/** What a line can use of the run so far: the latest reply, and the values captured from replies. */
export interface RunTimeValues {
  /** The most recent reply when the line is reached (`{{$reply}}`, `{{$cramMd5}}`); null before the greeting. */
  lastReply: { code: number; lines: readonly string[]; text: readonly string[] } | null;
  /** Values captured by `@name = {{$reply /…/}}` lines the run has passed: used as they are, never read for references (a server wrote them). */
  captured: ReadonlyMap<string, string>;
  /** Names whose capture line the run has not reached, with that line (1-based): using one is an error that says so. */
  pending: ReadonlyMap<string, number>;
}

export const NO_RUN_TIME_VALUES: RunTimeValues = { lastReply: null, captured: new Map(), pending: new Map() };

/** `{{$reply /REGEX/}}` found nothing in the reply: on an `@` capture line, the engine reports it as an unmet expectation of that line. */
export class ReplyMismatchError extends SessionError {
  constructor(message: string, line: number | null) {
    super('usage', message, line);
  }
}

/** A resolved value beyond this many characters is refused: variables that repeat each other grow exponentially. */
export const MAX_RESOLVED_LENGTH = 1_000_000;

interface Value {
  text: string;
  /** Holds a secret, so the whole value is one. */
  secret: boolean;
}

interface Source {
  text: string;
  /** Column in the line where `text` starts; references' ranges are columns in the line. */
  startColumn: number;
  /** The variable whose value this is, for messages; null for the transcript line itself. */
  variable: string | null;
}

class Resolver {
  readonly secrets = new Set<string>();
  readonly used = new Set<string>();
  readonly environment = new Set<string>();
  /** Plain variables resolved in this call: each is read (and prompted for) once. */
  private readonly values = new Map<string, Value>();

  constructor(
    private readonly scope: ReadonlyMap<string, string>,
    private readonly env: NodeJS.ProcessEnv,
    private readonly provider: SecretProvider,
    /** The transcript line, 1-based, for messages. */
    private readonly line: number | null,
    private readonly runTime: RunTimeValues,
  ) {}

  async substitute(source: Source, references: readonly VariableReference[], stack: readonly string[]): Promise<Value> {
    let text = '';
    let secret = false;
    let from = 0;
    for (const reference of references) {
      const start = this.offset(source, reference.range.start.character);
      const value = await this.reference(source, reference, stack);
      text += source.text.slice(from, start) + value.text;
      secret ||= value.secret;
      from = this.offset(source, reference.range.end.character);
      this.checkLength(text.length, stack);
    }
    text += source.text.slice(from);
    this.checkLength(text.length, stack);
    return { text, secret };
  }

  private async reference(source: Source, reference: VariableReference, stack: readonly string[]): Promise<Value> {
    const written = this.written(source, reference);
    this.used.add(written);
    const value = reference.system ? await this.system(source, reference, stack, written) : await this.variable(reference, stack);
    // Taint: a value that holds a secret is itself shown as `***` wherever it appears.
    if (value.secret) this.secrets.add(value.text);
    return value;
  }

  private async variable(reference: VariableReference, stack: readonly string[]): Promise<Value> {
    const name = reference.name.text;
    if (name === '') throw this.usage(`"{{}}" names no variable; write a name such as {{user}} or a function such as {{$env NAME}}.`);
    if (reference.args.length > 0) throw this.usage(`{{${name} …}}: a variable takes no arguments; write {{${name}}}.`);
    const cached = this.values.get(name);
    if (cached) return cached;
    const captured = this.runTime.captured.get(name);
    if (captured !== undefined) return { text: captured, secret: false };
    const pendingLine = this.runTime.pending.get(name);
    if (pendingLine !== undefined) {
      throw this.usage(`{{${name}}} is captured from a reply on line ${pendingLine}, and the run has not got there: it is used before that reply arrived (in the same pipelined group, or above the line). Move the use below line ${pendingLine}.`);
    }
    if (stack.includes(name)) {
      const cycle = [...stack.slice(stack.indexOf(name)), name].map((n) => `{{${n}}}`).join(' → ');
      throw this.usage(`the variables refer to each other in a cycle, ${cycle}, so none of them has a value. Change one of the definitions so the chain ends in plain text.`);
    }
    const raw = this.scope.get(name);
    if (raw === undefined) {
      const within = stack.length > 0 ? ` (used in the value of {{${stack[stack.length - 1]}}})` : '';
      throw this.usage(`{{${name}}}${within} is not defined here. Define it with "@${name} = value" on a line above (in this session, or before the first ### for the whole file).`);
    }
    const nested = raw.includes('{{') ? scanVariableReferences(raw, 0, 0).references : [];
    const value = nested.length === 0
      ? { text: raw, secret: false }
      : await this.substitute({ text: raw, startColumn: 0, variable: name }, nested, [...stack, name]);
    this.values.set(name, value);
    return value;
  }

  private async system(source: Source, reference: VariableReference, stack: readonly string[], written: string): Promise<Value> {
    const name = reference.name.text;
    switch (name) {
      case '$env': {
        const variable = (await this.argument(source, reference, stack, 'NAME')).text;
        if (isSecretVariable(variable)) {
          throw this.usage(`{{${written}}}: ${variable} holds a secret, and $env values are shown like any text. Write {{$secret ${variable.slice(SECRET_PREFIX.length)}}} instead: it reads ${variable} and keeps the value out of every output.`);
        }
        this.environment.add(variable);
        const value = this.env[variable];
        if (value === undefined) {
          throw this.usage(`{{${written}}}: the environment variable ${variable} is not set. Export it before running (e.g. export ${variable}=…), or define the value with an @variable instead.`);
        }
        return { text: value, secret: false };
      }
      case '$secret':
      case '$prompt': {
        const argument = (await this.argument(source, reference, stack, name === '$secret' ? 'NAME' : 'LABEL')).text;
        const value = name === '$secret' ? await this.provider.secret(argument) : await this.provider.prompt(argument);
        this.addSecret(value);
        return { text: value, secret: true };
      }
      case '$base64': {
        const argument = await this.argument(source, reference, stack, 'TEXT');
        return { text: base64(argument.text), secret: argument.secret };
      }
      case '$authPlain': {
        if (reference.args.length !== 2) throw this.usage(`{{${written}}}: $authPlain takes two arguments, {{$authPlain USER PASS}}.`);
        const [user, pass] = [await this.resolveArgument(source, reference.args[0], stack), await this.resolveArgument(source, reference.args[1], stack)];
        const message = `\0${user.text}\0${pass.text}`;
        // RFC 4616: the initial response; its parts are credentials too.
        this.addSecret(user.text);
        this.addSecret(pass.text);
        this.secrets.add(message);
        return { text: base64(message), secret: true };
      }
      case '$cramMd5': {
        if (reference.args.length !== 2) throw this.usage(`{{${written}}}: $cramMd5 takes two arguments, {{$cramMd5 USER PASS}}.`);
        const reply = this.runTime.lastReply;
        if (reply?.code !== 334) {
          throw this.usage(`{{${written}}} answers the server's CRAM-MD5 challenge, but the reply just before it is ${reply ? `"${reply.code}"` : 'none'}, not a 334 challenge. Use it as the response after "C: AUTH CRAM-MD5" and its "S: 334" line.`);
        }
        const [user, pass] = [await this.resolveArgument(source, reference.args[0], stack), await this.resolveArgument(source, reference.args[1], stack)];
        // RFC 2195: the challenge is base64 in the 334 reply; the response is "user hex(HMAC-MD5(password, challenge))", in base64 (RFC 4954 §4).
        const challenge = Buffer.from(reply.text[0] ?? '', 'base64');
        // node:crypto loaded here, not with the CLI: it costs every run's start-up a few milliseconds.
        const { createHmac } = await import('node:crypto');
        const digest = createHmac('md5', pass.text).update(challenge).digest('hex');
        const response = `${user.text} ${digest}`;
        this.addSecret(pass.text);
        this.secrets.add(response);
        return { text: base64(response), secret: true };
      }
      case '$xoauth2': {
        if (reference.args.length !== 2) throw this.usage(`{{${written}}}: $xoauth2 takes two arguments, {{$xoauth2 USER TOKEN}}.`);
        const [user, token] = [await this.resolveArgument(source, reference.args[0], stack), await this.resolveArgument(source, reference.args[1], stack)];
        // The XOAUTH2 initial client response: user={user}^Aauth=Bearer {token}^A^A, base64-encoded.
        const message = `user=${user.text}\x01auth=Bearer ${token.text}\x01\x01`;
        this.addSecret(token.text);
        this.secrets.add(message);
        return { text: base64(message), secret: true };
      }
      case '$reply': {
        const reply = this.lastReply(written);
        if (reference.args.length === 0) return { text: reply.lines.join('\n'), secret: false };
        const parsed = parseReplyPattern(this.rawArguments(source, reference));
        if (!parsed.ok) throw this.usage(`{{${written}}}: ${parsed.message}`);
        const value = matchReply(parsed.pattern, reply.lines);
        if (value === null) throw new ReplyMismatchError(`${atLine(this.line)}${parsed.pattern} found nothing in the reply ${reply.lines.map((line) => `"${line}"`).join(' ')}.`, this.line);
        return { text: value, secret: false };
      }
      case '$reply.code':
        return { text: String(this.lastReply(written).code), secret: false };
      case '$file':
        throw this.usage(`{{${written}}} can only stand alone on a line of a message body, where the file is streamed as body lines; it cannot be part of other text.`);
      default:
        throw this.usage(`{{${written}}}: ${name} is not a system variable; the known ones are ${SYSTEM_FUNCTIONS.map((fn) => fn.name).join(', ')}.`);
    }
  }

  /**
   * The single argument of a function: the source from its first word to its
   * last (so `{{$prompt SMTP password}}` asks "SMTP password"), nested references substituted.
   */
  private async argument(source: Source, reference: VariableReference, stack: readonly string[], what: string): Promise<Value> {
    const args = reference.args;
    if (args.length === 0) throw this.usage(`{{${reference.name.text}}} needs its ${what}: {{${reference.name.text} ${what}}}.`);
    const first = args[0].kind === 'literal' ? args[0].token.range : args[0].reference.range;
    const lastArg = args[args.length - 1];
    const last = lastArg.kind === 'literal' ? lastArg.token.range : lastArg.reference.range;
    const start = this.offset(source, first.start.character);
    const end = this.offset(source, last.end.character);
    const nested = args.flatMap((arg) => (arg.kind === 'reference' ? [arg.reference] : []));
    return this.substitute({ ...source, text: source.text.slice(start, end), startColumn: source.startColumn + start }, nested, stack);
  }

  /** The arguments as written, from the first to the last: a pattern is read raw, spaces and all. */
  private rawArguments(source: Source, reference: VariableReference): string {
    const args = reference.args;
    const first = args[0].kind === 'literal' ? args[0].token.range : args[0].reference.range;
    const lastArg = args[args.length - 1];
    const last = lastArg.kind === 'literal' ? lastArg.token.range : lastArg.reference.range;
    return source.text.slice(this.offset(source, first.start.character), this.offset(source, last.end.character));
  }

  private lastReply(written: string): NonNullable<RunTimeValues['lastReply']> {
    const reply = this.runTime.lastReply;
    if (reply === null) throw this.usage(`{{${written}}} reads the most recent reply, and no reply has arrived yet. Use it after an S: line.`);
    return reply;
  }

  private async resolveArgument(source: Source, arg: VariableReference['args'][number], stack: readonly string[]): Promise<Value> {
    return arg.kind === 'literal' ? { text: arg.token.text, secret: false } : this.reference(source, arg.reference, stack);
  }

  /** A secret as typed and in base64, the form AUTH LOGIN sends it in. */
  private addSecret(value: string): void {
    if (value === '') return;
    this.secrets.add(value);
    this.secrets.add(base64(value));
  }

  private offset(source: Source, column: number): number {
    const offset = column - source.startColumn;
    if (offset < 0 || offset > source.text.length) {
      throw new RangeError(`A variable reference at column ${column} lies outside the text (columns ${source.startColumn}–${source.startColumn + source.text.length}); startColumn is wrong.`);
    }
    return offset;
  }

  private written(source: Source, reference: VariableReference): string {
    const start = this.offset(source, reference.range.start.character);
    const end = this.offset(source, reference.range.end.character);
    return source.text.slice(start + 2, end - 2).trim();
  }

  private usage(message: string): SessionError {
    return new SessionError('usage', `${atLine(this.line)}${message}`, this.line);
  }

  private checkLength(length: number, stack: readonly string[]): void {
    if (length <= MAX_RESOLVED_LENGTH) return;
    const where = stack.length > 0 ? `the value of {{${stack[stack.length - 1]}}}` : 'the line';
    throw this.usage(`after substitution ${where} is longer than ${MAX_RESOLVED_LENGTH} characters; variables that repeat each other grow without bound. Shorten the definitions.`);
  }
}


function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Substitutes every reference in `text` (the part of a line from `startColumn`,
 * e.g. a command's text after `C: `). Plain variables take their value from
 * `scope`, itself resolved (a value may hold references; a cycle is a usage
 * error), or from `runTime.captured`. `$file` is refused: the engine streams
 * it itself. `$reply…` and `$cramMd5` read `runTime.lastReply`.
 *
 * Errors are SessionError('usage') carrying the references' line (1-based,
 * `line N: …`). They name variables, never values.
 */
export async function resolveReferences(
  text: string,
  references: readonly VariableReference[],
  startColumn: number,
  scope: ReadonlyMap<string, string>,
  env: NodeJS.ProcessEnv,
  provider: SecretProvider,
  runTime: RunTimeValues = NO_RUN_TIME_VALUES,
): Promise<ResolvedText> {
  const line = references.length > 0 ? references[0].range.start.line + 1 : null;
  const resolver = new Resolver(scope, env, provider, line, runTime);
  const value = await resolver.substitute({ text, startColumn, variable: null }, references, []);
  return { text: value.text, secrets: [...resolver.secrets].filter((secret) => secret !== ''), variablesUsed: [...resolver.used], environmentVariables: [...resolver.environment] };
}

/** The raw values of the visible definitions, as `resolveReferences` takes them. */
export function variableValues(definitions: ReadonlyMap<string, VariableDefinition>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, definition] of definitions) values.set(name, definition.value.text);
  return values;
}
